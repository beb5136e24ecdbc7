"""Promises and agreements from one partner's device, opened and verified here: `nb.promises`
and `nb.agreements`. Each is called for the whole list, as `await nb.promises()`."""

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from typing import Literal

from unspoken.client.api import Json, NotebookCalls
from unspoken.client.errors import TamperError
from unspoken.client.log import Log, promise_state
from unspoken.client.models import Agreement, Promise
from unspoken.client.sealer import Sealer
from unspoken.protocol import chain
from unspoken.protocol.encoding import b64decode, b64encode, new_id
from unspoken.protocol.records import (
    AGREEMENT_DECLINED,
    AGREEMENT_PROPOSED,
    AGREEMENT_REVISED,
    COMMITMENT,
    PROMISE_MARKED,
)

Mark = Literal["kept", "broken", "released"]
PromiseRef = Promise | str
AgreementRef = Agreement | str


def _id(ref: Promise | Agreement | str) -> str:
    return ref if isinstance(ref, str) else ref.id


class Histories:
    """The acts on each promise and agreement this device's log took, by the item's id, oldest
    first: the history a listing must show whole (the server could otherwise hide a withdrawal
    or a mark by leaving it out)."""

    def __init__(self) -> None:
        self._acts: dict[str, list[Json]] = {}

    def take(self, record: Json) -> None:
        """Told of every record the log took, once it took it."""
        if record.get("kind") in COMMITMENT:
            item = record.get("promise") or record.get("agreement")
            self._acts.setdefault(str(item), []).append(record)

    def of(self, item_id: str) -> tuple[Json, ...]:
        return tuple(self._acts.get(item_id, ()))

    def left_out(self, subject: str, listed: Iterable[str], as_of: int) -> bool:
        """Whether a listing of `subject`s ("promise", "agreement") leaves out one the log took
        an act on by `as_of`."""
        shown = set(listed)
        return any(
            acts[0]["kind"].startswith(f"{subject}.") and acts[0]["seq"] <= as_of
            for item, acts in self._acts.items()
            if item not in shown
        )


Follow = Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


async def _with_history(
    calls: NotebookCalls,
    log: Log,
    histories: Histories,
    follow: Follow,
    listing: str,
    raw: Json,
    what: str,
    as_of: int | None = None,
) -> tuple[Json, tuple[Json, ...]]:
    """`raw` (a promise or an agreement) with its history, once that history is exactly the
    acts the log took for it: each record one the log checked, for this item, and none the log
    took by `as_of` (where it stood when the listing was asked for) left out. An answer to an
    act lacks the history: the listing (`/<listing>`) holds it, asked for once the log followed
    the server's head. `follow` brings the log to the head again after the listing was fetched,
    so it reaches all the listing shows."""
    if raw.get("history") is None:
        await follow()
        as_of = log.seq
        listed = (await calls.get(f"/{listing}"))[listing]
        raw = next((item for item in listed if item["id"] == raw["id"]), raw)
    await follow()
    history = tuple(raw.get("history") or ())
    taken = histories.of(raw["id"])
    taken_at = {record["seq"] for record in taken}
    if not history or not all(
        record.get("seq") in taken_at and log.vouches(record) for record in history
    ):
        raise TamperError(f"{what} history is not the acts its partners signed", "unsigned")
    shown = {record["seq"] for record in history}
    limit = log.seq if as_of is None else as_of
    if any(record["seq"] <= limit and record["seq"] not in shown for record in taken):
        raise TamperError(f"{what} history leaves out an act this device checked", "left_out")
    return raw, history


