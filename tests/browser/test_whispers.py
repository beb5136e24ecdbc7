"""Whispers of the Heart, replayed: James and Ella pair, then pass one notebook back and forth.

The six lines written in the story's notebook are read from the story itself. Each partner has
a separate browser profile; every line must appear live on the other side, in its writer's
hand, and none may reach the server's database or log in plaintext.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import LAPTOP, PHONE, REPO, choose, person
from .leaks import assert_no_plaintext

pytestmark = [pytest.mark.browser, pytest.mark.seeds]

SEEDS = REPO / ".." / "shared" / "seeds"
STORY = SEEDS / "whispers-of-the-heart.txt"

QUOTE = re.compile(r'"([^"]+)"|“([^”]+)”')
WRITING_VERB = re.compile(r"^\W*\s*(he|she)\s+(scribbled|wrote|replied|penned|jotted|answered)\b")
WRITING_SCENE = re.compile(r"\b(wr(?:ote|ite|iting)|pen|ink|notebook)\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(he|she)\b", re.IGNORECASE)

JAMES = {
    "name": "James",
    "hand": "Elegant",
    "ink": "Midnight blue",
    "family": "EB Garamond",
    "color": "rgb(34, 51, 94)",
}
ELLA = {
    "name": "Ella",
    "hand": "Delicate script",
    "ink": "Bordeaux",
    "family": "Dancing Script",
    "color": "rgb(122, 46, 59)",
}


def written_lines(story: str) -> list[tuple[str, str]]:
    """(writer pronoun, line) for each quotation written in the notebook, in story order.

    A quotation counts when a writing verb follows it ("…," he scribbled) or when it stands
    as its own paragraph right after a paragraph about writing (He wrote again … / "…").
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", story) if p.strip()]
    lines = []
    for before, paragraph in zip(["", *paragraphs], paragraphs, strict=False):
        match = QUOTE.match(paragraph)
        if not match:
            continue
        text = (match.group(1) or match.group(2)).strip().rstrip(",")
        tail = paragraph[match.end() :]
        verb = WRITING_VERB.match(tail)
        if verb:
            lines.append((verb.group(1).lower(), text))
        elif not tail.strip() and WRITING_SCENE.search(before):
            lines.append((PRONOUN.findall(before)[-1].lower(), text))
    return lines


@pytest.fixture(scope="module")
def story_lines() -> list[tuple[str, str]]:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed stories are not here: {SEEDS.resolve()} is absent")
    lines = written_lines(STORY.read_text("utf-8"))
    assert len(lines) == 6, lines
    return lines


def test_the_story_yields_six_alternating_lines(story_lines: list[tuple[str, str]]) -> None:
    assert [writer for writer, _ in story_lines] == ["he", "she"] * 3
    assert story_lines[0][1] == "I never meant for things to end this way"
    assert story_lines[-1][1] == "I don't want to lose you either."


def _choose(page: Page, who: dict[str, str]) -> None:
    choose(page, who["name"], who["hand"], who["ink"])


def _phrase(page: Page) -> list[str]:
    return page.locator(".phrase__word").all_inner_texts()


def _write_and_pass(writer: Page, reader: Page, line: str, index: int) -> None:
    expect(writer.get_by_label("Your turn")).to_be_visible()
    writer.get_by_label("Your turn").fill(line)
    writer.get_by_role("button", name="Write it down").click()
    expect(writer.locator(".entry__text").nth(index)).to_have_text(line)
    # The partner sees it arrive live, with no reload.
    expect(reader.locator(".entry__text").nth(index)).to_have_text(line)
    writer.get_by_role("button", name=re.compile("Pass the notebook")).click()
    expect(writer.get_by_text(re.compile(r"has the pen$"))).to_be_visible()
    expect(reader.get_by_label("Your turn")).to_be_visible()


def _assert_pages(page: Page, lines: list[tuple[str, str]]) -> None:
    texts = page.locator(".entry__text")
    expect(texts).to_have_text([line for _, line in lines])
    expect(page.locator(".entry--unverified")).to_have_count(0)
    expect(page.locator(".warning")).to_be_hidden()
    for index, (writer, _) in enumerate(lines):
        who = JAMES if writer == "he" else ELLA
        entry = page.locator(".entry").nth(index)
        expect(entry.locator(".entry__meta")).to_contain_text(who["name"])
        style = texts.nth(index).evaluate(
            "el => { const s = getComputedStyle(el); return [s.fontFamily, s.color]; }"
        )
        assert who["family"] in style[0], (index, style)
        assert style[1] == who["color"], (index, style)


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_whispers_of_the_heart(
    browser: Browser,
    live_server,
    story_lines: list[tuple[str, str]],
    device: str,
) -> None:
    viewport = PHONE if device == "phone" else LAPTOP
    errors: list[str] = []
    he = person(browser, viewport, live_server.url, errors)
    she = person(browser, viewport, live_server.url, errors)

    he.goto("/")
    expect(he.get_by_role("heading", name="Begin a notebook")).to_be_visible()
    _choose(he, JAMES)
    he.get_by_role("button", name="Begin the notebook").click()

    link_field = he.get_by_label("Invite link")
    expect(link_field).to_have_value(re.compile(r"/join/[\w-]{22}#[\w-]{43}$"))
    he.get_by_role("button", name="Copy the link").click()
    expect(he.get_by_text("Copied.")).to_be_visible()
    link = he.evaluate("navigator.clipboard.readText()")
    assert link == link_field.input_value()

    she.goto(link)
    # The invite names who sent it, from its sealed greeting (the server never saw the name).
    invited = f"{JAMES['name']} invites you to share a notebook"
    expect(she.get_by_role("heading", name=invited)).to_be_visible()
    assert "#" not in she.url, "the invite secret must leave the address bar at once"
    _choose(she, ELLA)
    she.get_by_role("button", name="Join the notebook").click()
    expect(she.get_by_role("heading", name="Waiting for James to let you in")).to_be_visible()

    expect(he.get_by_role("heading", name="Ella opened your link")).to_be_visible()
    assert len(_phrase(he)) == 8
    assert _phrase(he) == _phrase(she), "both must see the same safety phrase"
    he.get_by_role("button", name="Let them in").click()

    expect(she.get_by_text("James has the pen")).to_be_visible()
    for index, (writer, line) in enumerate(story_lines):
        pen, other = (he, she) if writer == "he" else (she, he)
        _write_and_pass(pen, other, line, index)

    _assert_pages(he, story_lines)
    _assert_pages(she, story_lines)

    # Keys live in IndexedDB: after a reload everything still opens and verifies.
    she.reload()
    _assert_pages(she, story_lines)

    assert errors == []
    plaintext = [line for _, line in story_lines] + [link.split("#", 1)[1]]
    sources = [live_server.database, live_server.log_path]
    assert_no_plaintext(sources, plaintext)
    he.context.close()
    she.context.close()
    live_server.stop()
    assert_no_plaintext(sources, plaintext)
