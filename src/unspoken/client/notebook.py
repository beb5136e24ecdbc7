"""The Python SDK: one partner's device, speaking protocol v2 to a server.

A Notebook is composed of parts, each holding one concern: the keyring (every epoch's keys),
the roster (members, and the devices pinned for them), the log (records followed in order,
entries and signed acts verified), the sealer (items sealed and opened) and facades for what a
partner does —
`nb.promises`, `nb.agreements`, `nb.pauses`, `nb.chapters`, `nb.devices`, `nb.push`. The
methods documented before the parts existed (`nb.promise(…)`, `nb.pause(…)` …) delegate to them.
"""

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

from unspoken.client import pairing
from unspoken.client.api import TRANSPORT_ERRORS, Acts, Api, Json, NotebookCalls
from unspoken.client.commitments import (
    AgreementRef,
    Agreements,
    Histories,
    Mark,
    PromiseRef,
    Promises,
)
from unspoken.client.devices import Devices
from unspoken.client.errors import TamperError, UnspokenError
from unspoken.client.keyring import Keyring
from unspoken.client.log import Log, Mirror, Sealed
from unspoken.client.models import (
    Agreement,
    Chapter,
    Draft,
    Entry,
    Event,
    Ink,
    Member,
    Pause,
    Promise,
)
from unspoken.client.push import NOTICES, Push, Quiet
from unspoken.client.roster import Roster
from unspoken.client.rules import Chapters, Pauses
from unspoken.client.sealer import Sealer
from unspoken.client.strokes import as_ink
from unspoken.protocol import acts, devices, exchange, keys, messages, records
from unspoken.protocol.encoding import b64decode, b64encode, new_id
from unspoken.protocol.records import ENTRY, EPOCH_STARTED

_RETRIES = 5


