"""Inviting the one partner: make, revoke and claim an invite."""

from fastapi import APIRouter, Response

from unspoken.api.credentials import new_token
from unspoken.api.deps import MemberDep, ServicesDep
from unspoken.api.schemas import Claim, Claimed, CreateInvite, InviteMade
from unspoken.api.views import iso
from unspoken.protocol.encoding import b64encode, new_id
from unspoken.protocol.keys import device_id
from unspoken.store.base import NewDevice, NewInvite

router = APIRouter(prefix="/v1", tags=["invites"])


@router.post("/notebooks/{nb}/invites", status_code=201)
async def create_invite(
    nb: str, body: CreateInvite, me: MemberDep, services: ServicesDep
) -> InviteMade:
    now = services.now()
    expires_at = now + services.settings.invite_ttl
    invite = NewInvite(body.id, body.claim_hash, body.bundle, expires_at)
    await services.store.open_invite(nb, me.member.id, invite, now)
    return InviteMade(id=body.id, expires_at=iso(expires_at))


@router.delete(
    "/notebooks/{nb}/invites/{invite}",
    status_code=204,
    responses={410: {"description": "The invite was already used."}},
)
async def revoke_invite(nb: str, invite: str, me: MemberDep, services: ServicesDep) -> Response:
    await services.store.revoke_invite(nb, me.member.id, invite)
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
    committed = await services.store.claim_invite(
        invite,
        body.claim,
        member,
        NewDevice(device, body.device_key, token_hash),
        body.key_mac,
        services.now(),
    )
    notebook_id = committed.value.notebook_id
    await services.publish(notebook_id, committed.records)
    return Claimed(
        notebook_id=notebook_id,
        member_id=member,
        device_id=device,
        token=token,
        bundle=b64encode(committed.value.bundle),
    )
