"""The app in French, end to end in real Chromium: no English left on the main screens, a
language switch that redraws at once and is kept on the device, and every time on each
reader's own clock and in their own words — even with the partners in different time zones."""

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, begin, both_widths, person, screenshot, sheet

pytestmark = pytest.mark.browser

I18N = Path(__file__).resolve().parents[2] / "src" / "unspoken" / "web" / "static" / "i18n"
PARIS, LONDON, MONTREAL = "Europe/Paris", "Europe/London", "America/Montreal"
# Texts that are the same words in French as in English; every other English text must never
# be on a French screen. The test below keeps this list exact.
SAME_IN_BOTH = {
    "hands.bordeaux",  # Bordeaux
    "hands.violet",  # Violet
    "notebook.sections",  # Sections
    "pause.twenty_minutes",  # 20 minutes
    "when.minutes",  # {count} minute(s)
    "keepsake.range",  # {first} – {last}
    "push.tool",  # Notifications
    "push.title",  # Notifications
    "push.notice_title",  # Unspoken
    "notebook.title_unread",  # ({count}) {title}
}
# Everything a reader perceives as words: what is shown, and what is read aloud or hinted.
SHOWN = """() => {
  const parts = [document.body.innerText, document.title];
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title], [alt]")) {
    for (const name of ["aria-label", "placeholder", "title", "alt"]) {
      parts.push(el.getAttribute(name));
    }
  }
  return parts.filter(Boolean).join("\\n");
}"""


def _catalogue(lang: str) -> dict[str, str | dict[str, str]]:
    merged: dict[str, str | dict[str, str]] = {}
    for path in sorted((I18N / lang).glob("*.json")):
        merged |= json.loads(path.read_text(encoding="utf-8"))
    return merged


def _english_phrases() -> dict[str, re.Pattern[str]]:
    """Each English text (minus the allowed ones) as patterns of its literal pieces, whole words."""
    found: dict[str, re.Pattern[str]] = {}
    for key, value in _catalogue("en").items():
        if key in SAME_IN_BOTH:
            continue
        for n, text in enumerate(value.values() if isinstance(value, dict) else [value]):
            for i, piece in enumerate(re.split(r"\{\w+\}", text)):
                piece = piece.strip(" ·,:;.–—")
                if re.search(r"[A-Za-z]{3}", piece):
                    found[f"{key}[{n}.{i}]"] = re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)")
    return found


ENGLISH = _english_phrases()


def no_english(page: Page) -> None:
    shown = page.evaluate(SHOWN)
    leaks = {key: p.pattern for key, p in ENGLISH.items() if p.search(shown)}
    assert leaks == {}, shown


def french(browser: Browser, url: str, errors: list[str], zone: str = PARIS) -> Page:
    return person(browser, PHONE, url, errors, locale="fr-FR", timezone_id=zone)


def test_the_allowed_english_is_exactly_what_french_says_the_same() -> None:
    english, other = _catalogue("en"), _catalogue("fr")
    assert {key for key, value in english.items() if other[key] == value} == SAME_IN_BOTH
    assert len(ENGLISH) > 400


