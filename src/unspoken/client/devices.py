"""A partner's several devices, from one of them: linking a new device, revoking one, and the
key epochs that follow (docs/protocol.md, "Devices" and "Key epochs")."""

import asyncio
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from unspoken.client.api import Api, Json
from unspoken.client.errors import TamperError, UnspokenError
from unspoken.client.models import Member
from unspoken.protocol import devices as trust
from unspoken.protocol import exchange, keys, safety
from unspoken.protocol.encoding import b64decode, b64encode, new_id
from unspoken.protocol.errors import ProtocolError

POLL_SECONDS = 0.2


class DevicesMixin:
    """Needs what Notebook keeps: the api, this device's keys, the registry and the view."""

    _api: Api
    id: str
    member_id: str
    _device: keys.DeviceKey
    _exchange: exchange.ExchangeKey
    _registry: trust.DeviceRegistry
    _anchor_ids: set[str]
    _keys: dict[int, bytes]
    _ck: dict[int, bytes]
    _view: Json
    _link: tuple[str, bytes] | None
    _invite: tuple[str, bytes] | None
    members: dict[str, Member]

    async def refresh(self) -> None: ...

    async def _update(self, response: tuple[int, Json]) -> None: ...

    async def _catch_up(self, until: int | None = None) -> None: ...

    # --- pairing and the phrase ----------------------------------------------------------

    async def decline_partner(self) -> int:
        """Turn the waiting joiner away; they opened the bundle, so a new key epoch begins
        before any new invite. Returns the new epoch."""
        await self.refresh()
        pending = [m for m in self.members.values() if m.state == "pending"]
        if not pending:
            raise RuntimeError("nobody is waiting to be let in")
        path = f"/v1/notebooks/{self.id}/members/{pending[0].id}/decline"
        await self._update(await self._api.call("POST", path))
        self._invite = None
        return await self.new_epoch()

    def _anchor(self, member_id: str, key: bytes) -> None:
        """Pin a member's first device (at pairing, or from a device link's package)."""
        self._anchor_ids.add(self._registry.anchor(member_id, key).id)

    @property
    def safety_phrase(self) -> str:
        """Eight words both partners see; comparing them once in person proves no middleman.
        They cover every device of both: a device added or revoked changes them."""
        active = self._registry.active()
        if len({d.member for d in active}) < 2:
            raise RuntimeError("the safety phrase needs both partners")
        return safety.safety_phrase(self.id, *(d.key for d in active))

    @property
    def devices(self) -> dict[str, list[str]]:
        """member id -> the ids of the devices this device trusts for them now."""
        out: dict[str, list[str]] = {}
        for device in self._registry.active():
            out.setdefault(device.member, []).append(device.id)
        return out

    # --- keys ----------------------------------------------------------------------------

    def _set_keys(self, notebook_keys: dict[int, bytes]) -> None:
        """Every epoch's notebook key this device holds, and the content keys from them."""
        self._keys = dict(notebook_keys)
        self._ck = {n: keys.content_key(k, self.id) for n, k in self._keys.items()}

    @property
    def epoch(self) -> int:
        """The newest key epoch this device holds; what it seals in."""
        return max(self._keys)

    async def _sync_keys(self) -> None:
        """Fetch and open the epoch keys wrapped for this device that it does not hold yet."""
        _, answer = await self._api.call("GET", f"/v1/notebooks/{self.id}/keys")
        found = dict(self._keys)
        for wrap in answer["keys"]:
            if wrap["epoch"] in found:
                continue
            by = self._registry.get(wrap["by"])
            if by is None:
                raise TamperError("an epoch key from a device that is not a partner's")
            place = (self.id, wrap["epoch"], self._device.id)
            try:
                found[wrap["epoch"]] = exchange.unwrap_epoch_key(
                    self._exchange, place, b64decode(wrap["wrap"]), b64decode(wrap["sig"]), by.key
                )
            except ProtocolError as exc:
                raise TamperError("an epoch key does not open or verify") from exc
        self._set_keys(found)

    def _apply_device(self, record: Json) -> None:
        try:
            self._registry.apply(record)
        except ProtocolError as exc:
            raise TamperError(f"record {record['seq']}: {exc}") from exc

    # --- who gets a new epoch's key ------------------------------------------------------

    def _exchange_keys(self, without: str = "") -> dict[str, bytes]:
        """device id -> exchange key of every listed device of present members, each trusted
        here and vouching for its own exchange key."""
        out: dict[str, bytes] = {}
        for member in self._view["members"]:
            if member["state"] != "active" or member.get("left_at"):
                continue
            for listed in member["devices"]:
                if listed["id"] == without:
                    continue
                out[listed["id"]] = self._verified_exchange_key(member["id"], listed)
        return out

    def _verified_exchange_key(self, member_id: str, listed: Json) -> bytes:
        trusted = self._registry.get(listed["id"])
        if trusted is None or trusted.member != member_id or trusted.revoked_epoch is not None:
            raise TamperError("the server lists a device that its member never added")
        kx = listed.get("exchange_key")
        if kx is None:
            raise UnspokenError(409, "a device has not published its exchange key yet")
        key, sig = b64decode(kx["key"]), b64decode(kx["sig"])
        if not exchange.verify_exchange_key(trusted.key, self.id, key, sig):
            raise TamperError("an exchange key its device did not sign")
        return key

    def _epoch_body(self, recipients: dict[str, bytes]) -> tuple[Json, int, bytes]:
        epoch, key = self.epoch + 1, secrets.token_bytes(32)
        wraps = []
        for device_id, exchange_key in sorted(recipients.items()):
            made = exchange.wrap_epoch_key(
                self._device, (self.id, epoch, device_id), exchange_key, key
            )
            wraps.append(
                {"device": device_id, "wrap": b64encode(made.wrap), "sig": b64encode(made.sig)}
            )
        return {"n": epoch, "wraps": wraps}, epoch, key

    async def new_epoch(self) -> int:
        """Begin the next key epoch: a fresh notebook key for every remaining device."""
        await self.refresh()
        await self._catch_up()
        body, epoch, key = self._epoch_body(self._exchange_keys())
        await self._api.call("POST", f"/v1/notebooks/{self.id}/epochs", body)
        self._set_keys({**self._keys, epoch: key})
        await self.refresh()
        await self._catch_up()
        return epoch

    async def revoke_device(self, device_id: str) -> int:
        """Revoke another of your devices: its token dies now, and a new key epoch begins whose
        key it never sees. Returns the new epoch."""
        await self.refresh()
        await self._catch_up()
        body, epoch, key = self._epoch_body(self._exchange_keys(without=device_id))
        sig = trust.sign_revocation(self._device, self.id, self.member_id, device_id)
        path = f"/v1/notebooks/{self.id}/devices/{device_id}/revoke"
        await self._api.call("POST", path, {"sig": b64encode(sig), "epoch": body})
        self._set_keys({**self._keys, epoch: key})
        await self.refresh()
        await self._catch_up()
        return epoch

    # --- linking a new device ------------------------------------------------------------

    async def link_device(self) -> str:
        """A one-time link (30 minutes) that a new device of yours opens with add_device."""
        secret, link_id = secrets.token_bytes(32), new_id()
        claim_hash = trust.LinkKeys.from_secret(secret, link_id).claim_hash
        body = {"id": link_id, "claim_hash": b64encode(claim_hash)}
        await self._api.call("POST", f"/v1/notebooks/{self.id}/links", body)
        self._link = (link_id, secret)
        return f"{self._api.base_url}/device/{self.id}/{link_id}#{b64encode(secret)}"

    async def approve_device(self, timeout: float = 30.0) -> str:
        """Wait for the new device to claim the link, check that its keys come from whoever
        opened the link (or turn it away), and let it in. Returns its device id."""
        if self._link is None:
            raise RuntimeError("make a device link first")
        link_id, secret = self._link
        claimed = await self._claimed(link_id, timeout)
        link = trust.LinkKeys.from_secret(secret, link_id)
        key, kx = b64decode(claimed["key"]), b64decode(claimed["exchange_key"]["key"])
        mac = b64decode(claimed["key_mac"] or "")
        good_kx = exchange.verify_exchange_key(
            key, self.id, kx, b64decode(claimed["exchange_key"]["sig"])
        )
        if not (link.verify_device_mac(link_id, key, kx, mac) and good_kx):
            await self._api.call("POST", f"/v1/notebooks/{self.id}/links/{link_id}/decline")
            raise TamperError("the new device's keys were not sent by whoever opened the link")
        anchors = {d.member: d.key for d in self._anchors()}
        package = trust.Package(self.id, self.member_id, anchors, self._keys)
        body = {
            "cert": b64encode(trust.certify(self._device, self.id, self.member_id, key)),
            "package": b64encode(package.seal(link.wrap, link_id)),
            "epoch": self.epoch,
        }
        await self._api.call("POST", f"/v1/notebooks/{self.id}/links/{link_id}/approve", body)
        self._link = None
        await self._catch_up()
        return str(claimed["id"])

    def _anchors(self) -> list[trust.TrustedDevice]:
        """Each member's first device, as this device pinned it."""
        return [d for d in self._registry.devices.values() if d.id in self._anchor_ids]

    async def _claimed(self, link_id: str, timeout: float) -> Json:
        deadline = time.monotonic() + timeout
        path = f"/v1/notebooks/{self.id}/links/{link_id}"
        while True:
            _, link = await self._api.call("GET", path)
            if link["state"] == "claimed" and link["device"] is not None:
                return dict(link["device"])
            if link["state"] != "open" or time.monotonic() > deadline:
                raise UnspokenError(409, f"no new device claimed the link ({link['state']})")
            await asyncio.sleep(POLL_SECONDS)


