"""Inviting the one partner: make, revoke, look at and claim an invite."""

from typing import Annotated

from fastapi import APIRouter, Header, Response

from unspoken.api.credentials import new_token
from unspoken.api.deps import MemberDep, ServicesDep
from unspoken.api.schemas import Claim, Claimed, CreateInvite, InviteLook, InviteMade
from unspoken.protocol.encoding import b64decode, b64encode, new_id
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.keys import device_id
from unspoken.rules import Refusal, RuleViolation
from unspoken.rules.invites import check_claim
from unspoken.server import reads, writes
from unspoken.server.wire import iso
from unspoken.server.writes import NewDevice, NewInvite

router = APIRouter(prefix="/v1", tags=["invites"])


@router.post("/notebooks/{nb}/invites", status_code=201)
async def create_invite(
    nb: str, body: CreateInvite, me: MemberDep, services: ServicesDep
) -> InviteMade:
    now = services.now()
    expires_at = now + services.settings.invite_ttl
    invite = NewInvite(body.id, body.claim_hash, body.bundle, expires_at, body.greeting)
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


@router.get(
    "/invites/{invite}",
    responses={
        404: {"description": "No such invite, or the claim does not match it (the same answer)."},
        410: {"description": "The invite was used, withdrawn, or has expired."},
    },
)
async def look_at_invite(
    invite: str,
    response: Response,
    services: ServicesDep,
    claim: Annotated[
        str | None,
        Header(
            alias="Invite-Claim",
            description="The claim derived from the link's secret, as in claiming (base64url).",
        ),
    ] = None,
) -> InviteLook:
    """Before the join form: may this link still be used? Only its holder is answered.

    The same claim that claiming sends proves the asker holds the link's secret. Without it,
    or with a wrong one, the answer is the same 404 as for no invite at all, so nothing is
    learnt of an invite by guessing; with it, 410 when it can no longer be used, else when it
    expires and its greeting (the inviter's name, sealed under the link's own key). Nothing
    changes: the invite stays open.
    """
    response.headers["Cache-Control"] = "no-store"
    try:
        proof = b64decode(claim or "")
    except ProtocolError:
        proof = b""
    found = await reads.invite(services.store, invite)
    if found is None or len(proof) != 32:
        raise RuleViolation(Refusal.NO_INVITE)
    opened, greeting = found
    try:
        check_claim(opened, proof, services.now())
    except RuleViolation as refused:
        if refused.code is Refusal.CLAIM_DOES_NOT_MATCH:
            raise RuleViolation(Refusal.NO_INVITE) from None
        raise
    return InviteLook(
        expires_at=iso(opened.expires_at),
        greeting=None if greeting is None else b64encode(greeting),
    )


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
