"""Regenerate log-following.json from fixed inputs: `python tests/vectors/make_log_vectors.py`.

Records in, and what a client following the log must make of them: the state it reaches, or
the first record it refuses and why (a refusal of static/vocabulary/records.json). The same
file is run against the SDK's log (tests/client/test_log_vectors.py) and the browser's
(tests/browser/test_log_vectors.py). The expectations are written here by hand; only the
sealed bytes come from the Python protocol.
"""

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from unspoken.protocol import chain, items, keys, messages
from unspoken.protocol.acts import (
    Act,
    LogDigest,
    Seen,
    act_fields,
    act_hash,
    record_hash,
    sign_act,
)
from unspoken.protocol.chain import GENESIS
from unspoken.protocol.encoding import b64decode, b64encode
from unspoken.protocol.ink import encode_ink

OUT = Path(__file__).with_name("log-following.json")
AT = "2026-02-14T21:30:00Z"


def _at(minutes: int) -> str:
    """`minutes` after AT, as the server dates records."""
    then = datetime.fromisoformat(AT.replace("Z", "+00:00")) + timedelta(minutes=minutes)
    return then.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _asked(minutes: int) -> int:
    """`minutes` after AT on the asking device's clock, as a pause's act signs it (unix ms)."""
    then = datetime.fromisoformat(AT.replace("Z", "+00:00")) + timedelta(minutes=minutes)
    return round(then.timestamp() * 1000)


def _fixed(label: str, size: int) -> bytes:
    out, counter = b"", 0
    while len(out) < size:
        out += hashlib.sha256(f"log:{label}:{counter}".encode()).digest()
        counter += 1
    return out[:size]


NOTEBOOK = b64encode(_fixed("notebook", 16))
NOTEBOOK_KEYS = {0: _fixed("key-0", 32), 1: _fixed("key-1", 32)}
CONTENT = {n: keys.content_key(k, NOTEBOOK) for n, k in NOTEBOOK_KEYS.items()}
DEVICES = {name: keys.DeviceKey.from_seed(_fixed(f"seed-{name}", 32)) for name in ("ella", "james")}
MEMBERS = {name: b64encode(_fixed(f"member-{name}", 16)) for name in ("ella", "james")}
STRANGER = keys.DeviceKey.from_seed(_fixed("seed-stranger", 32))


