"""A tour of every screen, each checked as it stands: axe-core's WCAG 2.0/2.1/2.2 A and AA rules
in the light and the dark scheme, touch targets of 44×44 CSS px at phone width, and reflow (no
sideways scrolling at 320 px, nor with the browser's text at 200 %).

The tour is also what `make screenshots` photographs: every stop is saved at phone and laptop
width, light and dark, as docs/screens/NN-name-{phone|laptop}-{light|dark}.png, NN its place in
the tour. Each test gathers every screen's problems and reports them all at once.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from .accessibility import axe_in_both_schemes, axe_violations, overflowing, small_targets
from .handwriting import strokes_for, write_by_hand
from .helpers import PHONE, begin, both_widths, choose, couple, join, person, sheet, tab, write

pytestmark = pytest.mark.browser

REFLOW = {"width": 320, "height": 640}


class Tour:
    """Visits screens and remembers, per screen, whatever falls short."""

    def __init__(self) -> None:
        self.problems: dict[str, list[str]] = {}

    def visit(self, page: Page, name: str, full_page: bool = True) -> None:
        found = axe_in_both_schemes(page)
        found += [f"small target: {target}" for target in small_targets(page)]
        found += [f"at 320 px: {what}" for what in _reflowed(page)]
        found += [f"320 px, text at 200 %: {what}" for what in _large_text(page)]
        if found:
            self.problems[name] = found
        both_widths(page, name, full_page)

    def assert_clean(self) -> None:
        assert self.problems == {}, "\n".join(
            f"{name}:\n  " + "\n  ".join(found) for name, found in self.problems.items()
        )


def _reflowed(page: Page) -> list[str]:
    size = page.viewport_size or PHONE
    page.set_viewport_size(REFLOW)
    try:
        return overflowing(page)
    finally:
        page.set_viewport_size(size)


def _large_text(page: Page) -> list[str]:
    """The browser's font-size setting at 200 % (rem-based sizes double with it), on the
    narrowest screen too."""
    size = page.viewport_size or PHONE
    page.set_viewport_size(REFLOW)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    try:
        return overflowing(page)
    finally:
        page.evaluate("document.documentElement.style.fontSize = ''")
        page.set_viewport_size(size)


def _real(errors: list[str]) -> list[str]:
    """Console errors other than Chromium's line for a refusal the tour asks for (a 429)."""
    return [e for e in errors if "Failed to load resource" not in e]


def test_pairing_screens(browser: Browser, live_server) -> None:
    tour = Tour()
    errors: list[str] = []
    james = person(browser, PHONE, live_server.url, errors)
    ella = person(browser, PHONE, live_server.url, errors)

    james.goto("/")
    choose(james, "James", "Elegant", "Midnight blue")
    tour.visit(james, "01-welcome")
    held: list[Route] = []
    james.route("**/v1/notebooks", lambda route: held.append(route))
    james.get_by_role("button", name="Begin the notebook").click()
    expect(james.get_by_role("button", name="Making your keys…")).to_be_disabled()
    tour.visit(james, "02-creating")
    held[0].continue_()
    james.unroute("**/v1/notebooks")
    link = james.get_by_label("Invite link")
    expect(link).to_have_value(re.compile(r"/join/"))
    tour.visit(james, "03-invite")

    ella.goto(link.input_value())
    expect(
        ella.get_by_role("heading", name="James invites you to share a notebook")
    ).to_be_visible()
    choose(ella, "Ella", "Delicate script", "Bordeaux")
    tour.visit(ella, "04-join")
    ella.get_by_role("button", name="Join the notebook").click()
    expect(ella.get_by_role("heading", name="Waiting for James to let you in")).to_be_visible()
    tour.visit(ella, "05-join-waiting")
    expect(james.get_by_role("heading", name="Ella opened your link")).to_be_visible()
    tour.visit(james, "06-approve")
    james.get_by_role("button", name="Let them in").click()
    expect(james.get_by_label("Your turn")).to_be_visible()
    tour.visit(james, "07-notebook-blank")
    cards = james.locator(".intro")
    cards.get_by_role("button", name="Next").click()
    expect(cards.get_by_role("heading")).to_have_text("Asking for time")
    tour.visit(james, "07b-first-visit-time")
    cards.get_by_role("button", name="Next").click()
    expect(cards.get_by_role("heading")).to_have_text("Nobody else can read it")
    tour.visit(james, "07c-first-visit-private")
    cards.get_by_role("button", name="Begin").click()
    expect(cards).to_have_count(0)
    assert errors == []
    tour.assert_clean()


