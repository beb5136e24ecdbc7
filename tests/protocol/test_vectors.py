"""The Python implementation against the shared vectors (the browser runs the same file)."""

import json
from pathlib import Path
from typing import Any

import pytest

from unspoken.protocol import box, chain, devices, exchange, items, keys, messages, safety
from unspoken.protocol.encoding import b64decode, b64encode, lp
from unspoken.protocol.errors import ProtocolError

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "protocol-v1.json").read_text(encoding="utf-8")
)


def test_vectors_are_for_protocol_one() -> None:
    assert VECTORS["protocol"] == 1


def test_word_list_matches() -> None:
    assert list(safety.WORDS) == VECTORS["words"]


@pytest.mark.parametrize("case", VECTORS["b64"])
def test_b64(case: dict[str, str]) -> None:
    assert b64encode(bytes.fromhex(case["hex"])) == case["text"]
    assert b64decode(case["text"]).hex() == case["hex"]


@pytest.mark.parametrize("text", VECTORS["b64_invalid"])
def test_b64_refuses(text: str) -> None:
    with pytest.raises(ProtocolError):
        b64decode(text)


@pytest.mark.parametrize("case", VECTORS["lp"])
def test_lp(case: dict[str, Any]) -> None:
    assert lp(*(bytes.fromhex(p) for p in case["parts_hex"])).hex() == case["out_hex"]


@pytest.mark.parametrize("case", VECTORS["derive"])
def test_derive(case: dict[str, str]) -> None:
    out = keys.derive(bytes.fromhex(case["ikm_hex"]), case["label"], case["context"])
    assert out.hex() == case["out_hex"]


@pytest.mark.parametrize("case", VECTORS["content_key"])
def test_content_key(case: dict[str, str]) -> None:
    out = keys.content_key(bytes.fromhex(case["notebook_key_hex"]), case["notebook_id"])
    assert out.hex() == case["out_hex"]


@pytest.mark.parametrize("case", VECTORS["devices"])
def test_device(case: dict[str, str]) -> None:
    device = keys.DeviceKey.from_seed(bytes.fromhex(case["seed_hex"]))
    assert device.public.hex() == case["public_hex"]
    assert device.id == case["device_id"] == keys.device_id(device.public)


@pytest.mark.parametrize("case", VECTORS["padding"])
def test_padding(case: dict[str, int]) -> None:
    padded = box.pad(bytes(case["plaintext_len"]))
    assert len(padded) == case["padded_len"]
    assert box.unpad(padded) == bytes(case["plaintext_len"])


def test_invite() -> None:
    case = VECTORS["invite"]
    invite = keys.InviteKeys.from_secret(b64decode(case["secret"]), case["invite_id"])
    assert invite.claim.hex() == case["claim_hex"]
    assert invite.wrap.hex() == case["wrap_hex"]
    assert invite.mac.hex() == case["mac_hex"]
    assert invite.claim_hash.hex() == case["claim_hash_hex"]
    joiner = bytes.fromhex(case["joiner_device_key_hex"])
    assert invite.joiner_mac(case["invite_id"], joiner).hex() == case["key_mac_hex"]
    assert chain.invite_aad(case["invite_id"]).hex() == case["aad_hex"]
    sealed = bytes.fromhex(case["box_hex"])
    bundle = messages.Bundle.open(invite.wrap, case["invite_id"], sealed)
    assert bundle.notebook_id == case["bundle"]["notebook_id"]
    assert b64encode(bundle.notebook_key) == case["bundle"]["notebook_key"]
    assert b64encode(bundle.creator_device_key) == case["bundle"]["creator_device_key"]
    assert bundle.seal(invite.wrap, case["invite_id"], bytes.fromhex(case["nonce_hex"])) == sealed


