"""Regenerate protocol-v2-acts.json from fixed inputs: `python tests/vectors/generate_acts.py`.

Signed acts and the log digest (docs/protocol.md, "Protocol v2 — signed acts"): the JSON file
is the contract the Python and browser implementations are both tested against.
"""

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from unspoken.protocol import acts
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.keys import DeviceKey

OUT = Path(__file__).with_name("protocol-v2-acts.json")


def _fixed(label: str, size: int) -> bytes:
    out, counter = b"", 0
    while len(out) < size:
        out += hashlib.sha256(f"acts:{label}:{counter}".encode()).digest()
        counter += 1
    return out[:size]


def _id(label: str) -> str:
    return b64encode(_fixed(label, 16))


SEED = _fixed("device-seed", 32)
DEVICE = DeviceKey.from_seed(SEED)
NOTEBOOK, ELLA, JAMES = _id("notebook"), _id("ella"), _id("james")
SEEN = acts.Seen(7, _fixed("digest", 32))
ASKED = "1771104600000"  # when a pause was asked for, on its device's clock: 2026-02-14T21:30Z


def _act(kind: str, subject: str = "", outcome: str = "", item: str = "") -> acts.Act:
    return acts.Act(NOTEBOOK, kind, ELLA, DEVICE.id, subject, outcome, item, SEEN)


VALID = [
    _act("pen.passed", "1", JAMES),
    _act("pen.asked", "2"),
    _act("mode.changed", "1", "open"),
    _act("pause.started", "", f"60@{ASKED}", _id("pause-note")),
    _act("pause.renewed", "", f"20@{ASKED}"),
    _act("pause.renewed", "", "1440@9007199254740991"),
    _act("pause.here", "", "", _id("here-note")),
    _act("pause.ended", "", "ready"),
    _act("promise.made", _id("promise"), JAMES, _id("promise")),
    _act("promise.acknowledged", _id("promise")),
    _act("promise.withdrawn", _id("promise")),
    _act("promise.marked", _id("promise"), "kept", _id("promise-note")),
    _act("promise.marked", _id("promise"), "released"),
    _act("agreement.proposed", _id("agreement"), "", _id("agreement")),
    _act("agreement.signed", _id("agreement")),
    _act("agreement.declined", _id("agreement"), "", _id("agreement-note")),
    _act("agreement.declined", _id("agreement")),
    _act("agreement.revised", _id("agreement"), "", _id("agreement-words")),
    _act("chapter.closed", "1"),
    _act("chapter.opened", "2", "turns", _id("chapter-meta")),
    _act("mirror.answered", "2", "got-it"),
    _act("member.left"),
    _act("device.revoked", _id("lost-phone"), "3"),
    _act("entry.crossed", _id("a-line")),
]

INVALID = [
    ("unknown kind", _act("pen.stolen", "1")),
    ("pen to nobody", _act("pen.passed", "1", "")),
    ("chapter zero", _act("pen.asked", "0")),
    ("chapter not decimal", _act("pen.asked", "01")),
    ("mode unknown", _act("mode.changed", "1", "closed")),
    ("pause too short", _act("pause.started", "", f"19@{ASKED}")),
    ("pause too long", _act("pause.started", "", f"1441@{ASKED}")),
    ("pause not saying when it was asked for", _act("pause.started", "", "60")),
    ("pause asked at no time", _act("pause.started", "", "60@")),
    ("pause asked at a time not decimal", _act("pause.started", "", f"60@0{ASKED}")),
    ("pause asked beyond a safe integer", _act("pause.started", "", "60@9007199254740992")),
    ("pause asked twice", _act("pause.renewed", "", f"60@{ASKED}@{ASKED}")),
    ("ended not ready", _act("pause.ended", "", "expired")),
    ("promise without its text", _act("promise.made", _id("promise"), JAMES)),
    ("mark unknown", _act("promise.marked", _id("promise"), "forgotten")),
    ("other words without them", _act("agreement.revised", _id("agreement"))),
    ("not yet with an outcome", _act("agreement.declined", _id("agreement"), "later")),
    ("item where none belongs", _act("member.left", "", "", _id("stray"))),
    ("subject where none belongs", _act("member.left", "1")),
    ("member not an id", dataclasses.replace(_act("member.left"), member_id="ella")),
    ("seen negative", dataclasses.replace(_act("member.left"), seen=acts.Seen(-1, bytes(32)))),
    ("seen digest short", dataclasses.replace(_act("member.left"), seen=acts.Seen(1, bytes(31)))),
    ("crossing out no line", _act("entry.crossed")),
    ("crossing out a chapter", _act("entry.crossed", "1")),
]