def test_notebook_screens(browser: Browser, live_server) -> None:
    """The pen both ways, the gentle check, watching, a knock, time and space, promises."""
    tour = Tour()
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    for writer, line in (
        (ella, "I never meant for things to end this way"),
        (james, "Nor did I. I keep thinking about that night."),
        (ella, "Can we talk about it here, slowly?"),
    ):
        write(writer, line)
        if writer is james:
            james.get_by_role("button", name="Pass the notebook to Ella").click()
        elif line.startswith("I never"):
            ella.get_by_role("button", name="Pass the notebook to James").click()
    tour.visit(ella, "08-pen-mine")
    tour.visit(james, "09-pen-theirs")
    ella.get_by_label("Your turn").fill("You never listen to me")
    expect(ella.locator(".gentle__hint")).to_have_count(1)
    # Sent with the hint still open: asked once, quietly, with two equal choices.
    ella.get_by_role("button", name="Write it down").click()
    expect(ella.get_by_role("button", name="Send as it is")).to_be_visible()
    tour.visit(ella, "10-gentle-check")
    ella.get_by_role("button", name="Take another look").click()
    ella.get_by_label("Your turn").fill("")

    ella.get_by_label("Let James watch the words form").check()
    ella.get_by_label("Your turn").press_sequentially("Nor did I", delay=40)
    expect(james.locator(".forming__text")).to_have_text("Nor did I")
    tour.visit(james, "11-watching")
    ella.get_by_role("button", name="Write it down").click()
    _by_hand(tour, ella, james)

    james.get_by_role("button", name="Ask for the pen").click()
    james.get_by_role("button", name="Ask for the pen").click()
    expect(james.locator(".pen-line__said")).to_contain_text("You can ask again")
    tour.visit(james, "12-knock")
    expect(ella.get_by_role("status", name="A knock")).to_be_visible()
    # The screen as she finds it (the card stays at the top while the page scrolls under it, so
    # a whole-page picture would draw it mid-page).
    ella.evaluate("scrollTo(0, 0)")
    tour.visit(ella, "13-knocked", full_page=False)
    ella.get_by_role("button", name="Pass the notebook to James").click()
    expect(james.get_by_label("Your turn")).to_be_visible()

    _time_and_space(tour, ella, james)
    _promises(tour, ella, james)
    assert _real(errors) == []
    tour.assert_clean()


def _by_hand(tour: Tour, ella: Page, james: Page) -> None:
    """A page written by hand: watched as it forms, then on both pages as an image named by
    its writer and its transcript; then back to typing."""
    ella.get_by_role("button", name="Write by hand").click()
    write_by_hand(ella, "I miss you", "pen")
    ella.get_by_label("What it says, typed (if you like)").fill("I miss you")
    forming = james.get_by_role("region", name="Words forming").locator("svg")
    expect(forming).to_have_attribute("data-upto", re.compile(r"^\d+$"))
    last = forming.evaluate("svg => [...svg.querySelectorAll('path')].length")
    assert last == len(strokes_for("I miss you"))
    james.wait_for_function(
        "() => { const s = document.querySelector('.forming__ink svg');"
        " return s && !s.querySelector('path:not([d^=M])') }"
    )
    tour.visit(james, "11b-watching-by-hand")
    tour.visit(ella, "11c-writing-by-hand")
    ella.get_by_role("button", name="Write it down").click()
    expect(james.get_by_role("img", name="Written by hand by Ella: I miss you")).to_be_visible()
    tour.visit(james, "11d-by-hand-theirs")
    ella.get_by_role("button", name="Write by hand").click()
    expect(ella.get_by_label("Your turn")).to_be_visible()


