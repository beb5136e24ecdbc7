"""A partner's devices: publishing an exchange key, revoking a device, a new key epoch, and
the epoch keys wrapped for the calling device."""

from fastapi import APIRouter, Response

from unspoken.api.credentials import require_exchange_key, require_signature
from unspoken.api.deps import MemberDep, ServicesDep, not_found
from unspoken.api.problems import Problem
from unspoken.api.schemas import ExchangeKey, NotebookOut
from unspoken.api.schemas.devices import KeysOut, NewEpoch, Revocation, WrapOut
from unspoken.api.views import notebook_out
from unspoken.protocol.chain import verify_raw
from unspoken.protocol.devices import revoke_message_v2
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.exchange import epoch_key_aad
from unspoken.rules import require_reader
from unspoken.server import reads, writes
from unspoken.server.reads import DeviceAuth
from unspoken.server.writes import WrappedKey

router = APIRouter(prefix="/v1/notebooks/{nb}", tags=["devices"])


@router.put("/exchange-key", status_code=204)
async def publish_exchange_key(
    nb: str, body: ExchangeKey, me: MemberDep, services: ServicesDep
) -> Response:
    """Once per device: the X25519 key that new epoch keys are wrapped for."""
    require_exchange_key(me.public_key, nb, body)
    await services.commit(writes.set_exchange_key(nb, me.device_id, body.key, body.sig))
    return Response(status_code=204)


def _wraps(nb: str, me: DeviceAuth, epoch: NewEpoch) -> list[WrappedKey]:
    """Every wrap must be signed by the calling device for its place (422 otherwise)."""
    for wrap in epoch.wraps:
        place = epoch_key_aad(nb, epoch.n, wrap.device)
        require_signature(me.public_key, place, wrap.wrap, wrap.sig)
    return [WrappedKey(w.device, w.wrap, w.sig) for w in epoch.wraps]


@router.post("/devices/{device}/revoke")
async def revoke(
    nb: str, device: str, body: Revocation, me: MemberDep, services: ServicesDep
) -> NotebookOut:
    """Revoke another of your devices: its token dies now, and a new key epoch begins."""
    message = revoke_message_v2(nb, me.member.id, device, body.epoch.n)
    if not verify_raw(me.public_key, message, body.sig):
        detail = "The revocation is not signed by this device's key, for this device and epoch."
        raise Problem(422, "Bad signature", detail)
    wraps = _wraps(nb, me, body.epoch)
    actor, target, wrapped = (me.member.id, me.device_id), (device, body.sig), (body.epoch.n, wraps)
    view = await services.commit(writes.revoke_device(nb, actor, target, wrapped, services.now()))
    return notebook_out(view, me.member.id)


@router.post("/epochs", status_code=201)
async def new_epoch(nb: str, body: NewEpoch, me: MemberDep, services: ServicesDep) -> NotebookOut:
    """Begin the next key epoch, its key wrapped for every remaining device."""
    actor, wrapped = (me.member.id, me.device_id), (body.n, _wraps(nb, me, body))
    view = await services.commit(writes.start_epoch(nb, actor, wrapped, services.now()))
    return notebook_out(view, me.member.id)


@router.get("/keys")
async def keys(nb: str, me: MemberDep, services: ServicesDep) -> KeysOut:
    """The epoch keys wrapped for this device (the earlier ones it got another way)."""
    require_reader(me.member)
    state = await reads.state(services.store, nb)
    if state is None:
        raise not_found()
    rows = await reads.keys_for(services.store, nb, me.device_id)
    found = [
        WrapOut(
            epoch=r.epoch,
            device=r.device_id,
            by=r.by_device,
            wrap=b64encode(bytes(r.wrap)),
            sig=b64encode(bytes(r.sig)),
        )
        for r in rows
    ]
    return KeysOut(epoch=state.epoch, keys=found)