async def wait_for_package(api: Api, notebook_id: str, link_id: str, timeout: float) -> bytes:
    """The new device's side: wait until its other device let it in; the sealed package."""
    deadline = time.monotonic() + timeout
    path = f"/v1/notebooks/{notebook_id}/links/{link_id}"
    while True:
        _, link = await api.call("GET", path)
        if link["package"]:
            return b64decode(link["package"])
        if link["state"] != "claimed" or time.monotonic() > deadline:
            raise UnspokenError(409, f"the other device did not let this one in ({link['state']})")
        await asyncio.sleep(POLL_SECONDS)


def claim_body(
    link_id: str,
    secret: bytes,
    notebook_id: str,
    device: keys.DeviceKey,
    kx: exchange.ExchangeKey,
) -> dict[str, Any]:
    link = trust.LinkKeys.from_secret(secret, link_id)
    kx_sig = exchange.sign_exchange_key(device, notebook_id, kx.public)
    return {
        "claim": b64encode(link.claim),
        "device_key": b64encode(device.public),
        "exchange_key": {"key": b64encode(kx.public), "sig": b64encode(kx_sig)},
        "key_mac": b64encode(link.device_mac(link_id, device.public, kx.public)),
    }


def parse_device_link(link: str) -> tuple[str, str, str, bytes]:
    """(server, notebook id, link id, secret) of {server}/device/{notebook}/{link}#{secret}."""
    parts = urlsplit(link)
    segments = parts.path.rstrip("/").split("/")
    if len(segments) < 3 or segments[-3] != "device" or not parts.fragment:
        raise ValueError("a device link looks like https://host/device/<notebook>/<id>#<secret>")
    server = f"{parts.scheme}://{parts.netloc}{'/'.join(segments[:-3])}"
    return server, segments[-2], segments[-1], b64decode(parts.fragment)
