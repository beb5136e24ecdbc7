"""Inviting the one partner: make, revoke and claim an invite."""

from fastapi import APIRouter, Response

from unspoken.api.credentials import new_token
from unspoken.api.deps import MemberDep, ServicesDep
from unspoken.api.schemas import Claim, Claimed, CreateInvite, InviteMade
from unspoken.protocol.encoding import b64encode, new_id
from unspoken.protocol.keys import device_id
from unspoken.server import writes
from unspoken.server.wire import iso
from unspoken.server.writes import NewDevice, NewInvite

router = APIRouter(prefix="/v1", tags=["invites"])


@router.post("/notebooks/{nb}/invites", status_code=201)
async def create_invite(
    nb: str, body: CreateInvite, me: MemberDep, services: ServicesDep
) -> InviteMade:
    now = services.now()
    expires_at = now + services.settings.invite_ttl
    invite = NewInvite(body.id, body.claim_hash, body.bundle, expires_at)
    await services.commit(writes.open_invite(nb, me.member.id, invite, now))
    return InviteMade(id=body.id, expires_at=iso(expires_at))


@router.delete(
    "/notebooks/{nb}/invites/{invite}",
    status_code=204,
    responses={410: {"description": "The invite was already used."}},
)
async def revoke_invite(nb: str, invite: str, me: MemberDep, services: ServicesDep) -> Response:
    await services.commit(writes.revoke_invite(nb, me.member.id, invite))
    return Response(status_code=204)


@router.post(
    "/invites/{invite}/claim",
    status_code=201,
    responses={
        403: {
            "description": "The claim does not match the invite's (the link is incomplete), "
            "or another site's page asked."
        },
        404: {"description": "There is no such invite."},
        409: {"description": "The notebook is sealed, or someone else is waiting to be let in."},
        410: {"description": "The invite was used, withdrawn, or has expired."},
    },
)
async def claim_invite(invite: str, body: Claim, services: ServicesDep) -> Claimed:
    device = device_id(body.device_key)
    token, token_hash = new_token()
    member = new_id()
    new_device = NewDevice(device, body.device_key, token_hash)
    claimed = await services.commit(
        writes.claim_invite(invite, body.claim, member, new_device, body.key_mac, services.now())
    )
    notebook_id = claimed.notebook_id
    return Claimed(
        notebook_id=notebook_id,
        member_id=member,
        device_id=device,
        token=token,
        bundle=b64encode(claimed.bundle),
    )
