"""How a device comes to hold a notebook: creating one, joining by invite link, or being added
as another device of a partner. The secrets of links live in their fragments, which never
reach the server (docs/protocol.md, "Pairing" and "Devices")."""

import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from unspoken.client.api import opened
from unspoken.client.devices import claim_body, parse_device_link, wait_for_package
from unspoken.client.errors import TamperError
from unspoken.client.models import DEFAULT_HAND
from unspoken.protocol import devices, exchange, keys, messages
from unspoken.protocol.encoding import b64decode, b64encode, new_id
from unspoken.protocol.errors import ProtocolError

if TYPE_CHECKING:
    from unspoken.client.notebook import Notebook


async def create(
    cls: type["Notebook"], server: str, name: str, hand: dict[str, Any] | None
) -> "Notebook":
    """Make keys here, create the notebook on the server, and open a first invite."""
    device, notebook_key = keys.DeviceKey.generate(), secrets.token_bytes(32)
    notebook_id = new_id()
    profile = messages.seal_profile(
        keys.content_key(notebook_key, notebook_id),
        device,
        notebook_id,
        {"name": name, "hand": hand or DEFAULT_HAND},
    )
    kx = exchange.ExchangeKey.generate()
    body = {
        "id": notebook_id,
        "device_key": b64encode(device.public),
        "profile": profile.wire(),
        "exchange_key": exchange_body(device, notebook_id, kx),
    }
    async with opened(server) as api:
        _, answer = await api.call("POST", "/v1/notebooks", body)
        api.token = answer["token"]
        notebook = cls(api, notebook_id, answer["member_id"], device, notebook_key, kx)
        await notebook.new_invite()
        await notebook.refresh()
        return notebook


async def join(
    cls: type["Notebook"], invite_link: str, name: str, hand: dict[str, Any] | None
) -> "Notebook":
    """Claim an invite: the secret in the link's fragment never reaches the server."""
    server, invite_id, secret = parse_invite_link(invite_link)
    invite = keys.InviteKeys.from_secret(secret, invite_id)
    device = keys.DeviceKey.generate()
    async with opened(server) as api:
        _, answer = await api.call(
            "POST",
            f"/v1/invites/{invite_id}/claim",
            {
                "claim": b64encode(invite.claim),
                "device_key": b64encode(device.public),
                "key_mac": b64encode(invite.joiner_mac(invite_id, device.public)),
            },
        )
        api.token = answer["token"]
        try:
            bundle = messages.Bundle.open(invite.wrap, invite_id, b64decode(answer["bundle"]))
        except ProtocolError as exc:
            raise TamperError("the invite bundle does not open with this link") from exc
        if bundle.notebook_id != answer["notebook_id"]:
            raise TamperError("the server named another notebook than the invite holds")
        notebook = cls(api, bundle.notebook_id, answer["member_id"], device, bundle.keys)
        notebook.roster.creator_key = bundle.creator_device_key
        profile = messages.seal_profile(
            notebook.keyring.content,
            device,
            notebook.id,
            {"name": name, "hand": hand or DEFAULT_HAND},
        )
        await api.call("PUT", f"/v1/notebooks/{notebook.id}/profile", profile.wire())
        kx = exchange_body(device, notebook.id, notebook.exchange_key)
        await api.call("PUT", f"/v1/notebooks/{notebook.id}/exchange-key", kx)
        await notebook.refresh()
        return notebook


async def add_device(cls: type["Notebook"], device_link: str, timeout: float) -> "Notebook":
    """Open a device link on a new device; returns once another device let it in."""
    server, notebook_id, link_id, secret = parse_device_link(device_link)
    device, kx = keys.DeviceKey.generate(), exchange.ExchangeKey.generate()
    async with opened(server) as api:
        body = claim_body(link_id, secret, notebook_id, device, kx)
        _, answer = await api.call("POST", f"/v1/links/{link_id}/claim", body)
        if answer["notebook_id"] != notebook_id or answer["device_id"] != device.id:
            raise TamperError("the server named another notebook than the link holds")
        api.token = answer["token"]
        sealed = await wait_for_package(api, notebook_id, link_id, timeout)
        wrap = devices.LinkKeys.from_secret(secret, link_id).wrap
        try:
            package = devices.Package.open(wrap, link_id, sealed)
        except ProtocolError as exc:
            raise TamperError("the device link's package does not open") from exc
        if (package.notebook_id, package.member_id) != (notebook_id, answer["member_id"]):
            raise TamperError("the package names another notebook or member")
        notebook = cls(
            api, notebook_id, package.member_id, device, package.keys, kx, package.anchors
        )
        if package.signed_from is not None:
            notebook.signed_from = package.signed_from
        await notebook.sync()
        if notebook.roster.registry.get(device.id) is None:
            raise TamperError("the log does not show this device being added")
        return notebook


def invite_link(base_url: str, invite_id: str, secret: bytes) -> str:
    return f"{base_url}/join/{invite_id}#{b64encode(secret)}"


def parse_invite_link(link: str) -> tuple[str, str, bytes]:
    parts = urlsplit(link)
    segments = parts.path.rstrip("/").split("/")
    if len(segments) < 2 or segments[-2] != "join" or not parts.fragment:
        raise ValueError("an invite link looks like https://host/join/<id>#<secret>")
    server = f"{parts.scheme}://{parts.netloc}{'/'.join(segments[:-2])}"
    return server, segments[-1], b64decode(parts.fragment)


def exchange_body(
    device: keys.DeviceKey, notebook_id: str, kx: exchange.ExchangeKey
) -> dict[str, str]:
    sig = exchange.sign_exchange_key(device, notebook_id, kx.public)
    return {"key": b64encode(kx.public), "sig": b64encode(sig)}