def test_a_french_couple_walks_the_main_screens_without_a_word_of_english(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    ella = french(browser, live_server.url, errors)
    james = french(browser, live_server.url, errors)

    ella.goto("/")
    expect(ella.get_by_role("heading", name="Commencer un carnet")).to_be_visible()
    expect(ella.locator("html")).to_have_attribute("lang", "fr")
    no_english(ella)
    both_widths(ella, "fr-1-welcome")
    ella.get_by_label("Ton prénom").fill("Ella")
    ella.get_by_role("radio", name="Écriture déliée").check()
    ella.get_by_role("radio", name="Bordeaux").check()
    ella.get_by_role("button", name="Commencer le carnet").click()
    link = ella.get_by_label("Lien d’invitation")
    expect(link).to_have_value(re.compile(r"/join/[\w-]{22}#[\w-]{43}$"))
    no_english(ella)
    both_widths(ella, "fr-2-invite")

    james.goto(link.input_value())
    expect(james.get_by_role("heading", name="Ella t’invite à partager un carnet")).to_be_visible()
    no_english(james)
    both_widths(james, "fr-3-join")
    james.get_by_label("Ton prénom").fill("James")
    james.get_by_role("radio", name="Élégante").check()
    james.get_by_role("radio", name="Bleu nuit").check()
    james.get_by_role("button", name="Rejoindre le carnet").click()
    expect(james.get_by_role("heading", name="Ella doit encore t’ouvrir le carnet")).to_be_visible()
    expect(ella.get_by_role("heading", name="James a ouvert ton lien")).to_be_visible()
    no_english(james)
    no_english(ella)
    both_widths(james, "fr-4-waiting")
    both_widths(ella, "fr-5-approve")

    ella.get_by_role("button", name="Faire entrer").click()
    expect(james.get_by_text("Ella tient la plume")).to_be_visible()
    draft = ella.get_by_label("À toi — tu tiens la plume")
    draft.fill("Je n’ai jamais voulu que les choses finissent ainsi")
    ella.get_by_role("button", name="Écrire dans le carnet").click()
    expect(james.locator(".entry__text")).to_have_text(
        ["Je n’ai jamais voulu que les choses finissent ainsi"]
    )
    no_english(ella)
    no_english(james)

    ella.get_by_role("button", name="Passer le carnet à James").click()
    expect(ella.get_by_text("James tient la plume")).to_be_visible()
    expect(james.get_by_label("À toi — tu tiens la plume")).to_be_visible()
    no_english(ella)
    no_english(james)
    both_widths(james, "fr-6-notebook")

    dialog = sheet(james, "J’ai besoin de temps")
    dialog.get_by_role("radio", name="Trois heures").check()
    dialog.get_by_label("Un mot pour Ella (facultatif)").fill("Laisse-moi un peu de temps")
    no_english(james)
    both_widths(james, "fr-7-pause-sheet", full_page=False)
    dialog.get_by_role("button", name="Demander du temps").click()
    expect(dialog).to_be_hidden()
    card = ella.get_by_role("region", name="Du temps et de l’espace")
    expect(card.locator(".card__title")).to_have_text("James a demandé du temps")
    until = re.compile(r"^jusqu’à (demain à )?\d{1,2}:\d\d$")
    expect(card.locator(".card__until")).to_have_text(until)
    no_english(ella)
    no_english(james)
    both_widths(ella, "fr-8-pause-announced")

    ella.get_by_role("button", name="Promesses et accords").click()
    expect(ella.get_by_text("Pas encore de promesse.")).to_be_visible()
    no_english(ella)
    # The one who asked for time may still make a promise.
    dialog = sheet(james, "Faire une promesse")
    no_english(james)
    dialog.get_by_role("button", name="Pas maintenant").click()
    expect(dialog).to_be_hidden()
    assert errors == []


def test_the_switch_redraws_at_once_keeps_the_draft_and_is_remembered(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    ella = french(browser, live_server.url, errors)
    ella.goto("/")
    languages = ella.get_by_role("navigation", name="Langue")
    chosen = languages.get_by_role("button", name="Français")
    expect(chosen).to_have_attribute("aria-pressed", "true")
    ella.get_by_label("Ton prénom").fill("Ella")
    languages.get_by_role("button", name="English").click()
    expect(ella.get_by_role("heading", name="Begin a notebook")).to_be_visible()
    expect(ella.locator("html")).to_have_attribute("lang", "en")
    expect(ella.get_by_role("button", name="English")).to_be_focused()

    # Kept on this device: a French browser opens in English from now on.
    ella.reload()
    expect(ella.get_by_role("heading", name="Begin a notebook")).to_be_visible()
    link = begin(ella, "Ella", "Delicate script", "Bordeaux")
    assert link

    james = french(browser, live_server.url, errors)
    james.goto(link)
    james.get_by_label("Ton prénom").fill("James")
    james.get_by_role("button", name="Rejoindre le carnet").click()
    ella.get_by_role("button", name="Let them in").click()
    ella.get_by_label("Your turn").fill("Words not yet written")

    # In the notebook's tools, mid-sentence: the screen redraws, the draft stays.
    ella.get_by_role("navigation", name="Language").get_by_role("button", name="Français").click()
    expect(ella.get_by_label("À toi — tu tiens la plume")).to_have_value("Words not yet written")
    expect(ella.get_by_role("button", name="Passer le carnet à James")).to_be_visible()
    expect(ella.locator("html")).to_have_attribute("lang", "fr")
    expect(ella.get_by_role("button", name="Français")).to_be_focused()
    no_english(ella)
    screenshot(ella, "phone-fr-9-tools")
    assert errors == []


def _until(page: Page) -> datetime:
    """The end of the pause as the server holds it, read with this device's own token (it rests
    in the device's sealed vault: docs/protocol.md, "A device at rest")."""
    notebook_id = page.url.rsplit("/", 1)[1]
    until: str = page.evaluate(
        """async (id) => {
            const record = await (await import('/static/js/store.js')).loadNotebook(id);
            const { token } = await (await import('/static/js/vault.js')).unlock(record);
            const { notebookApi } = await import('/static/js/api.js');
            return (await notebookApi(id, token).get()).pause.until;
        }""",
        notebook_id,
    )
    return datetime.fromisoformat(until.replace("Z", "+00:00"))


def _on_clock(instant: datetime, zone: str, tomorrow: str, at: str) -> str:
    """A pattern for how a reader in `zone` should see `instant`: "8:00" (or "08:00", as the
    locale writes hours), or "tomorrow at 8:00"."""
    local = instant.astimezone(ZoneInfo(zone))
    days = (local.date() - datetime.now(ZoneInfo(zone)).date()).days
    assert days in (0, 1), days
    clock = f"0?{local.hour}:{local.minute:02d}" if local.hour < 10 else f"{local:%H:%M}"
    return f"{tomorrow} {at} {clock}" if days else clock


def test_partners_in_two_time_zones_read_the_same_end_on_their_own_clocks(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    ella = person(browser, PHONE, live_server.url, errors, locale="en-GB", timezone_id=LONDON)
    james = french(browser, live_server.url, errors, zone=MONTREAL)
    link = begin(ella, "Ella", "Delicate script", "Bordeaux")
    james.goto(link)
    james.get_by_label("Ton prénom").fill("James")
    james.get_by_role("button", name="Rejoindre le carnet").click()
    ella.get_by_role("button", name="Let them in").click()
    expect(james.get_by_text("Ella tient la plume")).to_be_visible()

    # She asks for time until a given hour of her morning.
    dialog = sheet(ella, "I need time")
    dialog.get_by_role("radio", name=re.compile("^Until tomorrow morning")).check()
    dialog.get_by_role("button", name="Ask for time").click()
    expect(dialog).to_be_hidden()
    mine = ella.get_by_role("region", name="Time and space")
    expect(mine.locator(".card__title")).to_have_text("You asked for time")
    until = _until(ella)

    london = _on_clock(until, LONDON, "tomorrow", "at")
    montreal = _on_clock(until, MONTREAL, "demain", "à")
    assert london != montreal  # five hours apart, or four when only one side has moved its clocks
    expect(mine.locator(".card__until")).to_have_text(re.compile(f"^until {london}$"))
    his = james.get_by_role("region", name="Du temps et de l’espace")
    expect(his.locator(".card__title")).to_have_text("Ella a demandé du temps")
    expect(his.locator(".card__until")).to_have_text(re.compile(f"^jusqu’à {montreal}$"))
    expect(james.locator(".note--pause-started .note__line")).to_have_text(
        re.compile(f"^Ella a demandé du temps, jusqu’à {montreal}\\.$")
    )
    expect(ella.locator(".note--pause-started .note__line")).to_have_text(
        re.compile(f"^You asked for time, until {london}\\.$")
    )
    screenshot(james, "phone-fr-10-montreal")
    assert errors == []