def _time_and_space(tour: Tour, ella: Page, james: Page) -> None:
    dialog = sheet(ella, "I need time")
    dialog.get_by_role("radio", name="Three hours").check()
    dialog.get_by_label("A note for James").fill("I need time")
    tour.visit(ella, "14-pause-sheet", full_page=False)
    dialog.get_by_role("button", name="Ask for time").click()
    his = james.get_by_role("region", name="Time and space")
    his.get_by_label("A word back (optional)").fill("Whenever you're ready to talk, I'll be here.")
    tour.visit(james, "15-pause-theirs")
    his.get_by_role("button", name="I’ll be here").click()
    hers = ella.get_by_role("region", name="Time and space")
    expect(hers.get_by_text("James answered: I’ll be here.")).to_be_visible()
    tour.visit(ella, "16-pause-mine")
    ella.get_by_role("button", name="I’m ready to talk").click()
    expect(james.get_by_role("region", name="Time and space")).to_have_count(0)


def _promises(tour: Tour, ella: Page, james: Page) -> None:
    dialog = sheet(james, "Make a promise")
    dialog.get_by_label("What you promise Ella").fill("I'll never keep anything from you again")
    tour.visit(james, "17-promise-sheet", full_page=False)
    dialog.get_by_role("button", name="Make this promise").click()
    expect(dialog).to_be_hidden()
    tab(ella, "Promises & agreements")
    ella.locator("[data-promise]").get_by_role("button", name="Acknowledge").click()
    ella.get_by_text("Mark this promise").click()
    tour.visit(ella, "18-promises")
    tab(ella, "The pages")
    dialog = sheet(ella, "Agree together")
    dialog.get_by_label("What you agree to").fill("Let's try.")
    tour.visit(ella, "19-agree-sheet", full_page=False)
    dialog.get_by_role("button", name="Sign and propose").click()
    expect(dialog).to_be_hidden()
    tab(james, "Promises & agreements")
    james.locator("[data-agreement]").get_by_role("button", name="Agree and sign").click()
    expect(james.locator(".commitment--agreed")).to_have_count(1)
    tour.visit(james, "20-agreed")


READ = "Let Ella see when you’re here and what you’ve read"
NOT_YET = "Sundays are hard for me. Can we find another day?"
OTHER = "We talk one evening a week, the one that suits us both."


def test_crossing_out_and_what_waits_screens(browser: Browser, live_server) -> None:
    """A line crossed out, "James has read your words", the count on "Promises & agreements",
    and an agreement's "not yet" and other words."""
    tour = Tour()
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I said that too quickly.")
    write(ella, "What I meant: I miss our evenings.")
    expect(james.locator(".entry__text")).to_have_count(2)
    ella.locator("article.entry").first.get_by_role("button", name="Cross out").click()
    dialog = ella.get_by_role("dialog", name="Cross out this line?")
    expect(dialog).to_be_visible()
    tour.visit(ella, "09b-crossing-out-asked", full_page=False)
    dialog.get_by_role("button", name="Cross it out").click()
    expect(dialog).to_have_count(0)
    expect(james.locator("article.entry--crossed")).to_have_count(1)
    tour.visit(ella, "09c-crossing-out-writer")
    tour.visit(james, "09d-crossing-out-partner")

    james.get_by_label(READ).check()
    expect(ella.get_by_role("status").filter(has_text="James has read your words.")).to_be_visible()
    tour.visit(ella, "13b-has-read")

    dialog = sheet(james, "Agree together")
    dialog.get_by_label("What you agree to").fill("We talk every Sunday evening.")
    dialog.get_by_role("button", name="Sign and propose").click()
    expect(dialog).to_be_hidden()
    waiting = ella.get_by_role("button", name="Promises & agreements", exact=True)
    expect(waiting.locator(".tabs__badge")).to_have_text("1")
    tour.visit(ella, "13c-something-waits")
    _agreement_answers(tour, ella, james)
    assert _real(errors) == []
    tour.assert_clean()


