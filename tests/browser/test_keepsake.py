"""The keepsake: the whole notebook exported as a file sealed under a passphrase, opened on a
fresh device, and a chapter printed to PDF like the pages of a bound notebook."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, both_widths, couple, person, sheet, tab, write

pytestmark = pytest.mark.browser

PASSPHRASE = "the long way round"
WORDS = ["I kept every word you wrote", "So did I, all of them"]
PROMISE = "I will listen before I answer"
AGREEMENT = "We try again on Sunday"
SECOND_CHAPTER = "After the weekend"


def _story(ella: Page, james: Page) -> None:
    write(ella, WORDS[0])
    ella.get_by_role("button", name="Pass the notebook to James").click()
    write(james, WORDS[1])
    dialog = sheet(james, "Make a promise")
    dialog.get_by_label("What you promise Ella").fill(PROMISE)
    dialog.get_by_role("button", name="Make this promise").click()
    expect(dialog).to_be_hidden()
    dialog = sheet(ella, "Agree together")
    dialog.get_by_label("What you agree to").fill(AGREEMENT)
    dialog.get_by_role("button", name="Sign and propose").click()
    expect(dialog).to_be_hidden()
    tab(james, "Promises & agreements")
    james.locator("[data-agreement]").get_by_role("button", name="Agree and sign").click()
    expect(ella.locator(".note--agreement-signed .note__quote")).to_have_text(AGREEMENT)
    tab(james, "The pages")


def _export(ella: Page, folder: Path) -> Path:
    dialog = sheet(ella, "Keep a copy")
    dialog.get_by_label("A passphrase for this copy").fill(PASSPHRASE)
    dialog.get_by_label("The passphrase again").fill(PASSPHRASE + "!")
    dialog.get_by_role("button", name="Save the keepsake file").click()
    expect(dialog.get_by_role("alert")).to_have_text("The two passphrases differ.")
    dialog.get_by_label("The passphrase again").fill(PASSPHRASE)
    with ella.expect_download() as download:
        dialog.get_by_role("button", name="Save the keepsake file").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    expect(dialog.get_by_role("status")).to_contain_text("Keep the passphrase somewhere safe")
    return path


def _pdf_text(page: Page, path: Path) -> str:
    page.emulate_media(media="print")
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: `make chromium` installs it")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"\s+", " ", text)


def test_a_keepsake_is_sealed_opened_elsewhere_and_printed(
    browser: Browser, live_server, tmp_path: Path
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    _story(ella, james)
    path = _export(ella, tmp_path)

    raw = path.read_text()
    keepsake = json.loads(raw)
    assert keepsake["format"] == "unspoken-keepsake/1"
    assert keepsake["kdf"]["name"] == "PBKDF2-SHA256"
    assert keepsake["kdf"]["iterations"] >= 600_000
    for secret in [*WORDS, PROMISE, AGREEMENT, "Ella", "James"]:
        assert secret not in raw

    # Another device: a fresh browser profile that has never seen this notebook.
    other = person(browser, PHONE, live_server.url, errors)
    other.goto("/")
    other.get_by_role("button", name="Open a keepsake file").click()
    dialog = other.get_by_role("dialog")
    dialog.get_by_label("The keepsake file").set_input_files(path)
    dialog.get_by_label("Its passphrase").fill("not the passphrase")
    dialog.get_by_role("button", name="Open the keepsake").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "That passphrase does not open this keepsake.", timeout=20_000
    )
    dialog.get_by_label("Its passphrase").fill(PASSPHRASE)
    dialog.get_by_role("button", name="Open the keepsake").click()
    expect(other.locator(".entry__text")).to_have_text(WORDS, timeout=20_000)
    expect(other.locator(".note--promise-made .note__quote")).to_have_text(PROMISE)
    expect(other.locator(".note--agreement-signed .note__line")).to_have_text("You both agreed.")
    expect(other.locator(".entry--unverified")).to_have_count(0)
    expect(other.get_by_role("heading", level=1)).to_have_text("Ella & James")

    other.get_by_role("button", name="Print chapter 1").click()
    page = other.get_by_role("region", name="Keepsake")
    expect(page.locator(".keepsake__title")).to_have_text("Chapter 1 · The first pages")
    expect(page.locator(".entry__text")).to_have_text(WORDS)
    text = _pdf_text(other, tmp_path / "chapter-1.pdf")
    for expected in [*WORDS, PROMISE, AGREEMENT, "Chapter 1", "You both agreed."]:
        assert expected in text, (expected, text)
    assert "ella & james" in text.lower(), text  # set in small capitals on the cover
    assert re.search(r"\d{1,2} \w+ \d{4}", text), text  # the chapter's dates
    assert errors == []


def test_the_notebook_prints_its_open_chapter_and_the_whole_notebook(
    browser: Browser, live_server, tmp_path: Path
) -> None:
    errors: list[str] = []
    ella, _ = couple(browser, PHONE, live_server.url, errors)
    write(ella, WORDS[0])
    ella.get_by_role("button", name="Print this chapter").click()
    keepsake = ella.get_by_role("region", name="Keepsake")
    expect(keepsake.locator(".entry__text")).to_have_text([WORDS[0]])
    expect(ella.locator("#app")).to_be_hidden()
    assert WORDS[0] in _pdf_text(ella, tmp_path / "open.pdf")
    ella.emulate_media(media="screen")
    keepsake.get_by_role("button", name="Back to the notebook").click()
    expect(ella.get_by_label("Your turn")).to_be_visible()

    # A second chapter: "Print this chapter" now holds only it; the whole notebook holds both.
    dialog = sheet(ella, "Close this chapter")
    dialog.get_by_role("button", name="Close this chapter").click()
    dialog = sheet(ella, "Begin a new chapter")
    dialog.get_by_label("A title").fill(SECOND_CHAPTER)
    dialog.get_by_role("button", name="Begin the chapter").click()
    write(ella, WORDS[1])
    ella.get_by_role("button", name="Print this chapter").click()
    expect(keepsake.locator(".keepsake__title")).to_have_text(f"Chapter 2 · {SECOND_CHAPTER}")
    expect(keepsake.locator(".entry__text")).to_have_text([WORDS[1]])
    keepsake.get_by_role("button", name="Back to the notebook").click()

    ella.get_by_role("button", name="Print the whole notebook").click()
    expect(keepsake.locator(".keepsake__title")).to_have_text("The whole notebook")
    expect(keepsake.get_by_role("heading", level=2).filter(has_text="Chapter")).to_have_text(
        ["Chapter 1 · The first pages · closed", f"Chapter 2 · {SECOND_CHAPTER}"]
    )
    chapters = keepsake.locator(".chapter")
    expect(chapters.nth(0).locator(".entry__text")).to_have_text([WORDS[0]])
    expect(chapters.nth(1).locator(".entry__text")).to_have_text([WORDS[1]])
    expect(chapters.nth(0).locator(".note--chapter-closed")).to_have_count(1)
    expect(keepsake.get_by_role("heading", level=1)).to_be_focused()
    both_widths(ella, "whole-notebook-keepsake")
    text = _pdf_text(ella, tmp_path / "whole.pdf")
    places = [text.find(part) for part in [WORDS[0], f"Chapter 2 · {SECOND_CHAPTER}", WORDS[1]]]
    assert -1 not in places and places == sorted(places), (places, text)
    ella.emulate_media(media="screen")
    keepsake.get_by_role("button", name="Back to the notebook").click()
    expect(ella.get_by_label("Your turn")).to_be_visible()

    # Opened from its file elsewhere, the keepsake prints the whole notebook the same way.
    path = _export(ella, tmp_path)
    other = person(browser, PHONE, live_server.url, errors)
    other.goto("/")
    dialog = sheet(other, "Open a keepsake file")
    dialog.get_by_label("The keepsake file").set_input_files(path)
    dialog.get_by_label("Its passphrase").fill(PASSPHRASE)
    dialog.get_by_role("button", name="Open the keepsake").click()
    other.get_by_role("button", name="Print the whole notebook").click()
    keepsake = other.get_by_role("region", name="Keepsake")
    expect(keepsake.locator(".keepsake__chapter")).to_have_count(2)
    expect(keepsake.locator(".entry__text")).to_have_text(WORDS)
    assert errors == []
