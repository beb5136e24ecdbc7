"""Read position: a partner's device says, sealed and signed, how far it has read. Relayed live
to the other partner like a draft frame, and never stored."""

from fastapi import APIRouter, Response

from unspoken.api.credentials import require_signature
from unspoken.api.deps import MemberDep, ServicesDep
from unspoken.api.relay import RELAYED, relay
from unspoken.api.schemas.rules import SeenBody
from unspoken.protocol.chain import seen_aad
from unspoken.rules.guards import require_present

router = APIRouter(prefix="/v1/notebooks/{nb}", tags=["presence"])


@router.post("/seen", status_code=202, response_class=Response, responses=RELAYED)
async def seen(nb: str, body: SeenBody, me: MemberDep, services: ServicesDep) -> Response:
    """Relay one sealed read position to the partner's live stream; never stored.

    Only the partner can open what it says (how far this device has read); the server sees that
    a device said something, as it sees every request.
    """
    require_signature(me.public_key, seen_aad(nb, me.device_id, body.n), body.ct, body.sig)
    return await relay(
        services,
        nb,
        me,
        "seen",
        {"n": body.n},
        (body.ct, body.sig),
        lambda state, _: require_present(state, me.member.id),
    )
