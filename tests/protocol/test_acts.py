"""Signed acts (protocol v2) against the shared vectors, and what a verifier must refuse."""

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspoken.protocol import acts
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.keys import DeviceKey

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "protocol-v2-acts.json").read_text("utf-8")
)
DEVICE = DeviceKey.from_seed(bytes.fromhex(VECTORS["device_seed_hex"]))


def _act(wire: dict[str, Any]) -> acts.Act:
    seen = acts.Seen(wire["seen"]["seq"], bytes.fromhex(wire["seen"]["digest_hex"]))
    return acts.Act(
        wire["notebook"], wire["kind"], wire["member"], wire["device"],
        wire["subject"], wire["outcome"], wire["item"], seen,
    )  # fmt: skip


def test_the_vectors_device_is_the_seeds() -> None:
    assert DEVICE.public.hex() == VECTORS["device_public_hex"]
    assert DEVICE.id == VECTORS["device_id"]


@pytest.mark.parametrize("case", VECTORS["acts"], ids=lambda c: c["act"]["kind"])
def test_every_kind_signs_and_verifies_as_the_vectors_say(case: dict[str, Any]) -> None:
    act = _act(case["act"])
    assert act.message().hex() == case["message_hex"]
    sig = acts.sign_act(DEVICE, act)
    assert sig.hex() == case["sig_hex"]  # Ed25519 is deterministic
    acts.verify_act(DEVICE.public, act, sig)
    assert acts.act_hash(act, sig).hex() == case["hash_hex"]


def test_the_vectors_cover_every_kind_of_act() -> None:
    assert {case["act"]["kind"] for case in VECTORS["acts"]} == acts.ACT_KINDS


@pytest.mark.parametrize("case", VECTORS["invalid"], ids=lambda c: c["why"])
def test_a_malformed_act_is_neither_signed_nor_verified(case: dict[str, Any]) -> None:
    act = _act(case["act"])
    with pytest.raises(ProtocolError):
        act.message()
    with pytest.raises(ProtocolError):
        acts.verify_act(DEVICE.public, act, bytes(64))


@pytest.mark.parametrize("case", VECTORS["tampered"], ids=lambda c: c["changed"])
def test_an_act_changed_after_signing_does_not_verify(case: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError, match="signature"):
        acts.verify_act(DEVICE.public, _act(case["act"]), bytes.fromhex(case["sig_hex"]))


def test_another_devices_key_does_not_verify() -> None:
    case = VECTORS["acts"][0]
    other = DeviceKey.from_seed(bytes(32))
    with pytest.raises(ProtocolError):
        acts.verify_act(other.public, _act(case["act"]), bytes.fromhex(case["sig_hex"]))


def test_a_device_signs_only_its_own_acts() -> None:
    act = _act(VECTORS["acts"][0]["act"])
    with pytest.raises(ProtocolError):
        acts.sign_act(DeviceKey.from_seed(bytes(32)), act)


def test_the_log_digest_follows_the_vectors() -> None:
    log = acts.LogDigest()
    for step in VECTORS["log"]["steps"]:
        if "record" in step:  # no device signed it: its canonical JSON is its link
            assert acts.canonical_json(step["record"]).decode() == step["canonical"]
            assert acts.record_hash(step["record"]).hex() == step["hash_hex"]
        log.add(step["seq"], bytes.fromhex(step["hash_hex"]))
        assert log.digest.hex() == step["digest_hex"]
    # a record nobody signed moves the digest too: told differently, it forks
    steps = VECTORS["log"]["steps"]
    assert steps[2]["digest_hex"] != steps[1]["digest_hex"]


@pytest.mark.parametrize("text", VECTORS["log"]["no_canonical_form"])
def test_a_record_with_no_canonical_form_is_refused(text: str) -> None:
    with pytest.raises(ProtocolError):
        acts.record_hash(json.loads(text))


def test_an_unsigned_record_told_differently_forks_the_digest() -> None:
    record = VECTORS["log"]["steps"][2]["record"]
    mine, theirs = acts.LogDigest(), acts.LogDigest()
    mine.add(1, acts.record_hash(record))
    theirs.add(1, acts.record_hash(record | {"at": "2026-02-14T12:00:00.000Z"}))
    assert not mine.agrees(theirs.seen())
    # the same fields in another order are the same record
    mine_again = acts.LogDigest()
    mine_again.add(1, acts.record_hash(dict(reversed(list(record.items())))))
    assert mine.agrees(mine_again.seen())


def test_a_fork_is_seen_at_the_position_it_names() -> None:
    mine, theirs = acts.LogDigest(), acts.LogDigest()
    for seq in (1, 2, 3):
        mine.add(seq, bytes([seq]) * 32)
        theirs.add(seq, bytes([seq]) * 32 if seq != 2 else bytes([9]) * 32)  # 2 told differently
    assert mine.agrees(acts.Seen(1, theirs._at[1]))
    assert not mine.agrees(theirs.seen())
    assert not mine.agrees(acts.Seen(4, mine.digest))  # a position not yet applied
    with pytest.raises(ProtocolError):
        mine.add(3, bytes(32))  # the log never goes backwards


@given(st.sampled_from(sorted(acts.ACT_KINDS)), st.text(max_size=30), st.text(max_size=30))
def test_arbitrary_fields_are_refused_or_round_trip(kind: str, subject: str, outcome: str) -> None:
    act = acts.Act(
        DEVICE.id, kind, DEVICE.id, DEVICE.id, subject, outcome, "", acts.Seen(0, bytes(32))
    )
    try:
        sig = acts.sign_act(DEVICE, act)
    except ProtocolError:
        return
    acts.verify_act(DEVICE.public, act, sig)