def _agreement_answers(tour: Tour, ella: Page, james: Page) -> None:
    hers = ella.locator("[data-agreement]")
    his = james.locator("[data-agreement]")
    tab(ella, "Promises & agreements")
    tab(james, "Promises & agreements")
    hers.get_by_text("Not yet", exact=True).click()
    hers.get_by_label("A short note (optional)").fill(NOT_YET)
    tour.visit(ella, "20a-agreement-saying-not-yet")
    hers.get_by_role("button", name="Say not yet").click()
    expect(his.locator(".commitment__status")).to_have_text("Ella said not yet.")
    tour.visit(james, "20b-agreement-not-yet")
    tab(james, "The pages")
    note = james.locator(".note--agreement-declined")
    expect(note.locator(".note__quote")).to_have_text(["We talk every Sunday evening.", NOT_YET])
    tour.visit(james, "20c-agreement-not-yet-margin")
    tab(james, "Promises & agreements")
    hers.get_by_text("Propose other words", exact=True).click()
    expect(hers.get_by_label("Your words")).to_have_value("We talk every Sunday evening.")
    tour.visit(ella, "20d-agreement-other-words")
    hers.get_by_label("Your words").fill(OTHER)
    hers.get_by_role("button", name="Sign and propose these words").click()
    expect(his.get_by_text("Ella signed. It is agreed once you sign too.")).to_be_visible()
    tour.visit(james, "20e-agreement-new-words")


def test_chapter_and_keepsake_screens(browser: Browser, live_server, tmp_path) -> None:
    tour = Tour()
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I never meant for things to end this way")
    dialog = sheet(ella, "Close this chapter")
    tour.visit(ella, "21-close-chapter", full_page=False)
    dialog.get_by_role("button", name="Close this chapter").click()
    expect(james.get_by_text("This chapter is closed")).to_be_visible()
    tour.visit(james, "22-chapter-closed")
    dialog = sheet(james, "Begin a new chapter")
    dialog.get_by_label("A title").fill("After the bar")
    dialog.get_by_role("radio", name="After a fight").check()
    dialog.get_by_label("Mirror before reply").check()
    tour.visit(james, "23-new-chapter", full_page=False)
    dialog.get_by_role("button", name="Begin the chapter").click()
    expect(james.locator(".composer__step-title")).to_have_text("Step 1 of 5 · Feelings")
    tour.visit(james, "24-chapter-template")
    write(james, "Alone. Scared.")
    james.get_by_role("button", name="Pass the notebook to Ella").click()
    ella.get_by_label("Your turn — first, say back what you understood").fill("You felt alone")
    ella.get_by_role("button", name="Say it back").click()
    expect(james.get_by_role("region", name="Mirror")).to_be_visible()
    tour.visit(james, "25-mirror")
    _keepsakes(tour, browser, live_server.url, ella, tmp_path, errors)
    assert errors == []
    tour.assert_clean()


def _keepsakes(tour: Tour, browser: Browser, url: str, ella: Page, folder, errors) -> None:
    ella.get_by_role("button", name="Print this chapter").click()
    expect(ella.get_by_role("region", name="Keepsake")).to_be_visible()
    tour.visit(ella, "26-keepsake")
    ella.emulate_media(media="print")
    tour.visit(ella, "27-keepsake-print")
    ella.emulate_media(media="screen")
    ella.get_by_role("button", name="Back to the notebook").click()
    ella.get_by_role("button", name="Print the whole notebook").click()
    whole = ella.get_by_role("region", name="Keepsake")
    expect(whole.locator(".keepsake__chapter")).to_have_count(2)
    tour.visit(ella, "26-keepsake-whole")
    whole.get_by_role("button", name="Back to the notebook").click()
    dialog = sheet(ella, "Keep a copy")
    for label in ("A passphrase for this copy", "The passphrase again"):
        dialog.get_by_label(label).fill("correct horse battery")
    with ella.expect_download() as download:
        dialog.get_by_role("button", name="Save the keepsake file").click()
    expect(dialog.get_by_role("status")).to_contain_text("Keep the passphrase")
    tour.visit(ella, "28-keep-a-copy", full_page=False)
    path = folder / "keepsake.json"
    download.value.save_as(path)

    other = person(browser, PHONE, url, errors)
    other.goto("/")
    dialog = sheet(other, "Open a keepsake file")
    dialog.get_by_label("The keepsake file").set_input_files(path)
    dialog.get_by_label("Its passphrase").fill("correct horse battery")
    tour.visit(other, "29-open-keepsake", full_page=False)
    dialog.get_by_role("button", name="Open the keepsake").click()
    expect(other.get_by_text("A keepsake, opened on this device.")).to_be_visible()
    tour.visit(other, "30-keepsake-opened")


