"""This device's words sealed and signed as items, and the partner's opened and verified, each
with the key of the device that sealed it (docs/protocol.md, aad kind `item`). Pure."""

from typing import Any

from unspoken.client.api import Json
from unspoken.client.errors import TamperError
from unspoken.client.keyring import Keyring
from unspoken.client.models import Ink
from unspoken.protocol import box, devices, items, keys
from unspoken.protocol.encoding import b64decode, new_id
from unspoken.protocol.errors import ProtocolError


class Sealer:
    def __init__(
        self,
        notebook_id: str,
        keyring: Keyring,
        device: keys.DeviceKey,
        registry: devices.DeviceRegistry,
    ) -> None:
        self.notebook_id = notebook_id
        self.keyring = keyring
        self.device = device
        self.registry = registry

    def item(self, kind: str, body: dict[str, Any], item_id: str = "", ref: str = "") -> Json:
        place = items.Place(self.notebook_id, kind, item_id or new_id(), ref)
        signed = items.seal_item(self.keyring.content, self.device, place, body)
        return {"id": place.item_id, **signed.wire()}

    def note(self, kind: str, text: str | None) -> Json | None:
        return None if text is None else self.item(kind, {"text": text})

    def key_of_device(self, device_id: str, ct: str) -> bytes:
        """The trusted key of the device that sealed `ct`, if it was not revoked before."""
        found = self.registry.get(device_id)
        try:
            if found is None:
                raise ProtocolError("unknown device")
            return self.registry.key_for(found.member, device_id, box.epoch_of(b64decode(ct)))
        except ProtocolError as exc:
            raise TamperError("an item from a device that is not a partner's") from exc

    def open(self, kind: str, item: Json, ref: str = "") -> dict[str, Any]:
        place = items.Place(self.notebook_id, kind, item["id"], ref)
        key = self.key_of_device(item["device"], item["ct"])
        try:
            return items.open_item(
                self.keyring.content, key, place, item["device"], item["ct"], item["sig"]
            )
        except ProtocolError as exc:
            raise TamperError(f"a {kind} does not verify") from exc

    def devices_of(self, member_id: str) -> set[str]:
        """Every device this device has trusted for the member, revoked ones included."""
        return {d.id for d in self.registry.devices.values() if d.member == member_id}

    def draft(self, place: tuple[str, int, str, int], text: str, ink: Ink | None = None) -> Json:
        """One frame of a draft the partner may watch form: (notebook, chapter, draft, n),
        with every stroke so far when it is written by hand."""
        signed = items.seal_draft(self.keyring.content, self.device, place, text, ink=ink)
        return signed.wire()

    def open_draft(self, frame: Json) -> tuple[str, Ink | None]:
        """A partner's frame: its text and its strokes so far (None for a typed draft)."""
        try:
            key = self.key_of_device(frame["device"], frame["ct"])
            return items.open_draft_frame(self.keyring.content, key, self.notebook_id, frame)
        except (ProtocolError, KeyError) as exc:
            raise TamperError("a draft frame does not verify") from exc
