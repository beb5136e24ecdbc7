"""The notebook's rules from one partner's device: the pen, time and space, promises,
agreements, chapters and goodbye. Every text is sealed and signed here (aad kind `item`)."""

from typing import Any, Literal

from unspoken.client.api import Api, Json
from unspoken.client.errors import TamperError
from unspoken.client.models import Chapter, Draft, Member, Pause
from unspoken.client.templates import TEMPLATES
from unspoken.protocol import box, devices, items, keys
from unspoken.protocol.encoding import b64decode, new_id
from unspoken.protocol.errors import ProtocolError

Mark = Literal["kept", "broken", "released"]


class RulesMixin:
    """Needs what Notebook keeps: the api, keys, pinned partner keys and the latest view."""

    _api: Api
    id: str
    member_id: str
    chapter: int
    members: dict[str, Member]
    _ck: dict[int, bytes]
    _device: keys.DeviceKey
    _registry: devices.DeviceRegistry
    _view: Json
    _draft: tuple[str, int] | None

    async def _update(self, response: tuple[int, Json]) -> None: ...

    # --- sealing and opening -------------------------------------------------------------

    def _item(self, kind: str, body: dict[str, Any], item_id: str = "", ref: str = "") -> Json:
        place = items.Place(self.id, kind, item_id or new_id(), ref)
        signed = items.seal_item(self._ck, self._device, place, body)
        return {"id": place.item_id, **signed.wire()}

    def _note(self, kind: str, text: str | None) -> Json | None:
        return None if text is None else self._item(kind, {"text": text})

    def _key_of_device(self, device_id: str, ct: str) -> bytes:
        """The trusted key of the device that sealed `ct`, if it was not revoked before."""
        found = self._registry.get(device_id)
        try:
            if found is None:
                raise ProtocolError("unknown device")
            return self._registry.key_for(found.member, device_id, box.epoch_of(b64decode(ct)))
        except ProtocolError as exc:
            raise TamperError("an item from a device that is not a partner's") from exc

    def _open(self, kind: str, item: Json, ref: str = "") -> dict[str, Any]:
        place = items.Place(self.id, kind, item["id"], ref)
        key = self._key_of_device(item["device"], item["ct"])
        try:
            return items.open_item(self._ck, key, place, item["device"], item["ct"], item["sig"])
        except ProtocolError as exc:
            raise TamperError(f"a {kind} does not verify") from exc

    def _name(self, member_id: str) -> str:
        member = self.members.get(member_id)
        return (member.name if member else None) or ""

    async def _post(self, path: str, body: Json | None = None) -> Json:
        return (await self._api.call("POST", f"/v1/notebooks/{self.id}{path}", body))[1]

    async def _post_view(self, path: str, body: Json | None = None) -> None:
        await self._update(await self._api.call("POST", f"/v1/notebooks/{self.id}{path}", body))

    # --- the pen -------------------------------------------------------------------------

    async def ask_for_pen(self) -> None:
        """A gentle knock; at most once in ten minutes (UnspokenError 429 otherwise)."""
        await self._post_view("/pen/ask")

    async def set_mode(self, mode: Literal["turns", "open"]) -> None:
        await self._post_view("/mode", {"mode": mode})

    @property
    def mode(self) -> str:
        return str(self._view.get("mode", "turns"))

    async def send_draft(self, text: str) -> None:
        """Let the partner watch the words form: one encrypted frame of the whole draft."""
        draft_id, n = self._draft or (new_id(), -1)
        self._draft = (draft_id, n + 1)
        signed = items.seal_draft(
            self._ck, self._device, (self.id, self.chapter, draft_id, n + 1), text
        )
        body = {"chapter": self.chapter, "draft": draft_id, "n": n + 1, **signed.wire()}
        await self._post("/drafts", body)

    def _open_draft(self, frame: Json) -> Draft:
        try:
            key = self._key_of_device(frame["device"], frame["ct"])
            text = items.open_draft(self._ck, key, self.id, frame)
        except (ProtocolError, KeyError) as exc:
            raise TamperError("a draft frame does not verify") from exc
        member = frame["member"]
        return Draft(member, self._name(member), frame["chapter"], frame["draft"], frame["n"], text)

    # --- time and space ------------------------------------------------------------------

    @property
    def pause_state(self) -> Pause | None:
        """The pause in force as the server last said (None when nobody asked for time)."""
        raw = self._view.get("pause")
        return None if raw is None else Pause(raw["by"], raw["since"], raw["until"], raw["here"])

    async def pause(self, minutes: int, note: str | None = None) -> Pause:
        """ "I need time": 20 minutes to 24 hours; calling it again renews your own pause."""
        await self._post_view(
            "/pause", {"minutes": minutes, "note": self._note("pause-note", note)}
        )
        paused = self.pause_state
        assert paused is not None  # noqa: S101 — the server just started it
        return paused

    async def be_here(self, note: str | None = None) -> None:
        """ "I'll be here": once per pause, by the partner who did not ask for time."""
        await self._post_view("/pause/here", {"note": self._note("here-note", note)})

    async def ready(self) -> None:
        """ "I'm ready to talk": ends your pause now, and tells your partner at once."""
        await self._post_view("/pause/ready")

    def open_note(self, kind: Literal["pause-note", "here-note"], record: Json) -> str | None:
        """The text of a pause.started/renewed or pause.here record's note, verified."""
        note = record.get("note")
        return None if note is None else str(self._open(kind, note)["text"])

    # --- chapters ------------------------------------------------------------------------

    async def close_chapter(self) -> None:
        """ "He closed the notebook gently": the open chapter becomes read-only."""
        await self._post_view(f"/chapters/{self.chapter}/close")

    async def new_chapter(
        self,
        title: str,
        template: str | None = None,
        mirror: bool = False,
        mode: Literal["turns", "open"] = "turns",
    ) -> Chapter:
        """Start the next chapter (closing the open one); title and template stay sealed."""
        if template is not None and template not in TEMPLATES:
            raise ValueError(f"unknown template {template!r}; known: {sorted(TEMPLATES)}")
        n = self.chapter + 1
        meta = self._item(
            "chapter", {"title": title, "template": template, "mirror": mirror}, ref=str(n)
        )
        body = {"n": n, "mode": mode, "mirror": mirror, "meta": meta}
        await self._update(await self._api.call("POST", f"/v1/notebooks/{self.id}/chapters", body))
        return self.chapters()[-1]

    def chapters(self) -> list[Chapter]:
        """The chapters as the server last said, titles opened and checked here."""
        return [self._chapter(raw) for raw in self._view.get("chapters", [])]

    def _chapter(self, raw: Json) -> Chapter:
        title = template = None
        if raw.get("meta") is not None:
            meta = self._open("chapter", raw["meta"], ref=str(raw["n"]))
            if meta["mirror"] != raw["mirror"]:
                raise TamperError("the server shows another mirror choice than the chapter's")
            title, template = meta["title"], meta.get("template")
        return Chapter(
            raw["n"],
            raw["state"],
            raw["mode"],
            raw["mirror"],
            title,
            template,
            raw["opened_at"],
            raw.get("closed_at"),
        )

    async def answer_mirror(self, answer: Literal["got-it", "more"]) -> None:
        """The writer's answer to the partner's restatement: "you got it" or "there's more"."""
        await self._post_view("/mirror", {"answer": answer})

    # --- goodbye -------------------------------------------------------------------------

    async def leave(self) -> Json:
        """Leave for good; the partner keeps read access until the notebook is erased.

        The browser asks twice before calling this; the SDK trusts its caller.
        """
        return await self._post("/leave")