def test_goodbye_screens(browser: Browser, live_server) -> None:
    tour = Tour()
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I need to be alone")
    dialog = sheet(ella, "Leave this notebook")
    tour.visit(ella, "31-leave", full_page=False)
    dialog.get_by_role("button", name="Yes, I want to leave").click()
    expect(dialog.get_by_role("heading")).to_have_text("Leave for good?")
    tour.visit(ella, "32-leave-confirm", full_page=False)
    dialog.get_by_role("button", name="Leave for good").click()
    expect(ella.get_by_role("heading", name="Goodbye")).to_be_visible()
    tour.visit(ella, "33-goodbye")
    expect(james.get_by_role("status", name="Goodbye")).to_be_visible()
    tour.visit(james, "34-partner-left")
    assert errors == []
    tour.assert_clean()


def test_error_screens(browser: Browser, live_server) -> None:
    """Screens that say something went wrong, plainly."""
    tour = Tour()
    errors: list[str] = []
    stranger = person(browser, PHONE, live_server.url, errors)
    stranger.goto("/n/AAAAAAAAAAAAAAAAAAAAAA")
    heading = stranger.get_by_role("heading", name="This notebook isn’t on this device")
    expect(heading).to_be_visible()
    tour.visit(stranger, "35-not-on-this-device")
    stranger.goto("/join/AAAAAAAAAAAAAAAAAAAAAA")
    heading = stranger.get_by_role("heading", name="This link is missing its secret part")
    expect(heading).to_be_visible()
    tour.visit(stranger, "36-link-without-secret")

    james = person(browser, PHONE, live_server.url, errors)
    ella = person(browser, PHONE, live_server.url, errors)
    link = begin(james, "James", "Elegant", "Midnight blue")
    join(ella, link, "Ella", "Delicate script", "Bordeaux")
    james.get_by_role("button", name="This isn’t them").click()
    expect(ella.get_by_role("heading", name="This invite was closed")).to_be_visible()
    tour.visit(ella, "37-turned-away")
    expect(james.get_by_role("heading", name="Invite your partner")).to_be_visible()
    tour.visit(james, "38-new-link")
    late = person(browser, PHONE, live_server.url, errors)
    late.goto(link)
    # Refused before the form: nothing to fill in for a link that cannot be used.
    expect(late.get_by_role("heading", name="This invite can no longer be used")).to_be_visible()
    tour.visit(late, "39-invite-used")
    assert _real(errors) == []
    tour.assert_clean()


def test_the_checks_see_what_is_wrong(blank_page: Page) -> None:
    """The checks themselves can fail: a page with known faults is caught on each count."""
    blank_page.set_viewport_size(PHONE)
    blank_page.evaluate("""() => {
      document.documentElement.lang = "en";
      const faults = `<main><h1>Faults</h1><img src="/x.png"><input type="text">
        <p style="color:#bbb;background:#fff">faint words</p>
        <button style="width:30px;height:30px">x</button>
        <div style="width:500px">too wide</div></main>`;
      document.body.innerHTML = faults;
    }""")
    found = {violation["id"] for violation in axe_violations(blank_page)}
    assert {"image-alt", "label", "color-contrast"} <= found, found
    assert any(target.startswith("button") for target in small_targets(blank_page))
    assert any("scrolls sideways" in what for what in overflowing(blank_page))


