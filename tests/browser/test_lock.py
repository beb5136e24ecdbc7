"""The passphrase lock of a device, and refusing weak key derivation from outside the device."""

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import PHONE, couple, write
from .test_devices import _shot

pytestmark = pytest.mark.browser

PASSPHRASE = "the long way round"

AT_REST = """async () => {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('unspoken');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const rows = await new Promise((resolve) => {
    const req = db.transaction('notebooks').objectStore('notebooks').getAll();
    req.onsuccess = () => resolve(req.result);
  });
  const row = rows[0];
  const usable = Object.entries(row).filter(([, v]) => v instanceof CryptoKey).map(([k]) => k);
  const lock = row.vault.lock;
  return {fields: Object.keys(row).sort(), usable, notebook: row.notebookId,
          lock: lock && {name: lock.name, iterations: lock.iterations, salt: lock.salt.length}};
}"""

IN_MEMORY = """async ([id, passphrase]) => {
  const {loadNotebook} = await import('/static/js/store.js');
  const {unlock} = await import('/static/js/vault.js');
  const opened = await unlock(await loadNotebook(id), passphrase);
  return [opened.device.privateKey, opened.exchange.privateKey, ...opened.keyring.values()]
    .map((key) => key.extractable);
}"""

DRAFT_AT_REST = """async (id) => {
  const store = await import('/static/js/store.js');
  const row = await store.withStore('drafts', 'readonly', (s) => s.get(id));
  if (!row) return 'no draft';
  store.useLocalKey(id, null);  // as a thief with this browser's storage key, and no passphrase
  try {
    await store.openOnDevice('draft/' + id, row.sealed);
    return 'opened with the storage key';
  } catch {
    return 'sealed under the lock';
  }
}"""

WEAKEN = """async (id) => {
  const {loadNotebook, saveNotebook} = await import('/static/js/store.js');
  const record = await loadNotebook(id);
  record.vault.lock.iterations = 1000;
  await saveNotebook(record);
}"""


def _lock(page: Page) -> None:
    page.get_by_role("button", name="Your devices", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("A passphrase", exact=True).fill(PASSPHRASE)
    dialog.get_by_label("The passphrase again").fill(PASSPHRASE + "?")
    dialog.get_by_role("button", name="Lock with this passphrase").click()
    expect(dialog.get_by_role("alert")).to_have_text("The two passphrases differ.")
    dialog.get_by_label("The passphrase again").fill(PASSPHRASE)
    dialog.get_by_role("button", name="Lock with this passphrase").click()
    expect(dialog.get_by_text("Locked. The passphrase will be asked for")).to_be_visible()
    _shot(page, "lock-set")
    dialog.get_by_role("button", name="Close").click()


def _unlock(page: Page, passphrase: str) -> None:
    page.get_by_label("Passphrase").fill(passphrase)
    page.get_by_role("button", name="Unlock").click()


def test_a_locked_device_keeps_nothing_usable_and_asks_on_open(
    browser: Browser,
    live_server,
) -> None:
    errors: list[str] = []
    ella, james = couple(browser, PHONE, live_server.url, errors)
    write(ella, "Before the lock")
    _lock(ella)
    rest = ella.evaluate(AT_REST)
    assert rest["usable"] == []  # no private key, no notebook key, as a usable CryptoKey
    assert not {"token", "privateKey", "contentKey", "sealedNotebookKey"} & set(rest["fields"])
    assert rest["lock"] == {"name": "PBKDF2-SHA256", "iterations": 600000, "salt": 16}

    ella.reload()
    locked = ella.get_by_role("heading", name="This notebook is locked on this device")
    expect(locked).to_be_visible()
    _unlock(ella, "not the passphrase")
    expect(ella.get_by_role("alert")).to_have_text("That passphrase does not unlock this notebook.")
    _shot(ella, "lock-asks")
    _unlock(ella, PASSPHRASE)
    expect(ella.locator(".entry__text")).to_have_text(["Before the lock"])
    write(ella, "After unlocking")
    expect(james.locator(".entry__text").last).to_have_text("After unlocking")
    assert ella.evaluate(IN_MEMORY, [rest["notebook"], PASSPHRASE]) == [False] * 3
    ella.get_by_label("Your turn").fill("A draft that stays here")
    expect(ella.get_by_text("Saved on this device")).to_be_visible()
    assert ella.evaluate(DRAFT_AT_REST, rest["notebook"]) == "sealed under the lock"

    ella.evaluate(WEAKEN, rest["notebook"])  # a weaker lock is refused, even from the device
    ella.reload()
    _unlock(ella, PASSPHRASE)
    expect(ella.get_by_role("alert")).to_contain_text("fewer than 600,000 iterations")
    assert errors == []


KEEPSAKE = """async (kdf) => {
  const {startLanguage} = await import('/static/js/i18n.js');
  await startLanguage('en');
  const {openKeepsake} = await import('/static/js/keepsake_file.js');
  const file = {format: 'unspoken-keepsake/1', notebook: 'n', kdf, cipher: 'AES-256-GCM',
                nonce: 'AAAAAAAAAAAAAAAA', ct: 'AAAA'};
  try {
    await openKeepsake(JSON.stringify(file), 'the long way round');
    return 'opened';
  } catch (error) {
    return error.message;
  }
}"""


@pytest.mark.parametrize(
    ("iterations", "salt", "why"),
    [
        (100000, "A" * 22, "fewer than 600,000 iterations"),
        ("600000", "A" * 22, "fewer than 600,000 iterations"),
        (600000.5, "A" * 22, "fewer than 600,000 iterations"),
        (600000, "AAAA", "a salt shorter than 16 bytes"),
        (10**9, "A" * 22, "an unreasonable number of iterations"),
    ],
)
def test_a_keepsake_asking_for_a_weaker_key_is_refused(
    blank_page: Page, iterations: object, salt: str, why: str
) -> None:
    kdf = {"name": "PBKDF2-SHA256", "iterations": iterations, "salt": salt}
    message = blank_page.evaluate(KEEPSAKE, json.loads(json.dumps(kdf)))
    assert message.startswith("This keepsake file asks for a key derivation Unspoken does not")
    assert why in message


def test_a_keepsake_with_our_parameters_gets_as_far_as_the_passphrase(blank_page: Page) -> None:
    kdf = {"name": "PBKDF2-SHA256", "iterations": 600000, "salt": "A" * 22}
    assert blank_page.evaluate(KEEPSAKE, kdf) == "That passphrase does not open this keepsake."
