"""A thousand random entries across the two implementations: Python to browser and back."""

import json
import random
import secrets
from typing import Any

import pytest
from playwright.sync_api import Page

from unspoken.protocol import box, chain, keys, messages
from unspoken.protocol.encoding import b64encode, new_id

pytestmark = pytest.mark.browser

EACH_WAY = 500
HARNESS = "/tests/protocol_harness.js"
# Letters, accents, combining marks, right-to-left script, emoji with joiners, line breaks.
ALPHABET = "abcxyz ÄéñøßΩж中文عربي\u0301\u200d🙂👩‍❤️‍👨✍️\n\t\"'\\<>&"


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.choice([0, 1, 7, 80, 600, 3000])))


def _call(page: Page, function: str, argument: Any) -> Any:
    return page.evaluate(f"async (a) => (await import('{HARNESS}')).{function}(a)", argument)


def test_python_entries_open_in_the_browser(blank_page: Page) -> None:
    rng = random.Random(5869)
    notebook_id = new_id()
    ck = keys.content_key(secrets.token_bytes(32), notebook_id)
    device = keys.DeviceKey.generate()
    inputs, expected = [], []
    for _ in range(EACH_WAY):
        entry_id, prev, text = new_id(), secrets.token_bytes(32), _text(rng)
        chapter = rng.randint(1, 9)
        signed = messages.seal_entry(ck, device, (notebook_id, chapter, entry_id, prev), text)
        record = {
            "chapter": chapter,
            "id": entry_id,
            "device": device.id,
            "prev": b64encode(prev),
            **signed.wire(),
        }
        inputs.append(
            {
                "ck_hex": ck.hex(),
                "public_hex": device.public.hex(),
                "notebook_id": notebook_id,
                "record": record,
            }
        )
        expected.append({"text": text, "hash_hex": signed.hash.hex()})
    assert _call(blank_page, "openForeignEntries", inputs) == expected


def test_browser_entries_open_in_python(blank_page: Page) -> None:
    rng = random.Random(8032)
    notebook_id = new_id()
    ck = keys.content_key(secrets.token_bytes(32), notebook_id)
    inputs = [
        {
            "ck_hex": ck.hex(),
            "notebook_id": notebook_id,
            "chapter": rng.randint(1, 9),
            "entry_id": new_id(),
            "prev_hex": secrets.token_bytes(32).hex(),
            "text": _text(rng),
        }
        for _ in range(EACH_WAY)
    ]
    made = _call(blank_page, "makeEntries", inputs)
    for sent, got in zip(inputs, made, strict=True):
        public, sealed, sig = (bytes.fromhex(got[k]) for k in ("public_hex", "box_hex", "sig_hex"))
        additional = chain.entry_aad(
            notebook_id,
            sent["chapter"],
            sent["entry_id"],
            keys.device_id(public),
            bytes.fromhex(sent["prev_hex"]),
        )
        assert chain.verify_signature(public, additional, sealed, sig)
        opened = json.loads(box.open_box(ck, sealed, additional))
        assert opened == {"type": "text", "text": sent["text"]}
        assert got["hash_hex"] == chain.entry_hash(additional, sealed, sig).hex()