def test_device_lock_notification_and_language_screens(browser: Browser, live_server) -> None:
    """A second device linked, let in and revoked; the passphrase lock; notifications; French."""
    tour = Tour()
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I never meant for things to end this way")
    _devices(tour, browser, live_server.url, ella, james)
    _lock_and_unlock(tour, ella)
    dialog = sheet(james, "Notifications")
    dialog.get_by_label("Keep quiet at night").check()
    expect(dialog.get_by_label("From", exact=True)).to_be_visible()
    tour.visit(james, "54-notifications", full_page=False)
    dialog.get_by_role("button", name="Close").click()
    languages = james.get_by_role("navigation", name="Language")
    languages.get_by_role("button", name="Français").click()
    expect(james.get_by_text("Ella tient la plume")).to_be_visible()
    tour.visit(james, "55-notebook-in-french")
    assert _real(errors) == []
    tour.assert_clean()


def _devices(tour: Tour, browser: Browser, url: str, ella: Page, james: Page) -> None:
    dialog = sheet(ella, "Your devices")
    tour.visit(ella, "44-devices", full_page=False)
    dialog.get_by_role("button", name="Add a device").click()
    expect(dialog.locator(".qr__code")).to_be_visible()
    tour.visit(ella, "45-add-device", full_page=False)
    # The revoked device is refused by the server at the end, and Chromium logs that, rightly.
    phone = person(browser, PHONE, url, [])
    phone.goto(dialog.get_by_label("Link for your new device").input_value())
    expect(phone.get_by_role("button", name="Add this device")).to_be_visible()
    tour.visit(phone, "46-new-device")
    phone.get_by_role("button", name="Add this device").click()
    expect(phone.get_by_text("Waiting for your other device")).to_be_visible()
    tour.visit(phone, "47-new-device-waiting")
    expect(dialog.get_by_role("button", name="Let it in")).to_be_in_viewport()
    tour.visit(ella, "48-let-the-device-in", full_page=False)
    dialog.get_by_role("button", name="Let it in").click()
    expect(dialog.get_by_text("The new device is in. It reads every page")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(james.locator(".note--device-added")).to_contain_text("Ella added a device.")
    tour.visit(james, "49-device-added")
    # The new device has opened the notebook before it is revoked: a device revoked while it
    # still waits is told it was not let in, another screen.
    expect(phone.locator(".entry__text")).to_have_text(["I never meant for things to end this way"])
    _revoke(tour, ella, phone)


def _revoke(tour: Tour, ella: Page, phone: Page) -> None:
    dialog = sheet(ella, "Your devices")
    other = dialog.locator(".devices__item").filter(has_text="Another of your devices")
    other.get_by_role("button", name="Revoke").click()
    expect(dialog.get_by_role("button", name="Revoke it")).to_be_visible()
    tour.visit(ella, "50-revoke-device", full_page=False)
    dialog.get_by_role("button", name="Revoke it").click()
    expect(dialog.get_by_text("Revoked. New pages are sealed with new keys.")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    closed = phone.get_by_role("heading", name="This notebook is closed to this device")
    expect(closed).to_be_visible()
    tour.visit(phone, "51-device-revoked")


def _lock_and_unlock(tour: Tour, ella: Page) -> None:
    dialog = sheet(ella, "Your devices")
    dialog.get_by_label("A passphrase", exact=True).fill("the long way round")
    dialog.get_by_label("The passphrase again").fill("the long way round")
    dialog.get_by_role("button", name="Lock with this passphrase").click()
    expect(dialog.get_by_text("Locked. The passphrase will be asked for")).to_be_visible()
    tour.visit(ella, "52-lock", full_page=False)
    dialog.get_by_role("button", name="Close").click()
    ella.reload()
    locked = ella.get_by_role("heading", name="This notebook is locked on this device")
    expect(locked).to_be_visible()
    ella.get_by_label("Passphrase").fill("not the passphrase")
    ella.get_by_role("button", name="Unlock").click()
    expect(ella.get_by_role("alert")).to_have_text("That passphrase does not unlock this notebook.")
    tour.visit(ella, "53-unlock")
    ella.get_by_label("Passphrase").fill("the long way round")
    ella.get_by_role("button", name="Unlock").click()
    expect(ella.locator(".entry__text")).to_have_text(["I never meant for things to end this way"])