@pytest.mark.parametrize("case", VECTORS["entries"])
def test_entry(case: dict[str, Any]) -> None:
    device = keys.DeviceKey.from_seed(bytes.fromhex(case["device_seed_hex"]))
    prev = bytes.fromhex(case["prev_hex"])
    place = (case["notebook_id"], case["chapter"], case["entry_id"], prev)
    signed = messages.seal_entry(
        bytes.fromhex(case["ck_hex"]), device, place, case["text"], bytes.fromhex(case["nonce_hex"])
    )
    assert signed.aad.hex() == case["aad_hex"]
    assert signed.box.hex() == case["box_hex"]
    assert chain.signed_message(signed.aad, signed.box).hex() == case["signed_hex"]
    assert signed.sig.hex() == case["sig_hex"]
    assert signed.hash.hex() == case["hash_hex"]
    padded_plain = box.pad(bytes.fromhex(case["plaintext_hex"]))
    assert len(signed.box) == 1 + 12 + len(padded_plain) + 16


def test_entries_form_a_chain() -> None:
    entries = VECTORS["entries"]
    assert entries[0]["prev_hex"] == chain.GENESIS.hex()
    for before, after in zip(entries, entries[1:], strict=False):
        assert after["prev_hex"] == before["hash_hex"]


def test_profile() -> None:
    case = VECTORS["profile"]
    device = keys.DeviceKey.from_seed(bytes.fromhex(case["device_seed_hex"]))
    ck = bytes.fromhex(case["ck_hex"])
    signed = messages.seal_profile(
        ck, device, case["notebook_id"], case["profile"], bytes.fromhex(case["nonce_hex"])
    )
    assert signed.aad.hex() == case["aad_hex"]
    assert signed.box.hex() == case["box_hex"]
    assert signed.sig.hex() == case["sig_hex"]
    opened = messages.open_profile(
        ck,
        device.public,
        case["notebook_id"],
        case["device_id"],
        b64encode(signed.box),
        b64encode(signed.sig),
    )
    assert opened == case["profile"]


@pytest.mark.parametrize("case", VECTORS["safety"])
def test_safety_phrase(case: dict[str, Any]) -> None:
    hexes = case.get("keys_hex") or [case["key_a_hex"], case["key_b_hex"]]
    phrase = safety.safety_phrase(case["notebook_id"], *(bytes.fromhex(k) for k in hexes))
    assert phrase == case["phrase"]
    assert len(set(phrase.split(" "))) == 8  # eight different words


def test_a_phrase_never_repeats_a_word() -> None:
    """Over many notebooks (about one in ten would repeat a word if each byte picked one)."""
    a, b = bytes(range(32)), bytes(range(1, 33))
    for n in range(500):
        assert len(set(safety.safety_phrase(f"notebook-{n}", a, b).split(" "))) == 8


@pytest.mark.parametrize("case", VECTORS["items"], ids=lambda c: c["kind"])
def test_item(case: dict[str, Any]) -> None:
    device = keys.DeviceKey.from_seed(bytes.fromhex(case["device_seed_hex"]))
    place = items.Place(case["notebook_id"], case["kind"], case["item_id"], case["ref"])
    ck = bytes.fromhex(case["ck_hex"])
    signed = items.seal_item(ck, device, place, case["body"], bytes.fromhex(case["nonce_hex"]))
    assert signed.aad.hex() == case["aad_hex"]
    assert signed.box.hex() == case["box_hex"]
    assert chain.signed_message(signed.aad, signed.box).hex() == case["signed_hex"]
    assert signed.sig.hex() == case["sig_hex"]
    opened = items.open_item(
        ck, device.public, place, case["device_id"], b64encode(signed.box), b64encode(signed.sig)
    )
    assert opened == case["body"]
    elsewhere = items.Place(case["notebook_id"], case["kind"], case["item_id"], "moved")
    with pytest.raises(ProtocolError):
        items.open_item(
            ck,
            device.public,
            elsewhere,
            case["device_id"],
            b64encode(signed.box),
            b64encode(signed.sig),
        )