class Book:
    """A notebook's log being written: each record numbered, each entry chained to the last,
    each act signed by its member's device over the log as written so far."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.head = GENESIS
        self.chapter = 1
        self.digest = LogDigest()

    def note(self, kind: str, member: str, **extra: Any) -> dict[str, Any]:
        """A record; an act is signed by `device` (the member's own unless given), naming
        `seen` (the log so far unless given); `signed=False` leaves it unsigned, as in v1."""
        device = extra.pop("device", DEVICES[member])
        seen = extra.pop("seen", None) or self.digest.seen()
        signed = extra.pop("signed", True)
        record = {"seq": len(self.records) + 1, "kind": kind, "at": AT, "member": MEMBERS[member]}
        record.update(extra)
        fields = act_fields(kind, record)
        link = None
        if fields is not None and signed:
            act = Act(NOTEBOOK, kind, MEMBERS[member], device.id, *fields, seen)
            sig = sign_act(device, act)
            record["act"] = {
                "device": device.id,
                "seen": seen.seq,
                "digest": b64encode(seen.digest),
                "sig": b64encode(sig),
            }
            link = act_hash(act, sig)
        self.records.append(record)
        self.digest.add(record["seq"], record_hash(record) if link is None else link)
        return record

    def entry(self, member: str, text: str, **how: Any) -> dict[str, Any]:
        device = how.get("device", DEVICES[member])
        epoch = how.get("epoch", 0)
        n = len(self.records) + 1
        entry_id = b64encode(_fixed(f"entry-{n}-{text}", 16))
        prev = how.get("prev", self.head)
        place = (NOTEBOOK, self.chapter, entry_id, prev)
        seen = how.get("seen", (self.digest.seq, self.digest.digest))
        if "body" in how:  # sealed as given, past what seal_entry would refuse to seal
            body = how["body"] | {"seen": {"seq": seen[0], "digest": b64encode(seen[1])}}
            aad = chain.entry_aad(*place[:3], device.id, prev)
            nonce = _fixed(f"nonce-{n}-{text}", 12)
            sealed = messages._seal_signed({epoch: CONTENT[epoch]}, device, aad, body, nonce)
        else:
            sealed = messages.seal_entry(
                {epoch: CONTENT[epoch]},
                device,
                place,
                text,
                nonce=_fixed(f"nonce-{n}-{text}", 12),
                mirror=how.get("sealed_mirror", False),
                seen=seen,
                ink=how.get("ink"),
            )
        record = {
            "seq": n,
            "kind": "entry",
            "at": AT,
            "member": MEMBERS[member],
            "device": device.id,
            "id": entry_id,
            "chapter": self.chapter,
            "prev": b64encode(prev),
            **sealed.wire(),
            "hash": b64encode(sealed.hash),
        }
        if how.get("mirror", how.get("sealed_mirror", False)):
            record["mirror"] = True
        self.records.append(record)
        self.head = sealed.hash
        self.digest.add(n, sealed.hash)
        return record


def _meta(n: int, member: str = "ella", mirror: bool = False) -> dict[str, str]:
    """A chapter's sealed title and mirror choice as a record carries it, sealed by `member`'s
    device; only its id is signed in the act."""
    item_id = b64encode(_fixed(f"chapter-{n}", 16))
    place = items.Place(NOTEBOOK, "chapter", item_id, str(n))
    body = {"title": f"Chapter {n}", "template": None, "mirror": mirror}
    sealed = items.seal_item(
        {0: CONTENT[0]}, DEVICES[member], place, body, _fixed(f"meta-{n}-{member}", 12)
    )
    return {"id": item_id, "device": DEVICES[member].id, **sealed.wire()}


def _state(
    book: Book, pen: str | None, chapter: int, entries: list[str], **shown: Any
) -> dict[str, Any]:
    """What a client following `book` shows: its pen, chapter and entries, and (`shown`) the
    chapter's mode and whether it is open, the pause in force, who left, the lines crossed out
    (their ids), the chapter's mirror-before-reply ({owed_by, awaiting} by name, or None)."""
    holder = None if pen is None else MEMBERS[pen]
    mirror = shown.get("mirror")
    if mirror is not None:
        mirror = {k: None if v is None else MEMBERS[v] for k, v in mirror.items()}
    return {
        "seq": len(book.records),
        "pen": holder,
        "chapter": chapter,
        "entries": entries,
        "mode": shown.get("mode", "turns"),
        "chapter_open": shown.get("chapter_open", True),
        "pause": shown.get("pause"),
        "left": sorted(MEMBERS[name] for name in shown.get("left", [])),
        "crossed": sorted(shown.get("crossed", [])),
        "mirror": mirror,
    }


def _in_order() -> dict[str, Any]:
    book = Book()
    book.note("notebook.created", "ella")
    book.note("member.joined", "james")
    book.entry("ella", "I never meant for things to end this way")
    book.note("pen.passed", "ella", to=MEMBERS["james"], chapter=1)
    book.entry("james", "Nor did I")
    book.note("pen.asked", "ella", to=MEMBERS["james"], chapter=1)
    book.note("mode.changed", "james", mode="open", pen=None, chapter=1)
    book.entry("ella", "Can we both write for a while?")
    book.note("chapter.closed", "ella", chapter=1)
    book.note(
        "chapter.opened", "james", chapter=2, mode="turns", mirror=False, meta=_meta(2, "james")
    )
    book.chapter = 2
    book.entry("james", "A new page", sealed_mirror=False)
    texts = ["I never meant for things to end this way", "Nor did I"]
    texts += ["Can we both write for a while?", "A new page"]
    return {
        "name": "records in order: the pen, the mode and the chapter follow them",
        "records": book.records,
        "expect": _state(book, "james", 2, texts),
    }


def _taken_once() -> dict[str, Any]:
    book = Book()
    book.note("notebook.created", "ella")
    first = book.entry("ella", "Once")
    book.note("pen.passed", "ella", to=MEMBERS["james"], chapter=1)
    records = [*book.records[:2], dict(first), book.records[2]]
    return {
        "name": "a record seen again is taken once",
        "records": records,
        "expect": _state(book, "james", 1, ["Once"]),
    }


def _epochs() -> dict[str, Any]:
    book = Book()
    book.note("notebook.created", "ella")
    book.entry("ella", "Before the new keys")
    book.note("epoch.started", "ella", epoch=1)
    book.entry("ella", "Under the new keys", epoch=1)
    return {
        "name": "an entry of a later key epoch follows one of an earlier",
        "records": book.records,
        "expect": _state(book, "ella", 1, ["Before the new keys", "Under the new keys"]),
    }


def _mirror() -> dict[str, Any]:
    book = Book()
    book.note("notebook.created", "ella")
    book.entry("ella", "You felt alone", sealed_mirror=True)
    return {
        "name": "a restatement sealed and shown as one",
        "records": book.records,
        "expect": _state(book, "ella", 1, ["You felt alone"]),
    }


# "hi" written by hand, as a pen at 60 Hz would leave it, then the dot of the i.
HI = [
    [[120, 310, 0, 128], [124, 240, 50, 160], [126, 330, 83, 170], [149, 290, 133, 158]],
    [[152, 330, 150, 150], [171, 325, 200, 141], [182, 331, 216, 120]],
    [[171, 262, 480, 96]],
]


NO_STROKES = b64encode(encode_ink([]))


def _by_hand() -> dict[str, Any]:
    book = Book()
    book.note("notebook.created", "ella")
    book.entry("ella", "hi", ink=HI)
    book.entry("ella", "", ink=HI[:1])
    book.entry("ella", "Typed after")
    return {
        "name": "lines written by hand come out with their strokes, beside typed ones",
        "records": book.records,
        "expect": _state(book, "ella", 1, ["hi", "", "Typed after"]) | {"ink": [HI, HI[:1], None]},
    }


def _time_and_space() -> dict[str, Any]:
    book = Book()
    book.note("notebook.created", "ella")
    book.note("member.joined", "james")
    book.entry("ella", "I need some time")
    # The server's `until` is not what the signed length says: the length wins.
    book.note(
        "pause.started",
        "ella",
        until="2026-02-15T21:30:00Z",
        minutes=30,
        asked=_asked(0),
        note=None,
    )
    book.note("pause.here", "james", note=None)
    book.note(
        "pause.renewed",
        "ella",
        until="2026-02-14T22:30:00Z",
        minutes=60,
        asked=_asked(0),
        note=None,
    )
    pause = {"by": MEMBERS["ella"], "since": AT, "until": "2026-02-14T22:30:00.000Z", "here": True}
    return {
        "name": "a pause, its answer and its renewal: the length signed sets its end",
        "records": book.records,
        "expect": _state(book, "ella", 1, ["I need some time"], pause=pause),
    }


def _goodbye() -> dict[str, Any]:
    book = Book()
    book.note("notebook.created", "ella")
    book.note("member.joined", "james")
    book.note("mode.changed", "ella", mode="open", pen=None, chapter=1)
    book.note("pause.started", "james", until=AT, minutes=20, asked=_asked(0), note=None)
    book.note("pause.ended", "james", reason="ready")
    book.note("chapter.closed", "james", chapter=1)
    book.note("member.left", "james", erase_at=None)
    return {
        "name": "a pause ended, the chapter closed and a goodbye",
        "records": book.records,
        "expect": _state(book, None, 1, [], mode="open", chapter_open=False, left=["james"]),
    }


def _crossed_out() -> dict[str, Any]:
    book = Book()
    book.note("notebook.created", "ella")
    book.note("member.joined", "james")
    first = book.entry("ella", "I never listen")
    book.entry("ella", "I meant: I do not always listen")
    book.note("entry.crossed", "ella", entry=first["id"], chapter=1)
    return {
        "name": "a line crossed out by its writer: it stays, and is crossed",
        "records": book.records,
        "expect": _state(
            book,
            "ella",
            1,
            ["I never listen", "I meant: I do not always listen"],
            crossed=[first["id"]],
        ),
    }


def _crossing_refusals() -> list[dict[str, Any]]:
    """A crossing-out is refused unless its signer wrote the line, and it is the first."""
    cases = []

    book = Book()
    hers = book.entry("ella", "Mine to keep")
    book.note("entry.crossed", "james", entry=hers["id"], chapter=1)
    cases.append(
        _refused(
            "a line crossed out by the partner who did not write it",
            book,
            2,
            "not_crossable",
            ["Mine to keep"],
        )
    )

    book = Book()
    hers = book.entry("ella", "Crossed once")
    book.note("entry.crossed", "ella", entry=hers["id"], chapter=1)
    book.note("entry.crossed", "ella", entry=hers["id"], chapter=1)
    cases.append(_refused("a line crossed out twice", book, 3, "not_crossable", ["Crossed once"]))

    book = Book()
    book.entry("ella", "One")
    book.note("entry.crossed", "ella", entry=b64encode(_fixed("no such line", 16)), chapter=1)
    cases.append(
        _refused("a line crossed out that is not there", book, 2, "not_crossable", ["One"])
    )
    return cases


def _refused(name: str, book: Book, seq: int, reason: str, before: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "records": book.records,
        "expect": {"refused": {"seq": seq, "reason": reason}, "entries": before},
    }


def _refusals() -> list[dict[str, Any]]:
    cases = []

    book = Book()
    book.entry("ella", "One")
    book.entry("ella", "Two")
    book.entry("ella", "Three")
    del book.records[1]
    cases.append(_refused("a record missing from the log", book, 3, "gap", ["One"]))

    book = Book()
    book.entry("ella", "One")
    book.entry("ella", "Two")
    book.entry("ella", "Three")
    del book.records[1]
    book.records[1]["seq"] = 2
    cases.append(
        _refused("an entry dropped and the rest renumbered", book, 2, "out_of_place", ["One"])
    )

    book = Book()
    book.entry("ella", "First")
    book.entry("ella", "Second")
    book.records.reverse()
    book.records[0]["seq"], book.records[1]["seq"] = 1, 2
    cases.append(_refused("two entries swapped", book, 1, "out_of_place", []))

    book = Book()
    book.entry("ella", "One")
    book.entry("ella", "Two")["hash"] = b64encode(_fixed("another hash", 32))
    cases.append(_refused("a hash the entry does not have", book, 2, "hash_differs", ["One"]))

    book = Book()
    book.entry("ella", "Said back?", mirror=True, sealed_mirror=False)
    cases.append(_refused("a mirror mark the entry does not hold", book, 1, "mirror_differs", []))

    book = Book()
    book.entry("ella", "One")
    book.entry("ella", "Not hers", device=STRANGER)
    cases.append(_refused("an entry from a device nobody trusts", book, 2, "untrusted", ["One"]))

    book = Book()
    book.entry("ella", "One")
    book.entry("james", "In his name", device=DEVICES["ella"])
    cases.append(_refused("an entry from another member's device", book, 2, "untrusted", ["One"]))

    book = Book()
    book.entry("ella", "One")
    altered = book.entry("ella", "Altered")
    ct = bytearray(b64decode(altered["ct"]))
    ct[-1] ^= 1
    altered["ct"] = b64encode(bytes(ct))
    cases.append(_refused("an entry whose box was altered", book, 2, "unreadable", ["One"]))

    for why, body in (
        ("a line by hand whose ink does not decode", {"type": "ink", "ink": "AQI", "text": ""}),
        ("a line by hand with no strokes", {"type": "ink", "ink": NO_STROKES, "text": ""}),
        ("a typed line that carries ink", {"type": "text", "ink": "AQI", "text": "typed"}),
    ):
        book = Book()
        book.entry("ella", "One")
        book.entry("ella", why, body=body)
        cases.append(_refused(why, book, 2, "unreadable", ["One"]))

    book = Book()
    book.entry("ella", "Under the new keys", epoch=1)
    book.entry("ella", "Under the old keys", epoch=0)
    cases.append(
        _refused(
            "an entry sealed in an older epoch than the one before",
            book,
            2,
            "older_epoch",
            ["Under the new keys"],
        )
    )
    cases.extend(_act_refusals())
    cases.extend(_crossing_refusals())
    return cases


def _act_refusals() -> list[dict[str, Any]]:
    cases = []
    to_james = {"to": MEMBERS["james"], "chapter": 1}

    book = Book()
    book.entry("ella", "One")
    book.note("pen.passed", "ella", signed=False, **to_james)
    cases.append(_refused("an act its author's device did not sign", book, 2, "unsigned", ["One"]))

    book = Book()
    book.entry("ella", "One")
    book.note("pen.passed", "ella", **to_james)["to"] = MEMBERS["ella"]
    cases.append(_refused("an act the server changed", book, 2, "unsigned", ["One"]))

    book = Book()
    book.entry("ella", "One")
    book.note("pen.passed", "ella", device=STRANGER, **to_james)
    cases.append(_refused("an act from a device nobody trusts", book, 2, "untrusted", ["One"]))

    book = Book()
    book.entry("ella", "One")
    other = Seen(1, _fixed("another history", 32))
    book.note("pen.passed", "ella", seen=other, **to_james)
    cases.append(_refused("an act that saw another history", book, 2, "forked", ["One"]))

    book = Book()
    book.entry("ella", "One")
    book.note("pen.passed", "ella", seen=Seen(2, _fixed("its own place", 32)), **to_james)
    cases.append(_refused("an act that claims to have seen itself", book, 2, "forked", ["One"]))

    book = Book()
    book.entry("ella", "One")
    book.entry("james", "Two", seen=(1, _fixed("another first line", 32)))
    cases.append(_refused("a line written after another history", book, 2, "forked", ["One"]))

    book = Book()
    book.entry("ella", "One")
    book.entry("james", "Two", seen=None)
    cases.append(_refused("a line that names nothing it had seen", book, 2, "unsigned", ["One"]))

    book = Book()
    book.note("notebook.created", "ella")
    book.entry("ella", "One")
    passed = book.note("pen.passed", "ella", **to_james)
    book.entry("james", "Two")
    book.records.append({**passed, "seq": 5})
    cases.append(_refused("an act replayed later", book, 5, "out_of_place", ["One", "Two"]))
    return cases


def _two() -> Book:
    book = Book()
    book.note("notebook.created", "ella")
    book.note("member.joined", "james")
    return book


def _pen_as_signed() -> list[dict[str, Any]]:
    """The pen follows only the signed acts and the rules: a mode change puts it with the one
    who asked for turns, or with nobody in open mode, whatever the server's `pen` says."""
    cases = []
    book = _two()
    book.note("mode.changed", "ella", mode="open", pen=None, chapter=1)
    book.note("mode.changed", "james", mode="turns", pen=MEMBERS["james"], chapter=1)
    cases.append(
        {
            "name": "turns asked for: the one who asked holds the pen",
            "records": book.records,
            "expect": _state(book, "james", 1, []),
        }
    )

    book = _two()
    book.note("mode.changed", "ella", mode="open", pen=None, chapter=1)
    book.note("mode.changed", "james", mode="turns", pen=MEMBERS["ella"], chapter=1)
    cases.append(
        _refused(
            "turns asked for, and the server hands the pen to the other", book, 4, "contradicts", []
        )
    )

    book = _two()
    book.note("mode.changed", "ella", mode="open", pen=MEMBERS["ella"], chapter=1)
    cases.append(
        _refused(
            "open mode, and the server still gives someone the pen", book, 3, "contradicts", []
        )
    )

    book = _two()
    book.note("pen.passed", "james", to=MEMBERS["ella"], chapter=1)
    cases.append(
        _refused(
            "the pen passed by the partner who did not hold it", book, 3, "against_the_rules", []
        )
    )

    book = Book()
    book.note("notebook.created", "ella")
    book.note("member.joined", "james")
    book.note("mode.changed", "ella", mode="open", pen=MEMBERS["james"], chapter=1, signed=False)
    cases.append(
        {
            "name": "v1's mode change is followed as the server wrote it",
            "signed_from": 3,
            "records": book.records,
            "expect": _state(book, "james", 1, [], mode="open"),
        }
    )
    return cases


def _pause_by_the_clock() -> list[dict[str, Any]]:
    """A pause ends by the clock only once its signed length is over, counted from when its
    device signed it asked, and not in this device's future; with a goodbye, only beside the
    goodbye."""
    cases = []
    pause = {"until": "server's word", "minutes": 30, "asked": _asked(0), "note": None}

    book = _two()
    book.note("pause.started", "ella", **pause)
    book.note("pause.ended", "ella", reason="expired", at=_at(30))
    cases.append(
        {
            "name": "a pause that ran out ends by the clock",
            "records": book.records,
            "expect": _state(book, "ella", 1, []),
        }
    )

    book = _two()
    book.note("pause.started", "ella", **pause)
    book.note("pause.ended", "ella", reason="expired", at=_at(10))
    cases.append(_refused("a pause ended by the clock before its time", book, 4, "too_early", []))

    book = _two()
    book.note("pause.started", "ella", **(pause | {"minutes": 60}))
    book.note("pause.ended", "ella", reason="expired", at=_at(60))
    case = _refused("a pause ended by a clock in this device's future", book, 4, "too_early", [])
    cases.append(case | {"now": _at(20)})

    book = _two()  # quiet two days; asked for 8 hours; dated back by the server, ended at once
    book.note("pause.started", "ella", **(pause | {"minutes": 480, "asked": _asked(2880)}))
    book.note("pause.ended", "ella", reason="expired", at=_at(480))
    case = _refused("a pause dated back before it was asked for", book, 4, "too_early", [])
    cases.append(case | {"now": _at(2881)})

    book = _two()
    book.note("pause.ended", "ella", reason="expired", at=_at(30))
    cases.append(
        _refused(
            "a pause ended by the clock that nobody asked for", book, 3, "against_the_rules", []
        )
    )

    book = _two()
    book.note("pause.started", "ella", **pause)
    book.note("pause.ended", "james", reason="expired", at=_at(30))
    cases.append(
        _refused("a pause ended by the clock in the other's name", book, 4, "against_the_rules", [])
    )

    book = _two()
    book.note("pause.started", "james", **pause)
    book.note("pause.ended", "james", reason="left", at=_at(5))
    book.note("member.left", "ella", erase_at=None, at=_at(5))
    cases.append(
        {
            "name": "a pause ended with a goodbye, beside it",
            "records": book.records,
            "expect": _state(book, "ella", 1, [], left=["ella"]),
        }
    )

    book = _two()
    book.note("pause.started", "james", **pause)
    book.note("pause.ended", "james", reason="left", at=_at(5))
    book.entry("ella", "Still here")
    cases.append(
        _refused("a pause ended for a goodbye nobody said", book, 5, "against_the_rules", [])
    )

    book = _two()
    book.note("pause.started", "james", **pause)
    book.note("pause.ended", "james", reason="left", at=_at(5))
    book.note("member.left", "ella", erase_at=None, at=_at(25))
    cases.append(
        _refused(
            "a pause ended for a goodbye said at another time", book, 5, "against_the_rules", []
        )
    )
    return cases


def _mirror_as_signed() -> list[dict[str, Any]]:
    """Mirror-before-reply from the chapter's sealed choice, the sealed mirror marks of its
    lines and the signed answers: never from the server's word."""
    cases = []
    book = _two()
    book.note("chapter.closed", "ella", chapter=1)
    meta = _meta(2, "ella", mirror=True)
    book.note("chapter.opened", "ella", chapter=2, mode="open", mirror=True, meta=meta)
    book.chapter = 2
    book.entry("ella", "I felt alone on Sunday")
    cases.append(
        {
            "name": "in a mirror chapter, words make the partner owe a restatement",
            "records": list(book.records),
            "expect": _state(
                book,
                None,
                2,
                ["I felt alone on Sunday"],
                mode="open",
                mirror={"owed_by": "james", "awaiting": None},
            ),
        }
    )
    book.entry("james", "You felt alone on Sunday", sealed_mirror=True)
    texts = ["I felt alone on Sunday", "You felt alone on Sunday"]
    cases.append(
        {
            "name": "a restatement waits for its writer's answer",
            "records": list(book.records),
            "expect": _state(
                book, None, 2, texts, mode="open", mirror={"owed_by": None, "awaiting": "ella"}
            ),
        }
    )
    more = Book()
    more.records, more.digest, more.chapter, more.head = (
        list(book.records),
        book.digest,
        2,
        book.head,
    )
    more.note("mirror.answered", "ella", answer="more", chapter=2)
    cases.append(
        {
            "name": "there is more: the partner restates again",
            "records": more.records,
            "expect": _state(
                more, None, 2, texts, mode="open", mirror={"owed_by": "james", "awaiting": None}
            ),
        }
    )

    book = _two()
    book.note("chapter.closed", "ella", chapter=1)
    meta = _meta(2, "ella", mirror=True)
    book.note("chapter.opened", "ella", chapter=2, mode="open", mirror=False, meta=meta)
    cases.append(
        _refused("a mirror chapter the server shows without its mirror", book, 4, "contradicts", [])
    )

    book = _two()
    book.note("chapter.closed", "ella", chapter=1)
    meta = _meta(2, "ella", mirror=False)
    book.note("chapter.opened", "ella", chapter=2, mode="open", mirror=True, meta=meta)
    cases.append(
        _refused(
            "a chapter the server shows with a mirror it was opened without",
            book,
            4,
            "contradicts",
            [],
        )
    )
    return cases


def _forks_in_unsigned_records() -> list[dict[str, Any]]:
    """Every record is bound into the digest, those no device signed too: an act that saw
    another server record at the same place names a digest this device never had."""
    book = _two()
    theirs = LogDigest()
    for record in book.records:
        told = record | {"at": _at(1)} if record["kind"] == "member.joined" else record
        theirs.add(record["seq"], record_hash(told))
    book.note("pen.passed", "ella", to=MEMBERS["james"], chapter=1, seen=theirs.seen())
    case = _refused("an act that saw another unsigned record", book, 3, "forked", [])

    book = _two()
    book.note("pause.started", "ella", until=AT, minutes=30, asked=_asked(0), note=None)
    early = _at(30)
    # The partner was shown the pause ending by the clock at another time than this device.
    other = LogDigest()
    for record in book.records:
        other.add(record["seq"], act_hash_or_record(record))
    ended = {
        "seq": 4,
        "kind": "pause.ended",
        "at": _at(31),
        "member": MEMBERS["ella"],
        "reason": "expired",
    }
    other.add(4, record_hash(ended))
    book.note("pause.ended", "ella", reason="expired", at=early)
    book.note("pen.passed", "ella", to=MEMBERS["james"], chapter=1, seen=other.seen())
    other_end = _refused("an act that saw the pause end at another time", book, 5, "forked", [])
    return [case, other_end]


def act_hash_or_record(record: dict[str, Any]) -> bytes:
    """A record's link in the digest, as a follower computes it."""
    signed = record.get("act")
    if signed is None:
        return record_hash(record)
    seen = Seen(signed["seen"], b64decode(signed["digest"]))
    fields = act_fields(record["kind"], record)
    assert fields is not None
    act = Act(NOTEBOOK, record["kind"], record["member"], signed["device"], *fields, seen)
    return act_hash(act, b64decode(signed["sig"]))


def _before_v2() -> dict[str, Any]:
    book = Book()
    book.note("notebook.created", "ella")
    book.entry("ella", "Written under v1", seen=None)
    book.note("pen.passed", "ella", signed=False, to=MEMBERS["james"], chapter=1)
    book.entry("james", "Signed from here on")
    return {
        "name": "an unsigned act from before protocol v2 is taken, as v1's",
        "signed_from": 3,
        "records": book.records,
        "expect": _state(book, "james", 1, ["Written under v1", "Signed from here on"]),
    }


def vectors() -> dict[str, Any]:
    return {
        "about": __doc__,
        "notebook_id": NOTEBOOK,
        "notebook_keys_hex": {str(n): k.hex() for n, k in NOTEBOOK_KEYS.items()},
        "devices": [
            {"member": MEMBERS[name], "public_hex": device.public.hex()}
            for name, device in DEVICES.items()
        ],
        "cases": [
            _in_order(),
            _taken_once(),
            _epochs(),
            _mirror(),
            _time_and_space(),
            _goodbye(),
            _before_v2(),
            _crossed_out(),
            _by_hand(),
            *_pen_as_signed(),
            *_pause_by_the_clock(),
            *_mirror_as_signed(),
            *_forks_in_unsigned_records(),
            *_refusals(),
        ],
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(vectors(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
