"""Goodbye in the browser: asked twice, the partner told at once, the notebook read-only for
the one who stays, and forgotten by the leaver's device."""

import re

import httpx
import pytest
from playwright.sync_api import Browser, expect

from .helpers import PHONE, both_widths, couple, sheet, write

pytestmark = pytest.mark.browser


def test_leaving_is_confirmed_twice_and_the_partner_is_told(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "I need to be alone")
    notebook_path = re.sub(r"^https?://[^/]+", "", ella.url)
    notebook_id = notebook_path.rsplit("/", 1)[1]
    # The token rests in the device's sealed vault (docs/protocol.md, "A device at rest").
    token = ella.evaluate(
        """async (id) => {
          const record = await (await import('/static/js/store.js')).loadNotebook(id);
          return (await (await import('/static/js/vault.js')).unlock(record)).token;
        }""",
        notebook_id,
    )
    assert token

    # Staying is always one tap away; the first "yes" only leads to the second question.
    dialog = sheet(ella, "Leave this notebook")
    expect(dialog.get_by_role("heading")).to_have_text("Leave this notebook?")
    dialog.get_by_role("button", name="Stay").click()
    expect(dialog).to_be_hidden()
    dialog = sheet(ella, "Leave this notebook")
    dialog.get_by_role("button", name="Yes, I want to leave").click()
    expect(dialog.get_by_role("heading")).to_have_text("Leave for good?")

    # Before the last question, a copy of the whole notebook is offered: sealed in a file, or
    # printed. Neither is in the way: the question waits where it was.
    offer = dialog.get_by_role("group", name="Keep a copy before you go")
    expect(offer).to_be_visible()
    expect(dialog.get_by_role("button", name="Leave for good")).to_be_focused()
    both_widths(ella, "leave-keep-a-copy", full_page=False)
    offer.get_by_role("button", name="Save a sealed file").click()
    kept = ella.get_by_role("dialog", name="Keep a copy")
    expect(kept.get_by_label("A passphrase for this copy")).to_be_visible()
    kept.get_by_role("button", name="Close").click()
    expect(kept).to_have_count(0)
    offer.get_by_role("button", name="Print the whole notebook").click()
    keepsake = ella.get_by_role("region", name="Keepsake")
    expect(keepsake.locator(".keepsake__title")).to_have_text("The whole notebook")
    expect(keepsake.locator(".keepsake__chapter")).to_have_text(["Chapter 1 · The first pages"])
    expect(keepsake.locator(".entry__text")).to_have_text(["I need to be alone"])
    expect(ella.get_by_role("dialog")).to_have_count(0)  # nothing over the pages to print
    keepsake.get_by_role("button", name="Back to the notebook").click()
    expect(keepsake).to_have_count(0)
    dialog = ella.get_by_role("dialog")
    expect(dialog.get_by_role("heading")).to_have_text("Leave for good?")
    expect(dialog.get_by_role("button", name="Leave for good")).to_be_focused()
    expect(james.locator(".note--member-left")).to_have_count(0)  # nothing sent yet
    dialog.get_by_role("button", name="Leave for good").click()

    expect(ella.get_by_role("heading", name="Goodbye")).to_be_visible()
    expect(ella.get_by_text("You have left the notebook. James has been told.")).to_be_visible()

    told = james.get_by_role("status", name="Goodbye")
    expect(told.locator(".card__title")).to_have_text("Ella has left the notebook")
    expect(told).to_contain_text("You can still read every page.")
    expect(james.get_by_text("Nothing more can be added to this notebook.")).to_be_visible()
    # Said once on the screen: the margin note waits behind the goodbye's card.
    expect(james.locator(".note--member-left .note__line")).to_have_text("Ella left the notebook.")
    expect(james.locator(".note--member-left")).to_be_hidden()
    left = james.get_by_text(re.compile("left the notebook")).filter(visible=True)
    expect(left).to_have_count(1)
    nothing_more = james.get_by_text(re.compile("nothing more can be added", re.IGNORECASE))
    expect(nothing_more.filter(visible=True)).to_have_count(1)
    expect(james.locator(".entry__text")).to_have_text(["I need to be alone"])  # still readable
    expect(james.get_by_label("Your turn")).to_have_count(0)
    expect(james.get_by_role("button", name="Make a promise")).to_have_count(0)

    # The leaver's token opens nothing more, and the device has forgotten the notebook.
    answer = httpx.get(
        f"{live_server.url}/v1/notebooks/{notebook_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 404
    ella.goto(notebook_path)
    expect(ella.get_by_role("heading", name="This notebook isn’t on this device")).to_be_visible()
    ella.goto("/")
    expect(ella.get_by_role("heading", name="Begin a notebook")).to_be_visible()
    assert errors == []


def test_a_goodbye_during_a_pause_ends_it_without_a_word_of_its_own(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    dialog = sheet(ella, "I need time")
    dialog.get_by_role("radio", name="Three hours").check()
    dialog.get_by_role("button", name="Ask for time").click()
    expect(james.get_by_role("region", name="Time and space")).to_be_visible()

    dialog = sheet(james, "Leave this notebook")
    dialog.get_by_role("button", name="Yes, I want to leave").click()
    dialog.get_by_role("button", name="Leave for good").click()

    expect(ella.locator(".note--member-left .note__line")).to_have_text("James left the notebook.")
    # The pause ended with the goodbye: no card waits for a return, and no "time is over" line.
    expect(ella.get_by_role("region", name="Time and space")).to_have_count(0)
    expect(ella.locator(".note--pause-ended")).to_have_count(0)
    ella.reload()
    expect(ella.locator(".note--member-left")).to_have_count(1)
    expect(ella.locator(".note--pause-ended")).to_have_count(0)
    expect(ella.get_by_role("region", name="Time and space")).to_have_count(0)
    assert errors == []