@pytest.mark.parametrize("case", VECTORS["drafts"])
def test_draft_frame(case: dict[str, Any]) -> None:
    device = keys.DeviceKey.from_seed(bytes.fromhex(case["device_seed_hex"]))
    place = (case["notebook_id"], case["chapter"], case["draft_id"], case["n"])
    ck = bytes.fromhex(case["ck_hex"])
    signed = items.seal_draft(ck, device, place, case["text"], bytes.fromhex(case["nonce_hex"]))
    assert (signed.aad.hex(), signed.box.hex(), signed.sig.hex()) == (
        case["aad_hex"],
        case["box_hex"],
        case["sig_hex"],
    )
    frame = {
        "chapter": case["chapter"],
        "draft": case["draft_id"],
        "n": case["n"],
        "device": case["device_id"],
        "ct": b64encode(signed.box),
        "sig": b64encode(signed.sig),
    }
    assert items.open_draft(ck, device.public, case["notebook_id"], frame) == case["text"]


def test_a_phrase_over_several_devices_depends_on_every_device() -> None:
    cases = [c for c in VECTORS["safety"] if "keys_hex" in c]
    assert cases[0]["phrase"] == cases[1]["phrase"]  # the same devices, in another order
    assert cases[0]["phrase"] != cases[2]["phrase"]  # one more device, another phrase
    two = next(c for c in VECTORS["safety"] if "key_a_hex" in c)
    assert cases[0]["phrase"] != two["phrase"]


@pytest.mark.parametrize("case", VECTORS["epochs"]["entries"], ids=lambda c: str(c["epoch"]))
def test_entry_in_a_later_epoch(case: dict[str, Any]) -> None:
    device = keys.DeviceKey.from_seed(bytes.fromhex(case["device_seed_hex"]))
    prev, epoch, ck = bytes.fromhex(case["prev_hex"]), case["epoch"], bytes.fromhex(case["ck_hex"])
    ring = {n: (ck if n == epoch else bytes(32)) for n in range(epoch + 1)}
    place = (case["notebook_id"], case["chapter"], case["entry_id"], prev)
    nonce = bytes.fromhex(case["nonce_hex"])
    signed = messages.seal_entry(ring, device, place, case["text"], nonce)
    assert (signed.aad.hex(), signed.box.hex(), signed.sig.hex(), signed.hash.hex()) == (
        case["aad_hex"],
        case["box_hex"],
        case["sig_hex"],
        case["hash_hex"],
    )
    assert signed.box[0] == 2 and box.epoch_of(signed.box) == epoch
    record = {
        "chapter": case["chapter"],
        "id": case["entry_id"],
        "device": case["device_id"],
        "prev": b64encode(prev),
        **signed.wire(),
    }
    assert (
        messages.open_entry({epoch: ck}, device.public, case["notebook_id"], record)[0]
        == (case["text"])
    )
    assert (
        box.open_box(ck, signed.box, bytes.fromhex(case["aad_hex"]))
        == json.dumps({"type": "text", "text": case["text"]}, separators=(",", ":")).encode()
    )


def test_a_box_cannot_be_passed_off_under_another_epoch() -> None:
    case = VECTORS["epochs"]["entries"][0]
    sealed, ck = bytearray(bytes.fromhex(case["box_hex"])), bytes.fromhex(case["ck_hex"])
    sealed[4] ^= 3  # the header now claims epoch 2; the same key still refuses it
    with pytest.raises(ProtocolError):
        box.open_box(ck, bytes(sealed), bytes.fromhex(case["aad_hex"]))
    with pytest.raises(ProtocolError, match="no key for epoch"):
        box.open_box({0: ck}, bytes.fromhex(case["box_hex"]), bytes.fromhex(case["aad_hex"]))


def test_item_in_a_later_epoch() -> None:
    case = VECTORS["epochs"]["item"]
    device = keys.DeviceKey.from_seed(bytes.fromhex(case["device_seed_hex"]))
    place = items.Place(case["notebook_id"], case["kind"], case["item_id"], case["ref"])
    ring = {0: bytes(32), 1: bytes(32), 2: bytes.fromhex(case["ck_hex"])}
    signed = items.seal_item(ring, device, place, case["body"], bytes.fromhex(case["nonce_hex"]))
    assert (signed.box.hex(), signed.sig.hex()) == (case["box_hex"], case["sig_hex"])
    opened = items.open_item(
        {2: ring[2]},
        device.public,
        place,
        case["device_id"],
        b64encode(signed.box),
        b64encode(signed.sig),
    )
    assert opened == case["body"]


