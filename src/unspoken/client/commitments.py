"""Promises and agreements from one partner's device, opened and verified here."""

from typing import Literal

from unspoken.client.api import Json
from unspoken.client.errors import TamperError
from unspoken.client.models import Agreement, Promise
from unspoken.client.rules import RulesMixin
from unspoken.protocol import chain
from unspoken.protocol.encoding import b64decode, b64encode, new_id
from unspoken.protocol.records import PROMISE_MARKED

Mark = Literal["kept", "broken", "released"]
PromiseRef = Promise | str
AgreementRef = Agreement | str


def _id(ref: Promise | Agreement | str) -> str:
    return ref if isinstance(ref, str) else ref.id


class CommitmentsMixin(RulesMixin):
    # --- promises ------------------------------------------------------------------------

    def _promise(self, raw: Json) -> Promise:
        text = self._open("promise", raw["text"])["text"]
        if raw["text"]["id"] != raw["id"] or raw["text"]["device"] not in self._devices_of(
            raw["by"]
        ):
            raise TamperError("a promise's text was not sealed by the partner who made it")
        history = tuple(raw.get("history") or ())
        notes = tuple(
            str(self._open("promise-note", r["note"], ref=raw["id"])["text"])
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

    def _devices_of(self, member_id: str) -> set[str]:
        """Every device this device has trusted for the member, revoked ones included."""
        return {d.id for d in self._registry.devices.values() if d.member == member_id}

    async def promise(self, text: str) -> Promise:
        """Promise your partner something; they acknowledge it, and later mark it."""
        promise_id = new_id()
        body = self._item("promise", {"text": text}, item_id=promise_id)
        return self._promise(await self._post("/promises", body))

    async def acknowledge(self, promise: PromiseRef) -> Promise:
        return self._promise(await self._post(f"/promises/{_id(promise)}/acknowledge"))

    async def withdraw(self, promise: PromiseRef) -> Promise:
        """Only before your partner has acknowledged it."""
        return self._promise(await self._post(f"/promises/{_id(promise)}/withdraw"))

    async def mark_promise(
        self, promise: PromiseRef, outcome: Mark, note: str | None = None
    ) -> Promise:
        """Kept, broken or released, by the one it was made to."""
        promise_id = _id(promise)
        sealed = None
        if note is not None:
            sealed = self._item("promise-note", {"text": note}, ref=promise_id)
        body = {"outcome": outcome, "note": sealed}
        return self._promise(await self._post(f"/promises/{promise_id}/mark", body))

    async def promises(self) -> list[Promise]:
        """Every promise in the notebook with its history, oldest first."""
        _, answer = await self._api.call("GET", f"/v1/notebooks/{self.id}/promises")
        return [self._promise(raw) for raw in answer["promises"]]

    # --- agreements ----------------------------------------------------------------------

    def _agreement(self, raw: Json) -> Agreement:
        text = raw["text"]
        opened = self._open("agreement", text)["text"]
        additional = chain.item_aad(self.id, "agreement", text["id"], "", text["device"])
        verified = []
        for signature in raw["signatures"]:
            signer = self._registry.get(signature["device"])
            good = (
                signer is not None
                and signer.member == signature["member"]
                and chain.verify_signature(
                    signer.key, additional, b64decode(text["ct"]), b64decode(signature["sig"])
                )
            )
            if good:
                verified.append(signature["member"])
        signers = tuple(dict.fromkeys(verified))
        agreed = len(signers) == 2 and self.member_id in signers
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

    async def agree(self, what: str | Agreement) -> Agreement:
        """agree(text) proposes and signs; agree(agreement) co-signs exactly the same message."""
        if isinstance(what, str):
            body = self._item("agreement", {"text": what})
            return self._agreement(await self._post("/agreements", body))
        _, listing = await self._api.call("GET", f"/v1/notebooks/{self.id}/agreements")
        raw = next((a for a in listing["agreements"] if a["id"] == what.id), None)
        if raw is None:
            raise TamperError("the server no longer shows this agreement")
        self._agreement(raw)  # what we co-sign must open and verify first
        text = raw["text"]
        additional = chain.item_aad(self.id, "agreement", text["id"], "", text["device"])
        sig = self._device.sign(chain.signed_message(additional, b64decode(text["ct"])))
        answer = await self._post(f"/agreements/{what.id}/sign", {"sig": b64encode(sig)})
        return self._agreement(answer)

    async def agreements(self) -> list[Agreement]:
        _, answer = await self._api.call("GET", f"/v1/notebooks/{self.id}/agreements")
        return [self._agreement(raw) for raw in answer["agreements"]]