def _wire(act: acts.Act) -> dict[str, Any]:
    return {
        "notebook": act.notebook_id,
        "kind": act.kind,
        "member": act.member_id,
        "device": act.device_id,
        "subject": act.subject,
        "outcome": act.outcome,
        "item": act.item,
        "seen": {"seq": act.seen.seq, "digest_hex": act.seen.digest.hex()},
    }


def _signed(act: acts.Act) -> dict[str, Any]:
    sig = acts.sign_act(DEVICE, act)
    return {
        "act": _wire(act),
        "message_hex": act.message().hex(),
        "sig_hex": sig.hex(),
        "hash_hex": acts.act_hash(act, sig).hex(),
    }


def _tampered() -> list[dict[str, Any]]:
    """A signed act with one field changed after signing: every one must fail to verify."""
    act = VALID[0]
    sig = acts.sign_act(DEVICE, act)
    changes = {
        "member": dataclasses.replace(act, member_id=JAMES),
        "outcome": dataclasses.replace(act, outcome=ELLA),
        "subject": dataclasses.replace(act, subject="2"),
        "seen": dataclasses.replace(act, seen=acts.Seen(8, SEEN.digest)),
        "notebook": dataclasses.replace(act, notebook_id=_id("another")),
    }
    return [{"changed": k, "act": _wire(v), "sig_hex": sig.hex()} for k, v in changes.items()]


# Records no device signed, bound into the digest by their canonical JSON: keys out of order
# (some that look like numbers), nested objects and lists, text beyond ASCII and with control
# characters, a whole number, null and booleans.
UNSIGNED = {
    3: {
        "seq": 3,
        "kind": "pause.ended",
        "at": "2026-02-14T22:00:00.000Z",
        "member": ELLA,
        "reason": "expired",
    },
    5: {
        "seq": 5,
        "kind": "member.joined",
        "member": JAMES,
        "at": "2026-02-14T22:05:00.000Z",
        "z": {"10": "dix", "9": "neuf", "b": [1, None, True, False], "a": {"é": 'ü\n\t"\\\u0001'}},
        "Z": "Tu m’as manqué 💌",
        "n": -9007199254740991,
    },
}
# What has no canonical form: refused in both languages, never hashed.
NO_CANONICAL_FORM = [
    '{"seq": 1, "kind": "member.joined", "n": 1.5}',
    '{"seq": 1, "kind": "member.joined", "n": 9007199254740992}',
    '{"seq": 1, "kind": "member.joined", "text": "\\ud800"}',
]


def _log() -> dict[str, Any]:
    """Records 1-6; 3 and 5 carry no device's signature: their link is their record hash."""
    log = acts.LogDigest()
    steps = []
    for seq in range(1, 7):
        record = UNSIGNED.get(seq)
        link = _fixed(f"record-{seq}", 32) if record is None else acts.record_hash(record)
        log.add(seq, link)
        step: dict[str, Any] = {"seq": seq, "hash_hex": link.hex(), "digest_hex": log.digest.hex()}
        if record is not None:
            step["record"] = record
            step["canonical"] = acts.canonical_json(record).decode("utf-8")
        steps.append(step)
    return {"steps": steps, "no_canonical_form": NO_CANONICAL_FORM}


def main() -> None:
    vectors = {
        "description": "Protocol v2 signed acts and the log digest (docs/protocol.md).",
        "device_seed_hex": SEED.hex(),
        "device_public_hex": DEVICE.public.hex(),
        "device_id": DEVICE.id,
        "acts": [_signed(act) for act in VALID],
        "invalid": [{"why": why, "act": _wire(act)} for why, act in INVALID],
        "tampered": _tampered(),
        "log": _log(),
    }
    OUT.write_text(json.dumps(vectors, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