class Promises:
    def __init__(
        self,
        calls: NotebookCalls,
        sealer: Sealer,
        partner: Callable[[], str],
        log: Log,
        follow: Follow,
        histories: Histories,
    ) -> None:
        self._calls = calls
        self._sealer = sealer
        self._partner = partner  # the member a promise is made to
        self._log = log  # the acts this device has checked
        self._follow = follow  # catch the log up with the server
        self._histories = histories  # the acts the log took, by promise

    async def _promise(
        self, raw: Json, as_of: int | None = None, followed: bool = False
    ) -> Promise:
        """The promise as the server lists it, once its history is the acts the log checked
        for it, none the log took by `as_of` left out (the log followed up to the server's
        head first, unless `followed`): its state is what that history says, never the
        server's word alone."""
        follow = _nothing if followed else self._follow
        raw, history = await _with_history(
            self._calls, self._log, self._histories, follow, "promises", raw, "a promise's", as_of
        )
        if promise_state(history) != raw["state"]:
            raise TamperError("the server shows a promise's state its history does not", "unsigned")
        return self._opened(raw, history)

    def _opened(self, raw: Json, history: tuple[Json, ...]) -> Promise:
        text = self._sealer.open("promise", raw["text"])["text"]
        sealed_by = raw["text"]["device"]
        if raw["text"]["id"] != raw["id"] or sealed_by not in self._sealer.devices_of(raw["by"]):
            raise TamperError("a promise's text was not sealed by the partner who made it")
        notes = tuple(
            str(self._sealer.open("promise-note", r["note"], ref=raw["id"])["text"])
            for r in history
            if r.get("kind") == PROMISE_MARKED and r.get("note")
        )
        return Promise(
            raw["id"],
            raw["by"],
            raw["to"],
            raw["state"],
            str(text),
            raw["made_at"],
            raw["updated_at"],
            history,
            notes,
        )

    async def make(self, text: str) -> Promise:
        """Promise your partner something; they acknowledge it, and later mark it."""
        body = self._sealer.item("promise", {"text": text}, item_id=new_id())
        acted = [("promise.made", (body["id"], self._partner(), body["id"]))]
        return await self._promise(await self._calls.act("/promises", acted, body))

    async def _answer(self, promise: PromiseRef, action: str, kind: str) -> Promise:
        promise_id = _id(promise)
        acted = [(kind, (promise_id, "", ""))]
        return await self._promise(await self._calls.act(f"/promises/{promise_id}/{action}", acted))

    async def acknowledge(self, promise: PromiseRef) -> Promise:
        return await self._answer(promise, "acknowledge", "promise.acknowledged")

    async def withdraw(self, promise: PromiseRef) -> Promise:
        """Only before your partner has acknowledged it."""
        return await self._answer(promise, "withdraw", "promise.withdrawn")

    async def mark(self, promise: PromiseRef, outcome: Mark, note: str | None = None) -> Promise:
        """Kept, broken or released, by the one it was made to."""
        promise_id = _id(promise)
        sealed = None
        if note is not None:
            sealed = self._sealer.item("promise-note", {"text": note}, ref=promise_id)
        body = {"outcome": outcome, "note": sealed}
        acted = [("promise.marked", (promise_id, outcome, sealed["id"] if sealed else ""))]
        path = f"/promises/{promise_id}/mark"
        return await self._promise(await self._calls.act(path, acted, body))

    async def __call__(self) -> list[Promise]:
        """Every promise in the notebook with its history, oldest first."""
        await self._follow()  # the listing must show every act the log took by then
        as_of = self._log.seq
        answer = await self._calls.get("/promises")
        await self._follow()  # and the log reach every act it shows
        if self._histories.left_out("promise", (p["id"] for p in answer["promises"]), as_of):
            raise TamperError(
                "the promises page leaves out a promise this device checked", "left_out"
            )
        return [await self._promise(raw, as_of, followed=True) for raw in answer["promises"]]


