"""Read position: a partner's device says, sealed and signed, how far it has read. Relayed live
to the other partner like a draft frame, and never stored."""

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BeforeValidator, Field

from unspoken.api.credentials import require_signature
from unspoken.api.deps import MemberDep, ServicesDep, not_found
from unspoken.api.schemas import Body, Box, Signature, whole
from unspoken.protocol.box import aad
from unspoken.protocol.encoding import b64encode
from unspoken.rules.epochs import require_box_epoch
from unspoken.rules.guards import require_present
from unspoken.server import reads
from unspoken.server.wire import iso

router = APIRouter(prefix="/v1/notebooks/{nb}", tags=["presence"])

# Below 2^53: a browser's counter (its clock in milliseconds) is a safe integer.
MAX_N = 2**53 - 1


class SeenBody(Body):
    n: Annotated[int, Field(strict=True, ge=0, le=MAX_N), BeforeValidator(whole)]
    ct: Box
    sig: Signature


def seen_aad(notebook_id: str, device_id: str, n: int) -> bytes:
    """One read-position frame of one device; `n` orders a device's frames."""
    return aad("seen", notebook_id, device_id, str(n))


@router.post(
    "/seen",
    status_code=202,
    response_class=Response,
    responses={202: {"description": "Relayed to the partner's live stream", "content": {}}},
)
async def seen(nb: str, body: SeenBody, me: MemberDep, services: ServicesDep) -> Response:
    """Relay one sealed read position to the partner's live stream; never stored.

    Only the partner can open what it says (how far this device has read); the server sees that
    a device said something, as it sees every request.
    """
    require_signature(me.public_key, seen_aad(nb, me.device_id, body.n), body.ct, body.sig)
    now = services.now()
    state = await reads.state(services.store, nb)
    if state is None:
        raise not_found()
    require_present(state, me.member.id)
    require_box_epoch(state, body.ct)
    services.drafts.admit(me.device_id, now)
    frame = {
        "kind": "seen",
        "at": iso(now),
        "member": me.member.id,
        "device": me.device_id,
        "n": body.n,
        "ct": b64encode(body.ct),
        "sig": b64encode(body.sig),
    }
    await services.broker.publish(nb, frame)
    return Response(status_code=202)
