"""Following the notebook's log, as the browser does (js/log.js), checked by the same vectors
(tests/vectors/log-following.json): records are taken strictly in seq order, once each; an
entry is checked for its device, its seal, its place in the chain, its key epoch and its hash;
an act (protocol v2) for the device that signed it, its signature over exactly what the record
says, and the log its device had seen (`seen`, against this device's own `LogDigest`: a
difference means the server showed the two partners different histories). A record that fails
is refused with a reason of static/vocabulary/records.json. Pure: the notebook fetches what is
missing, this only follows what it is given.

The browser keeps a refused entry on the page as a warning and goes on; the SDK raises
TamperError with the same reason, and stops.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal

from unspoken.client.api import Json
from unspoken.client.errors import TamperError
from unspoken.client.keyring import Keyring
from unspoken.client.models import Entry, Ink, Pause
from unspoken.protocol import box, chain, devices, messages
from unspoken.protocol.acts import (
    LogDigest,
    Seen,
    act_fields,
    act_hash,
    act_of_record,
    verify_act,
)
from unspoken.protocol.encoding import b64decode, b64encode
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.records import (
    CHAPTER_CLOSED,
    CHAPTER_OPENED,
    ENTRY,
    ENTRY_CROSSED,
    MEMBER_LEFT,
    MODE_CHANGED,
    NOTEBOOK_CREATED,
    PAUSE_ENDED,
    PAUSE_HERE,
    PAUSE_RENEWED,
    PAUSE_STARTED,
    PEN_PASSED,
    REFUSALS,
)

# (text, mirror, hash, ink) of an entry sealed on this device
Sealed = tuple[str, bool, bytes, Ink | None]


def refused(reason: str, record: Json, detail: str | None = None) -> TamperError:
    words = REFUSALS[reason] if detail is None else f"{REFUSALS[reason]}: {detail}"
    return TamperError(f"record {record.get('seq')}: {words}", reason)


class Log:
    def __init__(
        self,
        notebook_id: str,
        keyring: Keyring,
        registry: devices.DeviceRegistry,
    ) -> None:
        self.notebook_id = notebook_id
        self.keyring = keyring
        self.registry = registry  # the devices trusted here, followed from the log by the notebook
        self.seq = 0
        self.head = chain.GENESIS
        self.last_epoch = 0
        # What the notebook's checked acts say now (follow): the shown state, never the
        # server's view of it.
        self.pen: str | None = None
        self.chapter = 1
        self.chapter_open = True
        self.mode = "turns"
        self.pause: Pause | None = None  # the last one asked for, until it ended
        self.left: set[str] = set()  # members who said goodbye
        self.entries: list[Entry] = []
        self.crossed: set[str] = set()  # the ids of lines their writers crossed out
        self.digest = LogDigest()
        # Every act after this position must be signed by its author's device (0: all of them,
        # as in any notebook begun under protocol v2); earlier unsigned ones are v1's.
        self.signed_from = 0
        # Whether the record taken last was an act its author's device signed (None: no act).
        self.signed: bool | None = None
        self._acts: set[bytes] = set()  # every act taken, by its hash: one replayed is refused
        self._act_at: dict[int, bytes | None] = {}  # seq -> act hash (None: v1's, unsigned)

    def place(self, record: Json) -> Literal["old", "next", "gap"]:
        """Whether `record` was taken already, comes next, or comes after a gap."""
        if record["seq"] <= self.seq:
            return "old"
        return "next" if record["seq"] == self.seq + 1 else "gap"

    def take(self, record: Json, author: str = "", sealed: Sealed | None = None) -> Entry | None:
        """Take the next record; an entry comes back verified (`author` is its writer's name).
        `sealed` is what this device knows of an entry it sealed a moment ago: only the checks
        that concern the server (place in the chain, seq, hash) are made again."""
        if self.place(record) != "next":
            raise refused("gap", record, f"it arrived after {self.seq}")
        entry, signed = None, None
        if record["kind"] == ENTRY:
            entry = self._verify(record, author, sealed)
            self.digest.add(record["seq"], entry.hash)
            self.entries.append(entry)
        else:
            signed = self._act(record)
            if record["kind"] == ENTRY_CROSSED:
                self._check_crossing(record)
            self.follow(record)
        self.seq, self.signed = record["seq"], signed
        return entry

    def _act(self, record: Json) -> bool | None:
        """Check the act a record says its member did; add it to the digest. True when signed
        by its author's device, False for a v1 record before `signed_from`, None for no act."""
        seq = record["seq"]
        try:
            if act_fields(record["kind"], record) is None:
                self.digest.add(seq, None)
                return None
            found = act_of_record(self.notebook_id, record)
        except ProtocolError as exc:
            raise refused("unreadable", record, str(exc)) from exc
        if found is None:
            if seq > self.signed_from:
                raise refused("unsigned", record)
            self.digest.add(seq, None)
            self._act_at[seq] = None
            return False
        act, sig = found
        try:
            key = self.registry.actor(act.member_id, act.device_id, seq)
        except ProtocolError as exc:
            raise refused("untrusted", record, str(exc)) from exc
        try:
            verify_act(key, act, sig)
        except ProtocolError as exc:
            raise refused("unsigned", record, str(exc)) from exc
        if act.seen.seq >= seq or not self.digest.agrees(act.seen):
            raise refused("forked", record)
        link = act_hash(act, sig)
        if link in self._acts:
            raise refused("out_of_place", record, "an act taken already, replayed")
        self._acts.add(link)
        self._act_at[seq] = link
        self.digest.add(seq, link)
        return True

    def _check_crossing(self, record: Json) -> None:
        """A line is crossed out only by its own writer, and only once (as js/log.js)."""
        line = next((e for e in self.entries if e.id == record.get("entry")), None)
        if line is None or line.member != record["member"] or line.id in self.crossed:
            raise refused("not_crossable", record)

    def vouches(self, record: Json) -> bool:
        """Whether `record` (a promise's history, say) is an act this log took at its place,
        exactly as signed (or, before `signed_from`, as v1 left it)."""
        seq = record.get("seq")
        if not isinstance(seq, int) or seq not in self._act_at:
            return False
        try:
            found = act_of_record(self.notebook_id, record)
        except ProtocolError:
            return False
        taken = self._act_at[seq]
        return taken is None if found is None else taken == act_hash(*found)

    def follow(self, record: Json) -> None:
        """What the rules' records change in what a client shows: the pen, the chapter and
        its mode, a pause and its answer, a goodbye, a line crossed out (as js/log.js)."""
        kind = record["kind"]
        if kind == NOTEBOOK_CREATED:
            self.pen = record["member"]
        elif kind == PEN_PASSED:
            self.pen = record["to"]
        elif kind == MODE_CHANGED:
            self.pen, self.mode = record["pen"], record["mode"]
        elif kind == CHAPTER_OPENED:
            self.chapter, self.mode, self.chapter_open = record["chapter"], record["mode"], True
            self.pen = record["member"] if record["mode"] == "turns" else None
        elif kind == CHAPTER_CLOSED:
            self.chapter_open = False
        elif kind == MEMBER_LEFT:
            self.left.add(record["member"])
        elif kind in (PAUSE_STARTED, PAUSE_RENEWED):
            self.pause = self._paused(record)
        elif kind == PAUSE_HERE and self.pause is not None:
            self.pause = replace(self.pause, here=True)
        elif kind == PAUSE_ENDED:
            self.pause = None
        elif kind == ENTRY_CROSSED:
            self.crossed.add(record["entry"])

    def _paused(self, record: Json) -> Pause:
        """A pause as its act says: it ends `minutes` (signed) after it was asked for; v1's
        records, which did not sign the length, keep the server's `until`."""
        at, until = record["at"], record["until"]
        if isinstance(record.get("minutes"), int):
            start = datetime.fromisoformat(at.replace("Z", "+00:00"))
            end = start + timedelta(minutes=record["minutes"])
            until = end.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if record["kind"] == PAUSE_RENEWED and self.pause is not None:
            return replace(self.pause, until=until)
        return Pause(record["member"], at, until, False)

    def _verify(self, record: Json, author: str, sealed: Sealed | None) -> Entry:
        member = record["member"]
        try:
            epoch = box.epoch_of(b64decode(record["ct"]))
        except ProtocolError as exc:
            raise refused("unreadable", record, str(exc)) from exc
        try:
            key = self.registry.key_for(member, record["device"], epoch)
        except ProtocolError as exc:
            raise refused("untrusted", record, str(exc)) from exc
        text, mirror, digest, ink, seen = (*sealed, None) if sealed else self._open(record, key)
        if mirror != (record.get("mirror") is True):
            raise refused("mirror_differs", record)
        if b64decode(record["prev"]) != self.head:
            raise refused("out_of_place", record)
        if epoch < self.last_epoch:
            raise refused("older_epoch", record)
        if record.get("hash") != b64encode(digest):
            raise refused("hash_differs", record)
        if seen is not None:  # protocol v2: the log as the writer had followed it
            self._check_seen(record, seen)
        elif sealed is None and record["seq"] > self.signed_from:  # only v1's lines lack it
            raise refused("unsigned", record, "a line names no place its writer had seen")
        self.last_epoch, self.head = epoch, digest
        return Entry(
            record["seq"],
            record["id"],
            record["chapter"],
            member,
            author,
            text,
            record["at"],
            digest,
            mirror,
            ink=ink,
        )

    def _open(self, record: Json, key: bytes) -> tuple[str, bool, bytes, Ink | None, object]:
        try:
            body, digest = messages.open_entry_body(
                self.keyring.content, key, self.notebook_id, record
            )
        except ProtocolError as exc:
            raise refused("unreadable", record, str(exc)) from exc
        mirror = body.get("mirror") is True
        return body["text"], mirror, digest, body.get("ink"), body.get("seen")

    def _check_seen(self, record: Json, seen: object) -> None:
        try:
            if not isinstance(seen, dict):
                raise ProtocolError("an entry's seen is {seq, digest}")
            at = Seen(seen["seq"], b64decode(seen["digest"]))
            at.check()
        except (KeyError, ProtocolError) as exc:
            raise refused("unreadable", record, "an entry's seen is {seq, digest}") from exc
        if at.seq >= record["seq"] or not self.digest.agrees(at):
            raise refused("forked", record)


_PROMISE_STATES = {
    "promise.made": "made",
    "promise.acknowledged": "acknowledged",
    "promise.withdrawn": "withdrawn",
}


def promise_state(history: Sequence[Json]) -> str:
    """A promise's state as its history of acts says, oldest first (as js/log.js)."""
    state = ""
    for record in history:
        kind = record.get("kind", "")
        marked = kind == "promise.marked"
        state = str(record.get("outcome")) if marked else _PROMISE_STATES.get(kind, "?")
    return state
