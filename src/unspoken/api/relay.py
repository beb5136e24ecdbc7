"""Live-only frames: a draft forming, a read position. Sealed and signed by the device, checked
and rate-limited here, relayed to the partner's live stream, and never stored."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from fastapi import Response

from unspoken.api.deps import not_found
from unspoken.protocol.encoding import b64encode
from unspoken.rules.epochs import require_box_epoch
from unspoken.rules.state import NotebookState
from unspoken.server import reads
from unspoken.server.reads import DeviceAuth
from unspoken.server.services import Services
from unspoken.server.wire import iso

RELAYED: dict[int | str, dict[str, Any]] = {
    202: {"description": "Relayed to the partner's live stream", "content": {}}
}

Check = Callable[[NotebookState, datetime], object]  # the rule the frame must pass, or raise


async def relay(
    services: Services,
    nb: str,
    me: DeviceAuth,
    kind: str,
    fields: Mapping[str, object],
    sealed: tuple[bytes, bytes],
    check: Check,
) -> Response:
    """Publish one `kind` frame of `me` (its `fields`, then the box and signature `sealed`,
    already verified) once the notebook's state passes `check` and the box's epoch is current."""
    ct, sig = sealed
    now = services.now()
    state = await reads.state(services.store, nb)
    if state is None:
        raise not_found()
    check(state, now)
    require_box_epoch(state, ct)
    services.drafts.admit(me.device_id, now)
    frame: dict[str, object] = {"kind": kind, "at": iso(now)}
    frame |= {"member": me.member.id, "device": me.device_id}
    frame |= {**fields, "ct": b64encode(ct), "sig": b64encode(sig)}
    await services.broker.publish(nb, frame)
    return Response(status_code=202)
