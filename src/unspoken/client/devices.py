"""A partner's several devices, from one of them: linking a new device, revoking one, and the
key epochs that follow (docs/protocol.md, "Devices" and "Key epochs")."""

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from unspoken.client.api import Api, Json, NotebookCalls
from unspoken.client.errors import TamperError, UnspokenError
from unspoken.client.keyring import Keyring
from unspoken.client.roster import Roster
from unspoken.protocol import devices as trust
from unspoken.protocol import exchange, keys, safety
from unspoken.protocol.encoding import b64decode, b64encode, new_id
from unspoken.protocol.errors import ProtocolError

POLL_SECONDS = 0.2


class Devices(Mapping[str, list[str]]):
    """`nb.devices`: member id -> the ids of the devices this device trusts for them now; and
    linking a new device of yours, revoking one, and beginning a new key epoch."""

    def __init__(
        self,
        calls: NotebookCalls,
        device: keys.DeviceKey,
        exchange_key: exchange.ExchangeKey,
        keyring: Keyring,
        roster: Roster,
        view: Callable[[], Json],
        sync: Callable[[], Awaitable[None]],
        signed_from: Callable[[], int],
    ) -> None:
        self._calls = calls
        self._device = device
        self._exchange = exchange_key
        self._keyring = keyring
        self._roster = roster
        self._view = view
        self._sync = sync  # fetch the server's notebook and every record after the last
        self._signed_from = signed_from  # where this device began to require signed acts
        self._link: tuple[str, bytes] | None = None  # (link id, secret) while linking one

    @property
    def _registry(self) -> trust.DeviceRegistry:
        return self._roster.registry

    def _trusted(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for device in self._registry.active():
            out.setdefault(device.member, []).append(device.id)
        return out

    def __getitem__(self, member_id: str) -> list[str]:
        return self._trusted()[member_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._trusted())

    def __len__(self) -> int:
        return len(self._trusted())

    @property
    def safety_phrase(self) -> str:
        """Eight words both partners see; comparing them once in person proves no middleman.
        They cover every device of both: a device added or revoked changes them."""
        active = self._registry.active()
        if len({d.member for d in active}) < 2:
            raise RuntimeError("the safety phrase needs both partners")
        return safety.safety_phrase(self._keyring.notebook_id, *(d.key for d in active))

    def follow(self, record: Json) -> None:
        """A device.added, device.revoked or epoch.started record of the log, checked and
        trusted."""
        try:
            self._registry.apply(record)
        except ProtocolError as exc:
            raise TamperError(f"record {record['seq']}: {exc}") from exc

    # --- key epochs ----------------------------------------------------------------------

    async def sync_keys(self) -> None:
        """Fetch and open the epoch keys wrapped for this device that it does not hold yet."""
        answer = await self._calls.get("/keys")
        self._keyring.open_wraps(answer["keys"], self._registry, self._exchange, self._device.id)

    def _exchange_keys(self, without: str = "") -> dict[str, bytes]:
        """device id -> exchange key of every listed device of present members, each trusted
        here and vouching for its own exchange key."""
        out: dict[str, bytes] = {}
        for member in self._view()["members"]:
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
        if not exchange.verify_exchange_key(trusted.key, self._keyring.notebook_id, key, sig):
            raise TamperError("an exchange key its device did not sign")
        return key

    def _epoch_body(self, recipients: dict[str, bytes]) -> tuple[Json, int, bytes]:
        epoch, key = self._keyring.epoch + 1, secrets.token_bytes(32)
        wraps = []
        for device_id, exchange_key in sorted(recipients.items()):
            place = (self._keyring.notebook_id, epoch, device_id)
            made = exchange.wrap_epoch_key(self._device, place, exchange_key, key)
            wraps.append(
                {"device": device_id, "wrap": b64encode(made.wrap), "sig": b64encode(made.sig)}
            )
        return {"n": epoch, "wraps": wraps}, epoch, key

    async def new_epoch(self) -> int:
        """Begin the next key epoch: a fresh notebook key for every remaining device."""
        await self._sync()
        body, epoch, key = self._epoch_body(self._exchange_keys())
        await self._calls.post("/epochs", body)
        self._keyring.add({epoch: key})
        await self._sync()
        return epoch

    async def revoke(self, device_id: str) -> int:
        """Revoke another of your devices: its token dies now, and a new key epoch begins whose
        key it never sees. Returns the new epoch."""
        await self._sync()
        body, epoch, key = self._epoch_body(self._exchange_keys(without=device_id))
        notebook_id, member_id = self._keyring.notebook_id, self._roster.member_id
        sig = trust.sign_revocation_v2(self._device, notebook_id, member_id, device_id, epoch)
        await self._calls.post(
            f"/devices/{device_id}/revoke", {"sig": b64encode(sig), "epoch": body}
        )
        self._keyring.add({epoch: key})
        await self._sync()
        return epoch

    # --- linking a new device ------------------------------------------------------------

    async def link(self) -> str:
        """A one-time link (30 minutes) that a new device of yours opens with add_device."""
        secret, link_id = secrets.token_bytes(32), new_id()
        claim_hash = trust.LinkKeys.from_secret(secret, link_id).claim_hash
        await self._calls.post("/links", {"id": link_id, "claim_hash": b64encode(claim_hash)})
        self._link = (link_id, secret)
        notebook_id = self._keyring.notebook_id
        return f"{self._calls.api.base_url}/device/{notebook_id}/{link_id}#{b64encode(secret)}"

    async def approve(self, timeout: float = 30.0) -> str:
        """Wait for the new device to claim the link, check that its keys come from whoever
        opened the link (or turn it away), and let it in. Returns its device id."""
        if self._link is None:
            raise RuntimeError("make a device link first")
        link_id, secret = self._link
        claimed = await self._claimed(link_id, timeout)
        link = trust.LinkKeys.from_secret(secret, link_id)
        key, kx = b64decode(claimed["key"]), b64decode(claimed["exchange_key"]["key"])
        mac = b64decode(claimed["key_mac"] or "")
        notebook_id = self._keyring.notebook_id
        good_kx = exchange.verify_exchange_key(
            key, notebook_id, kx, b64decode(claimed["exchange_key"]["sig"])
        )
        if not (link.verify_device_mac(link_id, key, kx, mac) and good_kx):
            await self._calls.post(f"/links/{link_id}/decline")
            raise TamperError("the new device's keys were not sent by whoever opened the link")
        member_id = self._roster.member_id
        anchors = {d.member: d.key for d in self._roster.anchors()}
        package = trust.Package(
            notebook_id, member_id, anchors, self._keyring.notebook_keys, self._signed_from()
        )
        body = {
            "cert": b64encode(trust.certify(self._device, notebook_id, member_id, key)),
            "package": b64encode(package.seal(link.wrap, link_id)),
            "epoch": self._keyring.epoch,
        }
        await self._calls.post(f"/links/{link_id}/approve", body)
        self._link = None
        await self._sync()
        return str(claimed["id"])

    async def _claimed(self, link_id: str, timeout: float) -> Json:
        deadline = time.monotonic() + timeout
        while True:
            link = await self._calls.get(f"/links/{link_id}")
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
