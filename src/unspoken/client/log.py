"""Following the notebook's log, as the browser does (js/log.js), checked by the same vectors
(tests/vectors/log-following.json): records are taken strictly in seq order, once each; an
entry is checked for its device, its seal, its place in the chain, its key epoch and its hash;
an act (protocol v2) for the device that signed it, its signature over exactly what the record
says, and the log its device had seen (`seen`, against this device's own `LogDigest`: a
difference means the server showed the two partners different histories). A record that fails
is refused with a reason of static/vocabulary/records.json. Pure: the notebook fetches what is
missing, this only follows what it is given.

What the log shows (the pen, the mode, a pause, a chapter's mirror-before-reply, a goodbye) is
followed only from what an act's device signed and the rules (docs/protocol.md, "Following
the log: what signed acts and the rules say"): a record whose unsigned fields say otherwise
is refused, and so are the server's own records (a pause that ran out, one ended with a
goodbye) that the signed acts and the clock do not bear out. Every record, signed or not,
is bound into the digest.

The browser keeps a refused entry on the page as a warning and goes on; the SDK raises
TamperError with the same reason, and stops.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from unspoken.client.api import Json
from unspoken.client.errors import TamperError
from unspoken.client.keyring import Keyring
from unspoken.client.models import Entry, Ink, Pause
from unspoken.protocol import box, chain, devices, items, messages
from unspoken.protocol.acts import (
    LogDigest,
    Seen,
    act_fields,
    act_hash,
    act_of_record,
    record_hash,
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
    MIRROR_ANSWERED,
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

# How far ahead of this device's clock the server may date a pause's end by the clock: clocks
# differ a little; a pause is never shorter than twenty minutes (docs/protocol.md).
CLOCK_SKEW = timedelta(minutes=5)
# How far out of order the server may date two records honestly: two requests racing take
# their times a moment apart and commit the other way round. (v1's pauses only: v2 signs its time.)
DATING_GRACE = timedelta(minutes=1)


@dataclass(frozen=True)
class Mirror:
    """Mirror-before-reply in the open chapter, as the signed log says (as the rules' Mirror):
    who owes a restatement of the partner's words, and who must answer one."""

    owed_by: str | None = None
    awaiting: str | None = None


def _utc_now() -> datetime:
    return datetime.now(UTC)


def refused(reason: str, record: Json, detail: str | None = None) -> TamperError:
    words = REFUSALS[reason] if detail is None else f"{REFUSALS[reason]}: {detail}"
    return TamperError(f"record {record.get('seq')}: {words}", reason)


class Log:
    def __init__(
        self,
        notebook_id: str,
        keyring: Keyring,
        registry: devices.DeviceRegistry,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.notebook_id = notebook_id
        self.keyring = keyring
        self.registry = registry  # the devices trusted here, followed from the log by the notebook
        self.clock = clock  # this device's time: a pause cannot have run out in its future
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
        self.mirror: Mirror | None = None  # None: the open chapter has no mirror-before-reply
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
        self._latest: datetime | None = None  # the latest time a record taken was dated
        self._leaving: Json | None = None  # a pause ended for a goodbye, until the goodbye

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
        at = self._time(record)
        if self._leaving is not None and record["kind"] != MEMBER_LEFT:
            raise refused("against_the_rules", record, "a pause ended for a goodbye not said")
        entry, signed = None, None
        if record["kind"] == ENTRY:
            entry = self._verify(record, author, sealed)
            self.digest.add(record["seq"], entry.hash)
            self.entries.append(entry)
            self._after_entry(entry)
        else:
            signed = self._act(record)
            if record["kind"] == ENTRY_CROSSED:
                self._check_crossing(record)
            if signed is None and record["seq"] > self.signed_from:
                self._check_server_record(record, at)
            elif signed:
                self._check_signed(record)
            self.follow(record)
        self.seq, self.signed = record["seq"], signed
        self._latest = at if self._latest is None else max(self._latest, at)
        return entry

    def _time(self, record: Json) -> datetime:
        try:
            at = datetime.fromisoformat(str(record["at"]).replace("Z", "+00:00"))
        except (KeyError, ValueError) as exc:
            raise refused("unreadable", record, "a record is dated in ISO 8601") from exc
        if at.tzinfo is None:
            raise refused("unreadable", record, "a record is dated in UTC")
        return at

    def _check_signed(self, record: Json) -> None:
        """What a signed act's record says beyond the act (the server's fields) must be what
        the act and the rules make of it; and a goodbye may end a pause only beside it."""
        kind, member = record["kind"], record["member"]
        if kind == MODE_CHANGED:
            holder = member if record["mode"] == "turns" else None
            if record.get("pen") != holder:
                raise refused("contradicts", record, "the pen is not where the mode puts it")
        elif kind == PEN_PASSED:
            if self.mode != "turns" or self.pen != member or record["to"] == member:
                raise refused("against_the_rules", record, "only the pen's holder passes it")
        elif kind == CHAPTER_OPENED:
            self._chapter_mirror(record)
        elif kind == MEMBER_LEFT and self._leaving is not None:
            if record["seq"] != self._leaving["seq"] + 1 or record["at"] != self._leaving["at"]:
                raise refused("against_the_rules", record, "a pause ended for another goodbye")

    def _check_server_record(self, record: Json, at: datetime) -> None:
        """A record no device signed (protocol v2): a pause may end by the clock only once its
        signed length is over, and not in this device's future; with a goodbye only beside
        the goodbye (the next record, checked there)."""
        if record["kind"] != PAUSE_ENDED:
            return
        pause = self.pause
        if pause is None or pause.by != record["member"]:
            raise refused("against_the_rules", record, "no such pause to end")
        if record.get("reason") == "left":
            self._leaving = record
            return
        until = datetime.fromisoformat(pause.until.replace("Z", "+00:00"))
        if at < until or at > self.clock() + CLOCK_SKEW:
            raise refused("too_early", record)

    def _chapter_mirror(self, record: Json) -> None:
        """A chapter's mirror-before-reply choice, from its sealed meta (the act signs its id):
        the server's `mirror` field must say the same."""
        meta = record.get("meta")
        try:
            if not isinstance(meta, dict):
                raise ProtocolError("a chapter has a title and a mirror choice")
            key = self.registry.key_for(
                record["member"], str(meta["device"]), box.epoch_of(b64decode(meta["ct"]))
            )
            place = items.Place(
                self.notebook_id, "chapter", str(meta["id"]), str(record["chapter"])
            )
            body = items.open_item(
                self.keyring.content, key, place, str(meta["device"]), meta["ct"], meta["sig"]
            )
        except (KeyError, TypeError, ProtocolError) as exc:
            raise refused("unreadable", record, str(exc)) from exc
        if body["mirror"] != record.get("mirror"):
            raise refused("contradicts", record, "another mirror choice than the chapter's")

    def _partner(self, member: str) -> str | None:
        """The other partner, as the devices trusted here say."""
        others = {d.member for d in self.registry.devices.values() if d.member != member}
        return next(iter(others)) if len(others) == 1 else None

    def _after_entry(self, entry: Entry) -> None:
        """Words make the partner owe a restatement; one waits for its writer's answer."""
        if self.mirror is None or entry.chapter != self.chapter:
            return
        other = self._partner(entry.member)
        self.mirror = Mirror(None, other) if entry.mirror else Mirror(other, None)

    def _act(self, record: Json) -> bool | None:
        """Check the act a record says its member did; add it to the digest. True when signed
        by its author's device, False for a v1 record before `signed_from`, None for no act."""
        seq = record["seq"]
        try:
            unsigned = record_hash(record)
            if act_fields(record["kind"], record) is None:
                self.digest.add(seq, unsigned)
                return None
            found = act_of_record(self.notebook_id, record)
        except ProtocolError as exc:
            raise refused("unreadable", record, str(exc)) from exc
        if found is None:
            if seq > self.signed_from:
                raise refused("unsigned", record)
            self.digest.add(seq, unsigned)
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
        """What the rules' records change in what a client shows: the pen, the chapter, its
        mode and mirror-before-reply, a pause and its answer, a goodbye, a line crossed out (as
        js/log.js). Under v2 only what the act signed counts (checked beside it in `take`);
        v1's records before `signed_from` are followed as they say."""
        kind, member = record["kind"], record["member"]
        if self._follow_pen(record):
            return
        if kind == CHAPTER_CLOSED:
            self.chapter_open, self.mirror = False, None
        elif kind == MIRROR_ANSWERED and self.mirror is not None:
            got_it = record["answer"] == "got-it"
            self.mirror = Mirror() if got_it else Mirror(self._partner(member), None)
        elif kind == MEMBER_LEFT:
            self.left.add(member)
            if self._leaving is not None:
                self.pause, self._leaving = None, None
        elif kind in (PAUSE_STARTED, PAUSE_RENEWED):
            self.pause = self._paused(record)
        elif kind == PAUSE_HERE and self.pause is not None:
            self.pause = replace(self.pause, here=True)
        elif kind == PAUSE_ENDED and self._leaving is None:
            self.pause = None
        elif kind == ENTRY_CROSSED:
            self.crossed.add(record["entry"])

    def _follow_pen(self, record: Json) -> bool:
        """The pen, the mode and the chapter (True when `record` moved them)."""
        kind, member = record["kind"], record["member"]
        if kind == NOTEBOOK_CREATED:
            self.pen = member
        elif kind == PEN_PASSED:
            self.pen = record["to"]  # the act's signed outcome
        elif kind == MODE_CHANGED:
            self.mode = record["mode"]
            if record["seq"] <= self.signed_from:  # v1: the server's word
                self.pen = record["pen"]
            else:
                self.pen = member if self.mode == "turns" else None
        elif kind == CHAPTER_OPENED:
            self.chapter, self.mode, self.chapter_open = record["chapter"], record["mode"], True
            self.pen = member if record["mode"] == "turns" else None
            self.mirror = Mirror() if record.get("mirror") is True else None
        else:
            return False
        return True

    def _paused(self, record: Json) -> Pause:
        """A pause as its act says: it ends `minutes` after the asking device asked, both
        signed (`asked`, unix ms on that device's clock, which the server kept within five
        minutes of its own). v1's records, which signed neither, were asked for no earlier than
        anything the log had shown before them (the server dates records; this bounds how far
        back it can date one), or keep the server's `until`."""
        at, until = record["at"], record["until"]
        if record["seq"] > self.signed_from:
            start = datetime.fromtimestamp(0, UTC) + timedelta(milliseconds=int(record["asked"]))
            end = start + timedelta(minutes=int(record["minutes"]))
            until = end.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        elif isinstance(record.get("minutes"), int):
            start = self._time(record)
            if self._latest is not None:
                start = max(start, self._latest - DATING_GRACE)
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
