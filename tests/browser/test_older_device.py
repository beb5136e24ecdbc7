"""A browser that saved its notebook before devices and key epochs keeps working: its record is
moved into a vault, it publishes an exchange key, and new epochs reach it."""

import sqlite3

import pytest
from playwright.sync_api import Browser, expect

from .helpers import LAPTOP, PHONE, couple, person, write

pytestmark = pytest.mark.browser

# Rewrite this browser's record in the shape every record had before devices and epochs: a
# stored non-extractable signing key, the content key, the notebook key sealed on the device,
# the token in the clear, and no vault.
MAKE_OLD = """async () => {
  const store = await import('/static/js/store.js');
  const vault = await import('/static/js/vault.js');
  const keys = await import('/static/js/protocol/keys.js');
  const record = await store.latestNotebook();
  const id = record.notebookId;
  const opened = await vault.unlock(record);
  const nk = (await vault.notebookKeys(record, opened.key))[0];
  await store.saveNotebook({
    notebookId: id, memberId: record.memberId, deviceId: record.deviceId, role: record.role,
    token: opened.token, privateKey: opened.device.privateKey, publicKey: record.publicKey,
    contentKey: await keys.contentKey(nk, id),
    sealedNotebookKey: await store.sealNotebookKey(id, nk),
    partnerKey: record.partnerKey, invite: null, profile: record.profile,
  });
  return record.deviceId;
}"""

FIELDS = """async () => {
  const store = await import('/static/js/store.js');
  return Object.keys(await store.latestNotebook()).sort();
}"""


def _exchange_key(database: object, device: str) -> bytes | None:
    with sqlite3.connect(str(database), timeout=10) as db:
        row = db.execute("SELECT exchange_key FROM devices WHERE id = ?", (device,)).fetchone()
    return None if row[0] is None else bytes(row[0])


def test_an_older_device_is_moved_into_a_vault_and_new_epochs_reach_it(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "Written before the update")
    device = ella.evaluate(MAKE_OLD)
    with sqlite3.connect(str(live_server.database), timeout=10) as db:  # as the server had it
        db.execute(
            "UPDATE devices SET exchange_key = NULL, exchange_sig = NULL WHERE id = ?", (device,)
        )
    assert _exchange_key(live_server.database, device) is None

    ella.reload()
    expect(ella.locator(".entry__text")).to_have_text(["Written before the update"])
    fields = ella.evaluate(FIELDS)
    assert "vault" in fields and not {"token", "contentKey", "sealedNotebookKey"} & set(fields)
    assert len(_exchange_key(live_server.database, device) or b"") == 32
    write(ella, "Written after the update")
    expect(james.locator(".entry__text").last).to_have_text("Written after the update")

    # James adds a laptop and revokes it: the new epoch's key must reach Ella's older device.
    ella.get_by_role("button", name="Pass the notebook to James").click()
    james.get_by_role("button", name="Your devices", exact=True).click()
    dialog = james.get_by_role("dialog")
    dialog.get_by_role("button", name="Add a device").click()
    link = dialog.get_by_label("Link for your new device").input_value()
    laptop = person(browser, LAPTOP, live_server.url, [])
    laptop.goto(link)
    laptop.get_by_role("button", name="Add this device").click()
    dialog.get_by_role("button", name="Let it in").click()
    expect(dialog.get_by_text("The new device is in.")).to_be_visible()
    other = dialog.locator(".devices__item").filter(has_text="Another of your devices")
    other.get_by_role("button", name="Revoke").click()
    dialog.get_by_role("button", name="Revoke it").click()
    expect(dialog.get_by_text("Revoked.")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    write(james, "Under new keys")
    expect(ella.locator(".entry__text").last).to_have_text("Under new keys")
    expect(ella.locator(".entry--unverified")).to_have_count(0)

    ella.get_by_role("button", name="Your devices", exact=True).click()
    sheet = ella.get_by_role("dialog")
    sheet.get_by_label("A passphrase", exact=True).fill("the long way round")
    sheet.get_by_label("The passphrase again").fill("the long way round")
    sheet.get_by_role("button", name="Lock with this passphrase").click()
    expect(sheet.get_by_role("alert")).to_contain_text("made before the lock existed")
    assert errors == []