class Agreements:
    def __init__(
        self,
        calls: NotebookCalls,
        sealer: Sealer,
        member_id: str,
        log: Log,
        follow: Follow,
        histories: Histories,
    ) -> None:
        self._calls = calls
        self._sealer = sealer
        self._member_id = member_id
        self._log = log  # the acts this device has checked
        self._follow = follow  # catch the log up with the server
        self._histories = histories  # the acts the log took, by agreement

    async def _checked(
        self, raw: Json, as_of: int | None = None, followed: bool = False
    ) -> Agreement:
        """The agreement as the server lists it, once its history is the acts the log checked
        for it, none left out (checked and followed as a promise is): its words, their proposer
        and a "not yet" are what that history says."""
        follow = _nothing if followed else self._follow
        raw, history = await _with_history(
            self._calls,
            self._log,
            self._histories,
            follow,
            "agreements",
            raw,
            "an agreement's",
            as_of,
        )
        words = [r for r in history if r.get("kind") in (AGREEMENT_PROPOSED, AGREEMENT_REVISED)]
        current = words[-1] if words else {}
        text = current.get("text") or {}
        if text.get("id") != raw["text"]["id"] or current.get("member") != raw["proposer"]:
            raise TamperError(
                "the server shows other words than the agreement's history", "unsigned"
            )
        after = history[history.index(current) + 1 :]
        said = next((r for r in after if r.get("kind") == AGREEMENT_DECLINED), None)
        note = None
        if said is not None and said.get("note"):
            opened = self._sealer.open("agreement-note", said["note"], ref=raw["id"])
            if said["note"]["device"] not in self._sealer.devices_of(said["member"]):
                raise TamperError("a not-yet note was not sealed by the partner who said it")
            note = str(opened["text"])
        return replace(
            self._agreement(raw), not_yet=said is not None, not_yet_note=note, history=history
        )

    def _agreement(self, raw: Json) -> Agreement:
        text = raw["text"]
        opened = self._sealer.open("agreement", text)["text"]
        if text["device"] not in self._sealer.devices_of(raw["proposer"]):
            raise TamperError("an agreement's words were not sealed by the partner proposing them")
        signers = tuple(dict.fromkeys(self._verified_signers(text, raw["signatures"])))
        agreed = len(signers) == 2 and self._member_id in signers
        return Agreement(
            raw["id"],
            raw["proposer"],
            str(opened),
            raw["state"],
            agreed,
            signers,
            raw["proposed_at"],
            raw.get("agreed_at"),
        )

    def _verified_signers(self, text: Json, signatures: list[Json]) -> list[str]:
        additional = self._additional(text)
        verified = []
        for signature in signatures:
            signer = self._sealer.registry.get(signature["device"])
            good = (
                signer is not None
                and signer.member == signature["member"]
                and chain.verify_signature(
                    signer.key, additional, b64decode(text["ct"]), b64decode(signature["sig"])
                )
            )
            if good:
                verified.append(signature["member"])
        return verified

    def _additional(self, text: Json) -> bytes:
        return chain.item_aad(self._sealer.notebook_id, "agreement", text["id"], "", text["device"])

    async def agree(self, what: str | Agreement) -> Agreement:
        """agree(text) proposes and signs; agree(agreement) co-signs exactly the same message."""
        if isinstance(what, str):
            body = self._sealer.item("agreement", {"text": what})
            acted = [("agreement.proposed", (body["id"], "", body["id"]))]
            return await self._checked(await self._calls.act("/agreements", acted, body))
        await self._follow()
        as_of = self._log.seq
        raw = await self._listed(what.id)
        await self._checked(raw, as_of)  # what we co-sign must open and verify first
        text = raw["text"]
        signed = chain.signed_message(self._additional(text), b64decode(text["ct"]))
        sig = self._sealer.device.sign(signed)
        acted = [("agreement.signed", (what.id, "", ""))]
        path = f"/agreements/{what.id}/sign"
        answer = await self._calls.act(path, acted, {"sig": b64encode(sig)})
        return await self._checked(answer)

    async def not_yet(self, agreement: AgreementRef, note: str | None = None) -> Agreement:
        """Not ready to sign the partner's words yet, with an optional note; it stays open."""
        agreement_id = _id(agreement)
        sealed = None
        if note is not None:
            sealed = self._sealer.item("agreement-note", {"text": note}, ref=agreement_id)
        acted = [("agreement.declined", (agreement_id, "", sealed["id"] if sealed else ""))]
        path = f"/agreements/{agreement_id}/not-yet"
        return await self._checked(await self._calls.act(path, acted, {"note": sealed}))

    async def revise(self, agreement: AgreementRef, text: str) -> Agreement:
        """Propose other words: they replace the text, and both must sign again (your proposal
        carries your signature; your partner's completes it)."""
        agreement_id = _id(agreement)
        body = self._sealer.item("agreement", {"text": text}, item_id=new_id())
        acted = [("agreement.revised", (agreement_id, "", body["id"]))]
        path = f"/agreements/{agreement_id}/revise"
        return await self._checked(await self._calls.act(path, acted, body))

    async def _listed(self, agreement_id: str) -> Json:
        listing = await self._calls.get("/agreements")
        raw: Json | None = next((a for a in listing["agreements"] if a["id"] == agreement_id), None)
        if raw is None:
            raise TamperError("the server no longer shows this agreement")
        return raw

    async def __call__(self) -> list[Agreement]:
        """Every agreement in the notebook with its history, oldest first."""
        await self._follow()  # as for the promises
        as_of = self._log.seq
        answer = await self._calls.get("/agreements")
        await self._follow()
        if self._histories.left_out("agreement", (a["id"] for a in answer["agreements"]), as_of):
            raise TamperError("the page leaves out an agreement this device checked", "left_out")
        return [await self._checked(raw, as_of, followed=True) for raw in answer["agreements"]]
