"""Adding a device: one of a member's devices makes a one-time link, the new device claims it,
and the linking device checks the new keys and lets it in (protocol.md, "Devices")."""

from datetime import timedelta

from fastapi import APIRouter, Response

from unspoken.api.credentials import new_token, require_exchange_key
from unspoken.api.deps import DeviceOfDep, MemberDep, ServicesDep
from unspoken.api.problems import Problem
from unspoken.api.schemas import NotebookOut
from unspoken.api.schemas.devices import (
    ClaimedDevice,
    LinkApproval,
    LinkClaim,
    LinkClaimed,
    LinkMade,
    LinkOut,
    NewLink,
)
from unspoken.api.views import device_out, notebook_out
from unspoken.protocol.chain import verify_raw
from unspoken.protocol.devices import cert_message
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.keys import device_id
from unspoken.server import reads, writes
from unspoken.server.reads import DeviceAuth, LinkView
from unspoken.server.wire import iso
from unspoken.server.writes import NewDevice
from unspoken.server.writes import NewLink as Link

router = APIRouter(prefix="/v1", tags=["devices"])
LINK_TTL = timedelta(minutes=30)


def _no_link() -> Problem:
    return Problem(404, "Not found", "There is no such device link.")


async def _link(services: ServicesDep, link: str) -> LinkView:
    found = await reads.link(services.store, link)
    if found is None:
        raise _no_link()
    return found


@router.post("/notebooks/{nb}/links", status_code=201)
async def open_link(nb: str, body: NewLink, me: MemberDep, services: ServicesDep) -> LinkMade:
    """A one-time link for a new device of yours; it lasts 30 minutes and replaces older ones."""
    now = services.now()
    link = Link(body.id, body.claim_hash, now + LINK_TTL)
    await services.commit(writes.open_link(nb, (me.member.id, me.device_id), link, now))
    return LinkMade(id=body.id, expires_at=iso(link.expires_at))


def _visible(view: LinkView, nb: str, me: DeviceAuth) -> bool:
    """A link is seen by its member's devices, and by the new device that claimed it."""
    claimant = view.device is not None and view.device.id == me.device_id
    mine = me.member.id == view.member and me.device_state == "active"
    return view.notebook_id == nb and (mine or claimant)


@router.get("/notebooks/{nb}/links/{link}")
async def get_link(nb: str, link: str, me: DeviceOfDep, services: ServicesDep) -> LinkOut:
    """Who claimed the link (for the linking device to check), and, once it was let in, the
    sealed package (for the new device)."""
    view = await _link(services, link)
    if not _visible(view, nb, me):
        raise _no_link()
    claimed = None
    if view.device is not None:
        out = device_out(view.device)
        key_mac = b64encode(view.key_mac) if view.key_mac else None
        claimed = ClaimedDevice(
            id=out.id, key=out.key, exchange_key=out.exchange_key, key_mac=key_mac
        )
    claimant = view.device is not None and view.device.id == me.device_id
    package = b64encode(view.package) if view.package and claimant else None
    return LinkOut(
        id=view.id,
        member=view.member,
        state=view.state,
        expires_at=iso(view.expires_at),
        device=claimed,
        package=package,
    )


async def _cancel(nb: str, link: str, me: MemberDep, services: ServicesDep, state: str) -> None:
    await services.commit(writes.cancel_link(nb, me.member.id, link, state))


@router.delete("/notebooks/{nb}/links/{link}", status_code=204)
async def withdraw_link(nb: str, link: str, me: MemberDep, services: ServicesDep) -> Response:
    await _cancel(nb, link, me, services, "revoked")
    return Response(status_code=204)


@router.post("/notebooks/{nb}/links/{link}/decline", status_code=204)
async def decline_device(nb: str, link: str, me: MemberDep, services: ServicesDep) -> Response:
    """Turn away the device that claimed the link (its keys did not check out, say)."""
    await _cancel(nb, link, me, services, "declined")
    return Response(status_code=204)


@router.post("/notebooks/{nb}/links/{link}/approve")
async def approve_device(
    nb: str, link: str, body: LinkApproval, me: MemberDep, services: ServicesDep
) -> NotebookOut:
    """Let the new device in: its certificate, signed by this device, and its sealed package."""
    view = await _link(services, link)
    if view.notebook_id != nb:
        raise _no_link()  # another notebook's link is not there, as for every other door
    if view.device is None:
        raise Problem(409, "Nobody waiting", "No new device has opened this link yet.")
    message = cert_message(nb, me.member.id, view.device.key)
    if not verify_raw(me.public_key, message, body.cert):
        raise Problem(422, "Bad signature", "The certificate is not signed by this device's key.")
    approval = (view.device.id, body.cert, body.package, body.epoch)
    actor = (me.member.id, me.device_id)
    answer = await services.commit(writes.approve_link(nb, actor, link, approval, services.now()))
    return notebook_out(answer, me.member.id)


@router.post(
    "/links/{link}/claim",
    status_code=201,
    responses={
        403: {
            "description": "The claim does not match the link's (the link is incomplete), "
            "or another site's page asked."
        },
        404: {"description": "There is no such device link."},
        409: {
            "description": "This device's key is already in the notebook, or the notebook's "
            "rules refuse a new device now."
        },
        410: {"description": "The link was used, withdrawn, or has expired."},
    },
)
async def claim_link(link: str, body: LinkClaim, services: ServicesDep) -> LinkClaimed:
    """The new device presents the link's claim and its keys; it waits to be let in."""
    found = await _link(services, link)
    require_exchange_key(body.device_key, found.notebook_id, body.exchange_key)
    token, token_hash = new_token()
    device = NewDevice(device_id(body.device_key), body.device_key, token_hash)
    exchange = (body.exchange_key.key, body.exchange_key.sig)
    claimed = await services.commit(
        writes.claim_link(link, body.claim, device, exchange, body.key_mac, services.now())
    )
    return LinkClaimed(
        notebook_id=claimed.notebook_id,
        member_id=claimed.member_id,
        device_id=device.id,
        token=token,
    )