@pytest.mark.parametrize("case", VECTORS["exchange_keys"], ids=lambda c: c["name"])
def test_exchange_key(case: dict[str, str]) -> None:
    kx = exchange.ExchangeKey.from_private_bytes(bytes.fromhex(case["private_hex"]))
    device = keys.DeviceKey.from_seed(bytes.fromhex(case["device_seed_hex"]))
    assert kx.public.hex() == case["public_hex"]
    sig = exchange.sign_exchange_key(device, case["notebook_id"], kx.public)
    assert sig.hex() == case["sig_hex"]
    assert exchange.verify_exchange_key(device.public, case["notebook_id"], kx.public, sig)
    assert not exchange.verify_exchange_key(device.public, "elsewhere", kx.public, sig)


@pytest.mark.parametrize("case", VECTORS["wraps"], ids=lambda c: str(c["epoch"]))
def test_epoch_key_wrap(case: dict[str, Any]) -> None:
    by = keys.DeviceKey.from_seed(bytes.fromhex(case["by_seed_hex"]))
    me = exchange.ExchangeKey.from_private_bytes(bytes.fromhex(case["recipient_private_hex"]))
    eph = exchange.ExchangeKey.from_private_bytes(bytes.fromhex(case["ephemeral_private_hex"]))
    place = (case["notebook_id"], case["epoch"], case["device_id"])
    epoch_key = bytes.fromhex(case["epoch_key_hex"])
    made = exchange.wrap_epoch_key(
        by, place, me.public, epoch_key, eph, bytes.fromhex(case["nonce_hex"])
    )
    assert (made.wrap.hex(), made.sig.hex()) == (case["wrap_hex"], case["sig_hex"])
    assert exchange.unwrap_epoch_key(me, place, made.wrap, made.sig, by.public) == epoch_key
    elsewhere = (case["notebook_id"], case["epoch"] + 1, case["device_id"])
    with pytest.raises(ProtocolError):
        exchange.unwrap_epoch_key(me, elsewhere, made.wrap, made.sig, by.public)
    stranger = keys.DeviceKey.generate()
    with pytest.raises(ProtocolError, match="trust"):
        exchange.unwrap_epoch_key(me, place, made.wrap, made.sig, stranger.public)


def test_device_link() -> None:
    case = VECTORS["device_link"]
    link = devices.LinkKeys.from_secret(b64decode(case["secret"]), case["link_id"])
    assert (link.claim.hex(), link.wrap.hex(), link.mac.hex(), link.claim_hash.hex()) == (
        case["claim_hex"],
        case["wrap_hex"],
        case["mac_hex"],
        case["claim_hash_hex"],
    )
    device_key, exchange_key = (
        bytes.fromhex(case[k]) for k in ("device_key_hex", "exchange_key_hex")
    )
    assert (
        link.device_mac(case["link_id"], device_key, exchange_key).hex() == (case["device_mac_hex"])
    )
    by = keys.DeviceKey.from_seed(bytes.fromhex(case["by_seed_hex"]))
    cert = devices.certify(by, case["notebook_id"], case["member_id"], device_key)
    assert cert.hex() == case["cert_hex"]
    revoke = devices.sign_revocation(
        by, case["notebook_id"], case["member_id"], case["revoked_device_id"]
    )
    assert revoke.hex() == case["revoke_sig_hex"]
    package = devices.Package.open(
        link.wrap, case["link_id"], bytes.fromhex(case["package_box_hex"])
    )
    assert package.notebook_id == case["notebook_id"] and package.member_id == case["member_id"]
    assert {m: b64encode(k) for m, k in package.anchors.items()} == case["package"]["anchors"]
    assert {str(n): b64encode(k) for n, k in package.keys.items()} == (
        case["package"]["epoch_keys"]
    )
    assert (
        package.seal(link.wrap, case["link_id"], bytes.fromhex(case["nonce_hex"])).hex()
        == (case["package_box_hex"])
    )
