"""The members as the server's notebook lists them, each profile opened and verified here
against the device its member added; the creator's key checked against the invite's. Pure."""

from copy import deepcopy
from typing import Any

from unspoken.client.api import Json
from unspoken.client.errors import TamperError
from unspoken.client.keyring import Keyring
from unspoken.client.models import Member
from unspoken.protocol import devices, messages
from unspoken.protocol.encoding import b64decode
from unspoken.protocol.errors import ProtocolError


class Roster:
    """The members as this device knows them, and the devices it pins for them."""

    def __init__(
        self,
        notebook_id: str,
        member_id: str,
        keyring: Keyring,
        registry: devices.DeviceRegistry,
        anchor_ids: set[str],
        creator_key: bytes | None = None,
    ) -> None:
        self.notebook_id = notebook_id
        self.member_id = member_id  # this device's member
        self.keyring = keyring
        self.registry = registry
        self.anchor_ids = anchor_ids  # each member's first device, pinned here
        self.creator_key = creator_key  # what the invite bundle says, joiner only

    def anchor(self, member_id: str, key: bytes) -> None:
        """Pin a member's first device (at pairing, or from a device link's package)."""
        self.anchor_ids.add(self.registry.anchor(member_id, key).id)

    def anchors(self) -> list[devices.TrustedDevice]:
        return [d for d in self.registry.devices.values() if d.id in self.anchor_ids]

    def read(self, view: Json) -> dict[str, Member]:
        return {m["id"]: self.member(m) for m in view["members"]}

    def member(self, raw: Json) -> Member:
        device = raw["devices"][0]
        key = b64decode(device["key"])
        anchored = any(self.registry.devices[d].member == raw["id"] for d in self.anchor_ids)
        if raw["role"] == "creator" and self.creator_key is not None and not anchored:
            if key != self.creator_key:
                raise TamperError("the server shows another key for the creator than the invite")
            self.anchor(raw["id"], key)
            anchored = True
        name, hand = self._profile(raw, key, anchored)
        return Member(raw["id"], raw["role"], raw["state"], device["id"], key, name, hand)

    def _profile(self, raw: Json, key: bytes, anchored: bool) -> tuple[str | None, dict[str, Any]]:
        profile = raw.get("profile")
        signer = self.registry.get(profile["device"]) if profile else None
        if signer is not None and signer.member != raw["id"]:
            raise TamperError("a profile signed by another member's device")
        if profile and anchored and signer is None:
            raise TamperError("a profile signed by a device its member never added")
        if not profile or (signer is None and raw["state"] != "pending"):
            return None, {}
        try:
            opened = messages.open_profile(
                self.keyring.content,
                signer.key if signer else key,
                self.notebook_id,
                profile["device"],
                profile["ct"],
                profile["sig"],
            )
        except ProtocolError as exc:
            raise TamperError("a profile does not verify with its member's key") from exc
        return opened["name"], opened["hand"]

    def adopt(self, other: "Roster") -> None:
        """Trust what `other` trusts (a second session of the same device)."""
        self.registry.devices.clear()
        self.registry.devices.update(deepcopy(other.registry.devices))
        self.registry.began.clear()
        self.registry.began.update(other.registry.began)
        self.anchor_ids.clear()
        self.anchor_ids.update(other.anchor_ids)
        self.creator_key = other.creator_key
