"""The browser's protocol (static/js/protocol) against the shared vectors, in real Chromium."""

import json
import secrets
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from unspoken.protocol import box, chain, ink, items, keys, messages
from unspoken.protocol.encoding import b64encode, new_id

from .helpers import in_harness

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "protocol-v1.json").read_text("utf-8")
)

pytestmark = pytest.mark.browser

HARNESS = "/tests/protocol_harness.js"


def _call(page: Page, function: str, argument: Any) -> Any:
    script = f"async (arg) => (await import('{HARNESS}')).{function}(arg)"
    return page.evaluate(script, argument)


@pytest.fixture(scope="module")
def js(browser: Browser, static_url: str) -> Any:
    """Everything the browser computes from the vectors, computed once."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{static_url}/blank")
    result = _call(page, "run", VECTORS)
    context.close()
    return result


def test_word_list_is_the_pinned_one(js: Any) -> None:
    assert js["words"] == VECTORS["words"]


def test_b64_round_trips(js: Any) -> None:
    for case, got in zip(VECTORS["b64"], js["encoding"]["b64"], strict=True):
        assert got == {"text": case["text"], "hex": case["hex"]}


def test_b64_decoding_is_strict(js: Any) -> None:
    refused = js["encoding"]["b64_invalid_refused"]
    assert all(refused), dict(zip(VECTORS["b64_invalid"], refused, strict=True))


def test_lp_framing(js: Any) -> None:
    assert js["encoding"]["lp"] == [case["out_hex"] for case in VECTORS["lp"]]


def test_padding_sizes(js: Any) -> None:
    for case, got in zip(VECTORS["padding"], js["encoding"]["padding"], strict=True):
        assert got == {"padded_len": case["padded_len"], "unpadded_len": case["plaintext_len"]}


def test_derive(js: Any) -> None:
    assert js["derivations"]["derive"] == [case["out_hex"] for case in VECTORS["derive"]]


def test_content_key(js: Any) -> None:
    assert js["derivations"]["content_key"] == [c["out_hex"] for c in VECTORS["content_key"]]


def test_device_keys_from_seeds(js: Any) -> None:
    expected = [
        {"public_hex": d["public_hex"], "device_id": d["device_id"]} for d in VECTORS["devices"]
    ]
    assert js["derivations"]["devices"] == expected


def test_invite_keys_and_claim_hash(js: Any) -> None:
    got, want = js["invite"], VECTORS["invite"]
    for field in ("claim_hex", "wrap_hex", "mac_hex", "claim_hash_hex", "key_mac_hex", "aad_hex"):
        assert got[field] == want[field], field
    assert got["key_mac_verifies"] is True
    assert got["tampered_key_mac_verifies"] is False


def test_invite_bundle_seals_and_opens(js: Any) -> None:
    assert js["invite"]["box_hex"] == VECTORS["invite"]["box_hex"]
    assert js["invite"]["opened"] == VECTORS["invite"]["bundle"]


@pytest.mark.parametrize("index", range(len(VECTORS["entries"])))
def test_entry(js: Any, index: int) -> None:
    got, want = js["entries"][index], VECTORS["entries"][index]
    for field in ("aad_hex", "box_hex", "signed_hex", "sig_hex", "hash_hex", "plaintext_hex"):
        assert got[field] == want[field], field
    assert got["opened_text"] == want["text"]
    assert got["opened_hash_hex"] == want["hash_hex"]
    assert got["bad_sig_verifies"] is False


def test_entries_form_a_chain() -> None:
    entries = VECTORS["entries"]
    for before, after in zip(entries, entries[1:], strict=False):
        assert after["prev_hex"] == before["hash_hex"]


def test_profile(js: Any) -> None:
    got, want = js["profile"], VECTORS["profile"]
    for field in ("aad_hex", "box_hex", "sig_hex"):
        assert got[field] == want[field], field
    assert got["opened"] == want["profile"]


@pytest.mark.parametrize("index", range(len(VECTORS["items"])))
def test_item(js: Any, index: int) -> None:
    got, want = js["items"][index], VECTORS["items"][index]
    for field in ("aad_hex", "box_hex", "signed_hex", "sig_hex"):
        assert got[field] == want[field], (want["kind"], field)
    assert got["opened"] == want["body"]
    assert got["bad_sig_refused"] is True
    assert got["wrong_ref_refused"] is True


@pytest.mark.parametrize("index", range(len(VECTORS["drafts"])))
def test_draft_frame(js: Any, index: int) -> None:
    got, want = js["drafts"][index], VECTORS["drafts"][index]
    for field in ("aad_hex", "box_hex", "sig_hex"):
        assert got[field] == want[field], field
    assert got["opened_text"] == want["text"]
    assert got["moved_frame_refused"] is True


def test_safety_phrases(js: Any) -> None:
    assert js["safety"] == [case["phrase"] for case in VECTORS["safety"]]


def test_python_entry_opens_in_the_browser(blank_page: Page) -> None:
    notebook_key, notebook_id, entry_id = secrets.token_bytes(32), new_id(), new_id()
    ck = keys.content_key(notebook_key, notebook_id)
    device = keys.DeviceKey.generate()
    prev = secrets.token_bytes(32)
    signed = messages.seal_entry(ck, device, (notebook_id, 3, entry_id, prev), "Nor did I ✍️")
    record = {
        "chapter": 3,
        "id": entry_id,
        "device": device.id,
        "prev": b64encode(prev),
        **signed.wire(),
    }
    got = _call(
        blank_page,
        "openForeignEntry",
        {
            "ck_hex": ck.hex(),
            "public_hex": device.public.hex(),
            "notebook_id": notebook_id,
            "record": record,
        },
    )
    assert got == {"text": "Nor did I ✍️", "hash_hex": signed.hash.hex()}


def test_browser_entry_opens_in_python(blank_page: Page) -> None:
    notebook_id, entry_id = new_id(), new_id()
    ck = keys.content_key(secrets.token_bytes(32), notebook_id)
    prev = chain.GENESIS
    made = _call(
        blank_page,
        "makeEntry",
        {
            "ck_hex": ck.hex(),
            "notebook_id": notebook_id,
            "chapter": 1,
            "entry_id": entry_id,
            "prev_hex": prev.hex(),
            "text": "I don't want to lose you.",
        },
    )
    assert made["private_extractable"] is False
    public, sealed = bytes.fromhex(made["public_hex"]), bytes.fromhex(made["box_hex"])
    sig = bytes.fromhex(made["sig_hex"])
    assert made["device_id"] == keys.device_id(public)
    additional = chain.entry_aad(notebook_id, 1, entry_id, made["device_id"], prev)
    assert made["aad_hex"] == additional.hex()
    assert chain.verify_signature(public, additional, sealed, sig)
    plaintext = json.loads(box.open_box(ck, sealed, additional))
    assert plaintext == {"type": "text", "text": "I don't want to lose you."}
    assert made["hash_hex"] == chain.entry_hash(additional, sealed, sig).hex()


def test_safety_phrases_over_several_devices(js: Any) -> None:
    several = [i for i, c in enumerate(VECTORS["safety"]) if "keys_hex" in c]
    assert several and [js["safety"][i] for i in several] == [
        VECTORS["safety"][i]["phrase"] for i in several
    ]


@pytest.mark.parametrize("index", range(len(VECTORS["epochs"]["entries"])))
def test_entry_in_a_later_epoch(js: Any, index: int) -> None:
    got, want = js["epochs"]["entries"][index], VECTORS["epochs"]["entries"][index]
    assert (got["box_hex"], got["sig_hex"], got["hash_hex"]) == (
        want["box_hex"],
        want["sig_hex"],
        want["hash_hex"],
    )
    assert got["epoch_of"] == want["epoch"] and got["opened_text"] == want["text"]
    assert got["moved_refused"] is True and got["missing_refused"] is True


def test_item_in_a_later_epoch(js: Any) -> None:
    got, want = js["epochs"]["item"], VECTORS["epochs"]["item"]
    assert (got["box_hex"], got["sig_hex"], got["opened"]) == (
        want["box_hex"],
        want["sig_hex"],
        want["body"],
    )


@pytest.mark.parametrize("index", range(len(VECTORS["exchange_keys"])))
def test_exchange_key(js: Any, index: int) -> None:
    got, want = js["exchange_keys"][index], VECTORS["exchange_keys"][index]
    assert got == {
        "public_hex": want["public_hex"],
        "sig_hex": want["sig_hex"],
        "verifies": True,
        "elsewhere": False,
        "short_is_promise": True,
        "short_verifies": False,
    }


@pytest.mark.parametrize("index", range(len(VECTORS["wraps"])))
def test_epoch_key_wrap(js: Any, index: int) -> None:
    got, want = js["wraps"][index], VECTORS["wraps"][index]
    assert (got["wrap_hex"], got["sig_hex"]) == (want["wrap_hex"], want["sig_hex"])
    assert got["unwrapped_hex"] == want["epoch_key_hex"]
    assert got["wrong_epoch_refused"] is True and got["stranger_refused"] is True


def test_device_link(js: Any) -> None:
    got, want = js["device_link"], VECTORS["device_link"]
    for field in (
        "claim_hex",
        "claim_hash_hex",
        "device_mac_hex",
        "cert_hex",
        "revoke_sig_hex",
        "package_box_hex",
    ):
        assert got[field] == want[field], field
    assert got["mac_verifies"] is True and got["tampered_verifies"] is False
    assert got["opened"] == {
        "notebook_id": want["notebook_id"],
        "member_id": want["member_id"],
        **want["package"],
    }


# Ink (docs/protocol.md, "Ink"): tests/vectors/protocol-ink.json, run by ink_harness.js.
INK = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "protocol-ink.json").read_text("utf-8")
)


def _strokes(strokes: list[list[list[int]]]) -> ink.Strokes:
    return tuple(tuple((p[0], p[1], p[2], p[3]) for p in stroke) for stroke in strokes)


@pytest.fixture(scope="module")
def js_ink(browser: Browser, static_url: str) -> Any:
    return in_harness(browser, static_url, "ink_harness.js:run", INK)


def test_ink_limits_are_pythons(js_ink: Any) -> None:
    assert js_ink["limits"] == ink.LIMITS == INK["limits"]


def test_ink_packs_byte_for_byte_as_in_python(js_ink: Any) -> None:
    for case, got in zip(INK["packed"], js_ink["packed"], strict=True):
        assert got == {"hex": case["packed_hex"], "strokes": case["strokes"]}, case["why"]


def test_pythons_compressed_ink_decodes_in_the_browser(js_ink: Any) -> None:
    for case, got in zip(INK["compressed"], js_ink["compressed"], strict=True):
        assert got == case["strokes"], case["why"]


def test_the_browsers_compressed_ink_decodes_in_python(js_ink: Any) -> None:
    for case, got in zip(INK["packed"], js_ink["encoded"], strict=True):
        assert ink.decode_ink(bytes.fromhex(got)) == _strokes(case["strokes"]), case["why"]


def test_the_browser_refuses_each_bad_ink_encoding(js_ink: Any) -> None:
    whys = [case["why"] for case in INK["refused"]]
    assert dict(zip(whys, js_ink["refused"], strict=True)) == dict.fromkeys(whys, "refused")


def test_the_browser_refuses_strokes_beyond_the_limits(js_ink: Any) -> None:
    whys = [case["why"] for case in INK["refused_strokes"]]
    got = dict(zip(whys, js_ink["refused_strokes"], strict=True))
    assert got == dict.fromkeys(whys, ["refused", "refused"])
    assert js_ink["at_the_byte_limit"] == ["taken", "refused"]
    assert js_ink["empty_entry"] == "refused"


def test_pythons_ink_entry_and_draft_frame_open_in_the_browser(js_ink: Any) -> None:
    entry, draft = INK["entry"], INK["draft"]
    assert js_ink["entry"] == {
        "text": entry["text"],
        "ink": entry["ink"],
        "hash_hex": entry["hash_hex"],
    }
    assert js_ink["draft"] == {"text": draft["text"], "ink": draft["ink"]}


def test_the_browsers_ink_entry_and_draft_frame_open_in_python(js_ink: Any) -> None:
    made, entry = js_ink["made"], INK["entry"]
    ck, key = bytes.fromhex(entry["ck_hex"]), bytes.fromhex(made["public_hex"])
    record = {
        "chapter": 1,
        "id": INK["made"]["entry_id"],
        "device": made["device_id"],
        "prev": b64encode(bytes.fromhex(INK["made"]["prev_hex"])),
        "ct": b64encode(bytes.fromhex(made["entry"]["box_hex"])),
        "sig": b64encode(bytes.fromhex(made["entry"]["sig_hex"])),
    }
    body, _ = messages.open_entry_body(ck, key, entry["notebook_id"], record)
    assert (body["type"], body["text"], body["ink"]) == ("ink", "hi", _strokes(entry["ink"]))
    frame = {
        "chapter": 1,
        "draft": INK["made"]["entry_id"],
        "n": 0,
        "device": made["device_id"],
        "ct": b64encode(bytes.fromhex(made["draft"]["box_hex"])),
        "sig": b64encode(bytes.fromhex(made["draft"]["sig_hex"])),
    }
    got = items.open_draft_frame(ck, key, entry["notebook_id"], frame)
    assert got == ("", _strokes(entry["ink"]))