class Notebook:
    """A notebook as one partner's device sees it: keys stay here, only ciphertext leaves."""

    def __init__(
        self,
        api: Api,
        notebook_id: str,
        member_id: str,
        device: keys.DeviceKey,
        notebook_keys: bytes | Mapping[int, bytes],
        exchange_key: exchange.ExchangeKey | None = None,
        anchors: Mapping[str, bytes] | None = None,
    ) -> None:
        self._api = api
        self._calls = NotebookCalls(api, notebook_id, self._sign)
        self.id = notebook_id
        self.member_id = member_id
        self._device = device
        self.exchange_key = exchange_key or exchange.ExchangeKey.generate()
        if isinstance(notebook_keys, bytes):
            notebook_keys = {0: notebook_keys}
        self.keyring = Keyring(notebook_id, notebook_keys)
        registry = devices.DeviceRegistry(notebook_id)
        self.roster = Roster(notebook_id, member_id, self.keyring, registry, set())
        for member, key in (anchors or {member_id: device.public}).items():
            self.roster.anchor(member, key)
        self.sealer = Sealer(notebook_id, self.keyring, device, registry)
        self._log = Log(notebook_id, self.keyring, registry)
        # One follower of the log at a time: the live stream, a read and an act's catching up
        # may run in separate tasks of this one notebook.
        self._following = asyncio.Lock()
        # One per open stream: the records this device took (by seq) that its stream has not
        # given out yet, so a record followed first by an act or a read still comes out there.
        self._watching: list[dict[int, Event]] = []
        view, acted = (lambda: self._view), self._acted
        # The acts on each promise and agreement the log took: a listing must show them whole.
        self._histories = Histories()
        self.promises = Promises(
            self._calls,
            self.sealer,
            self._partner,
            self._log,
            lambda: self._catch_up(),
            self._histories,
        )
        self.agreements = Agreements(
            self._calls,
            self.sealer,
            member_id,
            self._log,
            lambda: self._catch_up(),
            self._histories,
        )
        self.pauses = Pauses(self._calls, self.sealer, self._log, acted, member_id)
        self.chapters = Chapters(self._calls, self.sealer, view, acted, self._log)
        self.devices = Devices(
            self._calls,
            device,
            self.exchange_key,
            self.keyring,
            self.roster,
            view,
            self.sync,
            lambda: self.signed_from,
        )
        self.push = Push(api, notebook_id)
        self._invite: tuple[str, bytes] | None = None  # (invite id, secret), creator only
        self.members: dict[str, Member] = {}
        self._view: Json = {"members": []}
        self._draft: tuple[str, int] | None = None  # (draft id, last frame n) while drafting

    # --- pairing -------------------------------------------------------------------------

    @classmethod
    async def create(cls, server: str, name: str, hand: dict[str, Any] | None = None) -> "Notebook":
        """Make keys here, create the notebook on the server, and open a first invite."""
        return await pairing.create(cls, server, name, hand)

    @classmethod
    async def join(
        cls, invite_link: str, name: str, hand: dict[str, Any] | None = None
    ) -> "Notebook":
        """Claim an invite: the secret in the link's fragment never reaches the server."""
        return await pairing.join(cls, invite_link, name, hand)

    @classmethod
    async def add_device(cls, device_link: str, timeout: float = 60.0) -> "Notebook":
        """Open a device link on a new device of yours; returns once your other device has let
        it in (approve_device). The new device reads the whole history and writes."""
        return await pairing.add_device(cls, device_link, timeout)

    async def new_invite(self) -> str:
        """Open a fresh single-use invite (replacing any open one) and return its link."""
        secret, invite_id = secrets.token_bytes(32), new_id()
        invite = keys.InviteKeys.from_secret(secret, invite_id)
        held = self.keyring.notebook_keys
        later = {n: k for n, k in held.items() if n > 0}
        bundle = messages.Bundle(self.id, held[0], self._device.public, later)
        body = {
            "id": invite_id,
            "claim_hash": b64encode(invite.claim_hash),
            "bundle": b64encode(bundle.seal(invite.wrap, invite_id)),
        }
        await self._calls.post("/invites", body)
        self._invite = (invite_id, secret)
        return self.invite_link

    @property
    def invite_link(self) -> str:
        if self._invite is None:
            raise RuntimeError("only the creator has an invite link, until the partner is in")
        return pairing.invite_link(self._api.base_url, *self._invite)

    def _pending(self) -> Member:
        pending = [m for m in self.members.values() if m.state == "pending"]
        if not pending:
            raise RuntimeError("nobody is waiting to be let in")
        return pending[0]

    async def approve_partner(self) -> Member:
        """Let the pending joiner in, once its key is proved to come from the invite link."""
        await self._refresh_view()
        joiner = self._pending()
        if self._invite is None:
            raise RuntimeError("nobody is waiting to be let in")
        invite_id, secret = self._invite
        key_mac = next(m for m in self._view["members"] if m["id"] == joiner.id).get("key_mac")
        invite = keys.InviteKeys.from_secret(secret, invite_id)
        if not invite.verify_joiner_mac(invite_id, joiner.device_key, b64decode(key_mac or "")):
            raise TamperError("the joiner's key was not sent by someone holding the invite link")
        self.roster.anchor(joiner.id, joiner.device_key)
        await self._update_view(await self._calls.post(f"/members/{joiner.id}/approve"))
        self._invite = None
        return self.members[joiner.id]

    async def decline_partner(self) -> int:
        """Turn the waiting joiner away; they opened the bundle, so a new key epoch begins
        before any new invite. Returns the new epoch."""
        await self._refresh_view()
        await self._update_view(await self._calls.post(f"/members/{self._pending().id}/decline"))
        self._invite = None
        return await self.devices.new_epoch()

    @property
    def safety_phrase(self) -> str:
        """Eight words both partners see; comparing them once in person proves no middleman.
        They cover every device of both: a device added or revoked changes them."""
        return self.devices.safety_phrase

    # --- writing and reading -------------------------------------------------------------

    @property
    def pen(self) -> str | None:
        return self._log.pen

    @property
    def chapter(self) -> int:
        return self._log.chapter

    @property
    def mode(self) -> str:
        return self._log.mode

    @property
    def left(self) -> frozenset[str]:
        """The members who said goodbye, as their own signed acts say."""
        return frozenset(self._log.left)

    @property
    def mirror(self) -> Mirror | None:
        """Mirror-before-reply in the open chapter (who owes a restatement, who must answer
        one), as the chapter's sealed choice and the signed log say; None when it has none."""
        return self._log.mirror

    async def write(self, text: str, mirror: bool = False) -> Entry:
        """Seal, sign and append; retries never duplicate, a moved head is caught up first.

        `mirror=True` marks a restatement of the partner's words (mirror-before-reply).
        """
        return await self._write(text, mirror, None)

    async def write_ink(
        self,
        strokes: Iterable[Iterable[Sequence[float]]],
        text: str | None = None,
        mirror: bool = False,
    ) -> Entry:
        """Write by hand: `strokes` is a list of strokes, each a list of (x, y, t) or
        (x, y, t, pressure) points — x and y in ink units (the pad is 1000 wide, y goes down),
        t in milliseconds since the first point, pressure from 0 to 1 — and `text` an optional
        typed transcript. Sealed, signed and appended as `write` does. The Entry's `ink` holds
        the strokes as written, as integer 4-tuples with the pressure 0..255 (128 where none
        was given); its `text` the transcript or "". ValueError, before anything is sent, for
        strokes beyond the limits of docs/protocol.md ("Ink")."""
        return await self._write(text or "", mirror, as_ink(strokes))

    async def _write(self, text: str, mirror: bool, ink: Ink | None) -> Entry:
        entry_id = new_id()
        self._draft = None
        for _ in range(_RETRIES):
            place = (self.id, self.chapter, entry_id, self._log.head)
            seen = self._log.digest.seen()
            signed = messages.seal_entry(
                self.keyring.content,
                self._device,
                place,
                text,
                mirror=mirror,
                seen=(seen.seq, seen.digest),
                ink=ink,
            )
            body = {"id": entry_id, "chapter": self.chapter, "prev": b64encode(self._log.head)}
            body |= signed.wire() | ({"mirror": True} if mirror else {})
            try:
                answer = await self._post_entry(body)
            except UnspokenError as exc:
                if exc.status == 409 and "head" in exc.problem:
                    await self.read()
                    continue
                if exc.status == 409 and "epoch" in exc.problem:  # a new epoch began
                    await self._catch_up()  # its key is fetched where the log announces it
                    continue
                raise
            async with self._following:
                await self._follow(answer["seq"] - 1)
                if self._log.seq < answer["seq"]:  # the live stream may have applied it already
                    mine = {"seq": answer["seq"], "kind": ENTRY, "at": answer["at"]}
                    mine |= {"member": self.member_id, "device": self._device.id}
                    sealed = (text, mirror, signed.hash, ink)
                    self._take(mine | {"hash": answer["hash"]} | body, sealed)
            return next(e for e in reversed(self._log.entries) if e.id == entry_id)
        raise UnspokenError(409, "the notebook kept moving; try again")

    async def _post_entry(self, body: Json) -> Json:
        """Idempotent by its entry id: sent again after a lost answer, it is stored once and
        answered with the original seq (see `retry_window`)."""
        path = f"/v1/notebooks/{self.id}/entries"
        return (await self._api.call("POST", path, body, idempotent=True))[1]

    @property
    def retry_window(self) -> float:
        """Seconds a call keeps trying through transport errors and 503s (0 = never retry)."""
        return self._api.retry_window

    @retry_window.setter
    def retry_window(self, seconds: float) -> None:
        self._api.retry_window = seconds

    async def session(self) -> "Notebook":
        """A second, independent session of this device (its own connection and cursor), e.g.
        to watch the live stream in one task while another writes."""
        api = Api(self._api.base_url, self._api.token, self._api.retry_window)
        twin = type(self)(
            api,
            self.id,
            self.member_id,
            self._device,
            self.keyring.notebook_keys,
            self.exchange_key,
        )
        twin.roster.adopt(self.roster)
        await twin._refresh_view()  # its log starts at the beginning, followed as it reads
        return twin

    async def read(self) -> list[Entry]:
        """Every verified entry of the open chapter, in order."""
        await self._catch_up()
        crossed = self._log.crossed
        return [
            replace(e, crossed=e.id in crossed)
            for e in self._log.entries
            if e.chapter == self.chapter
        ]

    async def events(self) -> AsyncIterator[Event]:
        """The live stream, verified: every record after the moment it began, in order, whether
        it reached this device first on the stream or through a call (an act catches the log
        up to itself). After a dropped connection it resumes where it left off."""
        taken: dict[int, Event] = {}
        self._watching.append(taken)
        after = self._log.seq
        try:
            while True:
                try:
                    path = f"/v1/notebooks/{self.id}/events"
                    async for record in self._api.stream(path, after):
                        if "seq" not in record:  # a draft frame: live only, not in the log
                            if record.get("kind") == "draft":
                                yield Event(0, "draft", record, draft=self._open_draft(record))
                            continue
                        if record["seq"] <= after:
                            continue
                        async with self._following:
                            if record["seq"] > self._log.seq:
                                await self._follow(record["seq"] - 1)
                                await self._take_streamed(record)
                        # What the log took up to here, as it took it (not the stream's copy).
                        for seq in sorted(s for s in taken if s <= record["seq"]):
                            after = seq
                            yield taken.pop(seq)
                except TRANSPORT_ERRORS:
                    await asyncio.sleep(0.2)
                except UnspokenError as exc:
                    if exc.status != 503:  # the server is restarting or its database is busy
                        raise
                    await asyncio.sleep(1.0)
        finally:
            self._watching.remove(taken)

    async def refresh(self) -> None:
        """Fetch the notebook's members and their profiles, then follow the log to its head
        for the pen, the chapter and the pause (a joiner not let in yet follows nothing)."""
        await self._refresh_view()
        me = self.members.get(self.member_id)
        if me is None or me.state == "active":
            await self._catch_up()

    async def sync(self) -> None:
        """Fetch the notebook's state, then every record after the last one followed."""
        await self._refresh_view()
        await self._catch_up()

    async def _refresh_view(self) -> None:
        await self._update_view(await self._calls.get(""))

    async def close(self) -> None:
        await self._api.close()

    # --- the log -------------------------------------------------------------------------

    async def _take_streamed(self, record: Json) -> None:
        if record["kind"] in records.REFRESHES:
            await self._refresh_view()
        await self._before(record)
        self._take(record)

    async def _catch_up(self, until: int | None = None) -> None:
        """Follow the log up to `until` (its head by default), one follower at a time."""
        async with self._following:
            await self._follow(until)

    async def _follow(self, until: int | None = None) -> None:
        while until is None or self._log.seq < until:
            page = await self._calls.get(f"/records?after={self._log.seq}&limit=500")
            for record in page["records"]:
                if until is not None and record["seq"] > until:
                    return
                if self._log.place(record) == "old":  # applied meanwhile by another reader
                    continue
                if record["kind"] == ENTRY and record["member"] not in self.members:
                    await self._refresh_view()
                await self._before(record)
                self._take(record)
            if not page["records"] or self._log.seq >= page["head_seq"]:
                return

    async def _before(self, record: Json) -> None:
        """A new epoch is followed (who began it) and its key fetched before the records
        sealed in it."""
        if record["kind"] != EPOCH_STARTED or self._log.place(record) != "next":
            return
        self.devices.follow(record)
        if record["epoch"] not in self.keyring:
            await self.devices.sync_keys()

    def _take(self, record: Json, sealed: Sealed | None = None) -> Entry | None:
        if record["kind"] in records.TRUST and self._log.place(record) == "next":
            self.devices.follow(record)
        member = self.members.get(record.get("member", ""))
        entry = self._log.take(record, (member.name if member else None) or "", sealed)
        self._histories.take(record)
        if self._watching:
            event = Event(record["seq"], record["kind"], record, entry, signed=self._log.signed)
            for taken in self._watching:
                taken[event.seq] = event
        return entry

    async def _update_view(self, view: Json) -> None:
        """The server's notebook: its members and what else only the server keeps. What the
        partners did (the pen, the chapter, a pause, a goodbye) is followed from their signed
        acts in the log instead (Log.follow)."""
        self._view = view
        self.members = self.roster.read(view)

    async def _acted(self, view: Json) -> None:
        """After an act of this device: the server's answer, then the log up to the act."""
        await self._update_view(view)
        await self._catch_up()

    # --- the pen and drafts --------------------------------------------------------------

    async def pass_pen(self) -> None:
        chapter = str(self.chapter)
        acted = [("pen.passed", (chapter, self._partner(), ""))]
        await self._acted(await self._calls.act("/pen/pass", acted))

    async def cross_out(self, entry_id: str) -> None:
        """Cross out a line of this member's own: it stays, struck through, for both (act
        `entry.crossed`; UnspokenError 403 for the partner's, 409 once crossed out already)."""
        acted = [("entry.crossed", (entry_id, "", ""))]
        await self._acted(await self._calls.act(f"/entries/{entry_id}/cross", acted))

    async def ask_for_pen(self) -> None:
        """A gentle knock; at most once in ten minutes (UnspokenError 429 otherwise)."""
        acted = [("pen.asked", (str(self.chapter), "", ""))]
        await self._acted(await self._calls.act("/pen/ask", acted))

    async def set_mode(self, mode: Literal["turns", "open"]) -> None:
        acted = [("mode.changed", (str(self.chapter), mode, ""))]
        await self._acted(await self._calls.act("/mode", acted, {"mode": mode}))

    async def send_draft(
        self, text: str, strokes: Iterable[Iterable[Sequence[float]]] | None = None
    ) -> None:
        """Let the partner watch the words form: one encrypted frame of the whole draft, and
        with `strokes` (points as for `write_ink`) every stroke drawn so far."""
        ink = None if strokes is None else as_ink(strokes, empty=True)
        draft_id, n = self._draft or (new_id(), -1)
        self._draft = (draft_id, n + 1)
        frame = self.sealer.draft((self.id, self.chapter, draft_id, n + 1), text, ink)
        await self._calls.post(
            "/drafts", {"chapter": self.chapter, "draft": draft_id, "n": n + 1, **frame}
        )

    def _open_draft(self, frame: Json) -> Draft:
        text, ink = self.sealer.open_draft(frame)
        member = self.members.get(frame["member"])
        name = (member.name if member else None) or ""
        place = (frame["member"], name, frame["chapter"], frame["draft"], frame["n"])
        return Draft(*place, text, ink)

    async def leave(self) -> Json:
        """Leave for good; the partner keeps read access until the notebook is erased.

        The browser asks twice before calling this; the SDK trusts its caller.
        """
        return await self._calls.act("/leave", [("member.left", ("", "", ""))])

    # --- signed acts (protocol v2) -------------------------------------------------------

    def _sign(self, acted: Acts) -> dict[str, str]:
        """The Unspoken-Act header: this device's signature over each act, naming the log as
        it has followed it so far."""
        seen = self._log.digest.seen()
        claim = acts.claim(self._device, self.id, self.member_id, seen, acted)
        return {"Unspoken-Act": claim.header()}

    def _partner(self) -> str:
        partner = next((m for m in self.members.values() if m.id != self.member_id), None)
        if partner is None:
            raise RuntimeError("there is no partner in this notebook yet")
        return partner.id

    @property
    def signed_from(self) -> int:
        """Every act after this log position must be signed by its author's device; 0 (the
        default) for a notebook begun under protocol v2. A device following a notebook begun
        under v1 sets it to the position it had reached before v2, once, before syncing."""
        return self._log.signed_from

    @signed_from.setter
    def signed_from(self, seq: int) -> None:
        self._log.signed_from = seq

    # --- what the parts do, by the names documented before they existed ------------------

    @property
    def pause_state(self) -> Pause | None:
        return self.pauses.state

    async def pause(self, minutes: int, note: str | None = None) -> Pause:
        return await self.pauses.start(minutes, note)

    async def be_here(self, note: str | None = None) -> None:
        await self.pauses.be_here(note)

    async def ready(self) -> None:
        await self.pauses.ready()

    def open_note(self, kind: Literal["pause-note", "here-note"], record: Json) -> str | None:
        return self.pauses.open_note(kind, record)

    async def close_chapter(self) -> None:
        await self.chapters.close()

    async def new_chapter(
        self,
        title: str,
        template: str | None = None,
        mirror: bool = False,
        mode: Literal["turns", "open"] = "turns",
    ) -> Chapter:
        return await self.chapters.new(title, template, mirror, mode)

    async def answer_mirror(self, answer: Literal["got-it", "more"]) -> None:
        await self.chapters.answer_mirror(answer)

    async def promise(self, text: str) -> Promise:
        return await self.promises.make(text)

    async def acknowledge(self, promise: PromiseRef) -> Promise:
        return await self.promises.acknowledge(promise)

    async def withdraw(self, promise: PromiseRef) -> Promise:
        return await self.promises.withdraw(promise)

    async def mark_promise(
        self, promise: PromiseRef, outcome: Mark, note: str | None = None
    ) -> Promise:
        return await self.promises.mark(promise, outcome, note)

    async def agree(self, what: str | AgreementRef) -> Agreement:
        return await self.agreements.agree(what)

    @property
    def epoch(self) -> int:
        """The newest key epoch this device holds; what it seals in."""
        return self.keyring.epoch

    async def new_epoch(self) -> int:
        return await self.devices.new_epoch()

    async def revoke_device(self, device_id: str) -> int:
        return await self.devices.revoke(device_id)

    async def link_device(self) -> str:
        return await self.devices.link()

    async def approve_device(self, timeout: float = 30.0) -> str:
        return await self.devices.approve(timeout)

    async def push_key(self) -> str:
        return await self.push.key()

    async def enable_push(
        self, subscription: Json, notices: Sequence[str] = NOTICES, quiet: Quiet | None = None
    ) -> Json:
        return await self.push.enable(subscription, notices, quiet)

    async def push_preferences(
        self, notices: Sequence[str] = NOTICES, quiet: Quiet | None = None
    ) -> Json:
        return await self.push.preferences(notices, quiet)

    async def disable_push(self) -> None:
        await self.push.disable()

    async def push_settings(self) -> Json:
        return await self.push.settings()
