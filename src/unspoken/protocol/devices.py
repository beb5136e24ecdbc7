"""A partner's several devices: linking a new one with a one-time secret, device certificates,
revocations, and the set of devices a client trusts (docs/protocol.md, "Devices").

Trust starts from each member's first device, pinned at pairing (the anchors). A device joins
only with a certificate from a device of the same member that is trusted at that moment, and
leaves with a signed revocation; a revoked device's boxes are accepted only from the epochs
before its revocation began a new one.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from unspoken.protocol import box, chain
from unspoken.protocol.encoding import b64decode, b64encode, lp
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.exchange import verify_exchange_key
from unspoken.protocol.keys import DeviceKey, OneTimeKeys, device_id
from unspoken.protocol.messages import parse_epoch_keys


def cert_message(notebook_id: str, member_id: str, device_key: bytes) -> bytes:
    """What a trusted device signs to vouch for a new device of the same member."""
    return lp("unspoken/v1/device-cert", notebook_id, member_id, device_key)


def revoke_message(notebook_id: str, member_id: str, revoked_device_id: str) -> bytes:
    """What a member's device signs to revoke another of that member's devices."""
    return lp("unspoken/v1/device-revoke", notebook_id, member_id, revoked_device_id)


def certify(by: DeviceKey, notebook_id: str, member_id: str, device_key: bytes) -> bytes:
    return by.sign(cert_message(notebook_id, member_id, device_key))


def sign_revocation(by: DeviceKey, notebook_id: str, member_id: str, revoked: str) -> bytes:
    return by.sign(revoke_message(notebook_id, member_id, revoked))


@dataclass(frozen=True)
class LinkKeys(OneTimeKeys):
    """What both devices derive from the one-time secret in a device link's fragment."""

    LABEL: ClassVar[str] = "link"

    def device_mac(self, link_id: str, device_key: bytes, exchange_key: bytes) -> bytes:
        """Proves both new keys come from whoever opened the link; the server cannot forge it."""
        message = lp("unspoken/v1/new-device", link_id, device_key, exchange_key)
        return hmac.new(self.mac, message, hashlib.sha256).digest()

    def verify_device_mac(
        self, link_id: str, device_key: bytes, exchange_key: bytes, mac: bytes
    ) -> bool:
        return hmac.compare_digest(self.device_mac(link_id, device_key, exchange_key), mac)


def link_aad(link_id: str) -> bytes:
    return box.aad("device-link", link_id)


@dataclass(frozen=True)
class Package:
    """What the linking device hands the new one: who it is, the two anchors, every epoch key."""

    notebook_id: str
    member_id: str
    anchors: Mapping[str, bytes]  # member id -> first device key
    keys: Mapping[int, bytes]  # epoch -> notebook key, epoch 0 included

    def seal(self, wrap: bytes, link_id: str, nonce: bytes | None = None) -> bytes:
        body = {
            "notebook_id": self.notebook_id,
            "member_id": self.member_id,
            "anchors": {m: b64encode(k) for m, k in sorted(self.anchors.items())},
            "epoch_keys": {str(n): b64encode(k) for n, k in sorted(self.keys.items())},
        }
        plain = json.dumps(body, separators=(",", ":")).encode("utf-8")
        return box.seal(wrap, plain, link_aad(link_id), nonce)

    @classmethod
    def open(cls, wrap: bytes, link_id: str, sealed: bytes) -> "Package":
        try:
            body = json.loads(box.open_box(wrap, sealed, link_aad(link_id)))
            anchors = {str(m): b64decode(k) for m, k in body["anchors"].items()}
            package = cls(
                str(body["notebook_id"]),
                str(body["member_id"]),
                anchors,
                parse_epoch_keys(body["epoch_keys"], first=0),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ProtocolError("the device link's package is incomplete") from exc
        if 0 not in package.keys or any(len(k) != 32 for k in anchors.values()):
            raise ProtocolError("the device link's package holds the wrong keys")
        return package


@dataclass
class TrustedDevice:
    id: str
    member: str
    key: bytes
    revoked_epoch: int | None = None  # boxes of this epoch or later are not this device's


@dataclass
class DeviceRegistry:
    """The devices this client trusts in one notebook, built from pinned anchors and the log."""

    notebook_id: str
    devices: dict[str, TrustedDevice] = field(default_factory=dict)

    def anchor(self, member_id: str, key: bytes) -> TrustedDevice:
        """Pin a member's first device (from pairing or a device link's package)."""
        found = self.devices.get(device_id(key))
        if found is not None and found.member != member_id:
            raise ProtocolError("one device cannot belong to two members")
        return self.devices.setdefault(
            device_id(key), TrustedDevice(device_id(key), member_id, key)
        )

    def get(self, device: str) -> TrustedDevice | None:
        return self.devices.get(device)

    def active(self, member_id: str | None = None) -> list[TrustedDevice]:
        return [
            d
            for d in self.devices.values()
            if d.revoked_epoch is None and member_id in (None, d.member)
        ]

    def key_for(self, member_id: str, device: str, epoch: int) -> bytes:
        """The key that must have signed a box of `epoch` from `device` of `member_id`."""
        found = self.devices.get(device)
        if found is None or found.member != member_id:
            raise ProtocolError("a box from a device that is not a partner's")
        if found.revoked_epoch is not None and epoch >= found.revoked_epoch:
            raise ProtocolError("a box from a device revoked before it was sealed")
        return found.key

    def _voucher(self, member_id: str, by: str) -> TrustedDevice:
        voucher = self.devices.get(by)
        if voucher is None or voucher.member != member_id or voucher.revoked_epoch is not None:
            raise ProtocolError("a device change signed by a device we do not trust")
        return voucher

    def apply(self, record: Mapping[str, Any]) -> TrustedDevice | None:
        """Follow a `device.added` or `device.revoked` record, or refuse it; other kinds pass."""
        try:
            if record["kind"] == "device.added":
                return self._added(record)
            if record["kind"] == "device.revoked":
                return self._revoked(record)
        except ProtocolError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise ProtocolError(f"a malformed {record.get('kind')} record") from exc
        return None

    def _added(self, record: Mapping[str, Any]) -> TrustedDevice:
        member, key = str(record["member"]), b64decode(record["key"])
        voucher = self._voucher(member, str(record["by"]))
        if not chain.verify_raw(
            voucher.key, cert_message(self.notebook_id, member, key), b64decode(record["cert"])
        ):
            raise ProtocolError("a new device's certificate does not verify")
        if device_id(key) != record["device"]:
            raise ProtocolError("a new device's id does not match its key")
        exchange = record["exchange_key"]
        if not verify_exchange_key(
            key, self.notebook_id, b64decode(exchange["key"]), b64decode(exchange["sig"])
        ):
            raise ProtocolError("a new device's exchange key is not signed by it")
        return self.anchor(member, key)

    def _revoked(self, record: Mapping[str, Any]) -> TrustedDevice:
        member, target = str(record["member"]), str(record["device"])
        voucher = self._voucher(member, str(record["by"]))
        revoked = self.devices.get(target)
        if revoked is None or revoked.member != member or revoked is voucher:
            raise ProtocolError("a revocation of a device that is not the member's")
        message = revoke_message(self.notebook_id, member, target)
        if not chain.verify_raw(voucher.key, message, b64decode(record["sig"])):
            raise ProtocolError("a revocation that its member's device did not sign")
        epoch = record["epoch"]
        if not isinstance(epoch, int) or epoch < 1:
            raise ProtocolError("a revocation names the epoch it began")
        if revoked.revoked_epoch is None:
            revoked.revoked_epoch = epoch
        return revoked
