"""A partner's several devices: linking a new one with a one-time secret, device certificates,
revocations, and the set of devices a client trusts (docs/protocol.md, "Devices").

Trust starts from each member's first device, pinned at pairing (the anchors). A device joins
only with a certificate from a device of the same member that is trusted at that moment, and
leaves with a signed revocation; a revoked device's boxes are accepted only from the epochs
before its revocation began a new one. A new epoch's key is taken only from the device that
began that epoch, trusted when it did (`DeviceRegistry.wrapper`).
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
    """v1: what a member's device signed to revoke another; the epoch was the server's word."""
    return lp("unspoken/v1/device-revoke", notebook_id, member_id, revoked_device_id)


def revoke_message_v2(
    notebook_id: str, member_id: str, revoked_device_id: str, epoch: int
) -> bytes:
    """v2: the revocation signs the epoch it takes effect at, so a server cannot move it."""
    return lp("unspoken/v2/device-revoke", notebook_id, member_id, revoked_device_id, str(epoch))


def certify(by: DeviceKey, notebook_id: str, member_id: str, device_key: bytes) -> bytes:
    return by.sign(cert_message(notebook_id, member_id, device_key))


def sign_revocation(by: DeviceKey, notebook_id: str, member_id: str, revoked: str) -> bytes:
    """v1, kept for the vectors and for reading old notebooks; clients now sign v2."""
    return by.sign(revoke_message(notebook_id, member_id, revoked))


def sign_revocation_v2(
    by: DeviceKey, notebook_id: str, member_id: str, revoked: str, epoch: int
) -> bytes:
    return by.sign(revoke_message_v2(notebook_id, member_id, revoked, epoch))


def revocation_signs_epoch(
    key: bytes, notebook_id: str, member_id: str, revoked: str, epoch: int, sig: bytes
) -> bool | None:
    """True if `sig` is a v2 revocation of `epoch`, False if a v1 one (no epoch), None if
    neither. A signature verifies under one message only, so a server cannot pass a v2
    revocation off as v1 with its epoch moved."""
    if chain.verify_raw(key, revoke_message_v2(notebook_id, member_id, revoked, epoch), sig):
        return True
    if chain.verify_raw(key, revoke_message(notebook_id, member_id, revoked), sig):
        return False
    return None


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
    # Where the linking device began to require signed acts (protocol.md, "v1 notebooks"), so
    # the new device refuses an unsigned act from the same point; None if it never pinned one.
    signed_from: int | None = None

    def seal(self, wrap: bytes, link_id: str, nonce: bytes | None = None) -> bytes:
        body: dict[str, object] = {
            "notebook_id": self.notebook_id,
            "member_id": self.member_id,
            "anchors": {m: b64encode(k) for m, k in sorted(self.anchors.items())},
            "epoch_keys": {str(n): b64encode(k) for n, k in sorted(self.keys.items())},
        }
        if self.signed_from is not None:
            body["signed_from"] = self.signed_from
        plain = json.dumps(body, separators=(",", ":")).encode("utf-8")
        return box.seal(wrap, plain, link_aad(link_id), nonce)

    @classmethod
    def open(cls, wrap: bytes, link_id: str, sealed: bytes) -> "Package":
        try:
            body = json.loads(box.open_box(wrap, sealed, link_aad(link_id)))
            anchors = {str(m): b64decode(k) for m, k in body["anchors"].items()}
            signed_from = body.get("signed_from")
            package = cls(
                str(body["notebook_id"]),
                str(body["member_id"]),
                anchors,
                parse_epoch_keys(body["epoch_keys"], first=0),
                signed_from,
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ProtocolError("the device link's package is incomplete") from exc
        if signed_from is not None and (type(signed_from) is not int or signed_from < 0):
            raise ProtocolError("the device link's package names no place where signing began")
        if 0 not in package.keys or any(len(k) != 32 for k in anchors.values()):
            raise ProtocolError("the device link's package holds the wrong keys")
        return package


@dataclass
class TrustedDevice:
    id: str
    member: str
    key: bytes
    revoked_epoch: int | None = None  # boxes of this epoch or later are not this device's
    # Whether the revocation signed `revoked_epoch` (v2); False for a v1 revocation, whose
    # epoch is the server's word. None while not revoked.
    revoked_epoch_signed: bool | None = None
    revoked_seq: int | None = None  # the log position of its revocation (None: unknown, or not)


@dataclass
class DeviceRegistry:
    """The devices this client trusts in one notebook, built from pinned anchors and the log."""

    notebook_id: str
    devices: dict[str, TrustedDevice] = field(default_factory=dict)
    began: dict[int, str] = field(default_factory=dict)  # epoch -> the device that began it

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

    def actor(self, member_id: str, device: str, seq: int) -> bytes:
        """The key that must have signed the act at log position `seq` of `member_id` from
        `device`: one of that member's devices, not revoked before it."""
        found = self.devices.get(device)
        if found is None or found.member != member_id:
            raise ProtocolError("an act from a device that is not the partner's")
        if found.revoked_epoch is not None and (
            found.revoked_seq is None or seq > found.revoked_seq
        ):
            raise ProtocolError("an act from a revoked device")
        return found.key

    def wrapper(self, epoch: int, by: str) -> bytes:
        """The key that must have signed a wrap of `epoch`'s key: the device that began the
        epoch (as the log announced it), not revoked at or before it. Anything else — a wrap
        for an epoch nobody began, or from another device — is refused."""
        if epoch not in self.began:
            raise ProtocolError("an epoch key for an epoch no trusted device began")
        if self.began[epoch] != by:
            raise ProtocolError("an epoch key from a device that did not begin its epoch")
        found = self.devices.get(by)
        if found is None:
            raise ProtocolError("an epoch key from a device that is not a partner's")
        if found.revoked_epoch is not None and epoch >= found.revoked_epoch:
            raise ProtocolError("an epoch key from a revoked device")
        return found.key

    def _announce(self, epoch: object, device: TrustedDevice) -> None:
        """An epoch begun by `device`, trusted now; the same epoch cannot have two beginners."""
        if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 1:
            raise ProtocolError("a new epoch is a number from 1")
        if self.began.setdefault(epoch, device.id) != device.id:
            raise ProtocolError("two devices began the same epoch")

    def _voucher(self, member_id: str, by: str) -> TrustedDevice:
        voucher = self.devices.get(by)
        if voucher is None or voucher.member != member_id or voucher.revoked_epoch is not None:
            raise ProtocolError("a device change signed by a device we do not trust")
        return voucher

    def apply(self, record: Mapping[str, Any]) -> TrustedDevice | None:
        """Follow a `device.added`, `device.revoked` or `epoch.started` record, or refuse it;
        other kinds pass."""
        try:
            if record["kind"] == "device.added":
                return self._added(record)
            if record["kind"] == "device.revoked":
                return self._revoked(record)
            if record["kind"] == "epoch.started":
                return self._started(record)
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
        epoch = record["epoch"]
        if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 1:
            raise ProtocolError("a revocation names the epoch it began")
        sig = b64decode(record["sig"])
        signed = revocation_signs_epoch(voucher.key, self.notebook_id, member, target, epoch, sig)
        if signed is None:
            raise ProtocolError("a revocation that its member's device did not sign")
        self._announce(epoch, voucher)
        if revoked.revoked_epoch is None:
            revoked.revoked_epoch, revoked.revoked_epoch_signed = epoch, signed
            seq = record.get("seq")
            revoked.revoked_seq = (
                seq if isinstance(seq, int) and not isinstance(seq, bool) else None
            )
        return revoked

    def _started(self, record: Mapping[str, Any]) -> TrustedDevice:
        """The log says a device began an epoch: it must be one trusted now, of that member."""
        device = self._voucher(str(record["member"]), str(record["device"]))
        self._announce(record["epoch"], device)
        return device
