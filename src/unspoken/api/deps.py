"""What handlers share: the running services (server/services.py) and who is asking."""

import hashlib
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import Scope

from unspoken.api.problems import Problem
from unspoken.api.ratelimit import DeviceLimits
from unspoken.api.schemas import NotebookOut
from unspoken.api.views import notebook_out
from unspoken.protocol.encoding import b64decode
from unspoken.protocol.errors import ProtocolError
from unspoken.rules import NotebookState, Outcome
from unspoken.server import acts, reads, writes
from unspoken.server.acts import Acting
from unspoken.server.reads import DeviceAuth
from unspoken.server.services import Services


async def _services(request: Request) -> Services:
    # async: FastAPI runs a plain `def` dependency through the thread pool, on every request
    services: Services = request.app.state.services
    return services


_bearer = HTTPBearer(auto_error=False, description="The device token from create or claim.")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def not_found() -> Problem:
    return Problem(404, "Not found", "There is no such notebook.")


async def authenticate(services: Services, token: str | None) -> DeviceAuth:
    """The device a bearer token speaks for; 401 for none, an unknown one or a revoked one."""
    if token is None:
        detail = "This needs a device token in the Authorization header."
        raise Problem(401, "Not signed in", detail, headers=_CHALLENGE)
    try:
        digest = hashlib.sha256(b64decode(token)).digest()
    except ProtocolError:
        digest = b""
    found = await reads.device_for_token(services.store, digest) if digest else None
    if found is None:
        raise Problem(
            401, "Unknown token", "This device token is not known here.", None, _CHALLENGE
        )
    if found.device_state == "revoked":
        detail = "This device was signed out of the notebook by its owner; it opens nothing now."
        raise Problem(401, "Device revoked", detail, None, _CHALLENGE)
    return found


def device_in(nb: str, device: DeviceAuth) -> DeviceAuth:
    """The caller if its device belongs to `nb`, a new device still waiting to be let in too."""
    if device.notebook_id != nb or not device.belongs:
        raise not_found()
    return device


def member_in(nb: str, device: DeviceAuth) -> DeviceAuth:
    """The caller if its device belongs to `nb` and was let in; otherwise that notebook 'does
    not exist' (403 for a device still waiting)."""
    return _let_in(device_in(nb, device))


def _let_in(device: DeviceAuth) -> DeviceAuth:
    if device.device_state == "pending":
        detail = "This device is waiting for your other device to let it in."
        raise Problem(403, "Waiting for your other device", detail)
    return device


def limit_device(request_scope: Scope, limits: DeviceLimits | None, device: DeviceAuth) -> None:
    """The limits by device: by the device the token proved, never by the header's spelling."""
    if limits is not None:
        limits.check(request_scope, device.device_id)


async def _device(
    request: Request,
    services: Annotated[Services, Depends(_services)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> DeviceAuth:
    found = await authenticate(services, credentials.credentials if credentials else None)
    limit_device(request.scope, request.app.state.device_limits, found)
    return found


async def _device_of(nb: str, device: Annotated[DeviceAuth, Depends(_device)]) -> DeviceAuth:
    return device_in(nb, device)


async def _member_of(device: Annotated[DeviceAuth, Depends(_device_of)]) -> DeviceAuth:
    return _let_in(device)


ServicesDep = Annotated[Services, Depends(_services)]
MemberDep = Annotated[DeviceAuth, Depends(_member_of)]
DeviceOfDep = Annotated[DeviceAuth, Depends(_device_of)]

_ACT_HEADER = (
    "Protocol v2: `<seen seq>.<seen digest>.<signature>[.<signature>]`, base64url. The acting "
    "device's Ed25519 signature over each act the request makes, in log order, naming the "
    "last record it had applied and its log digest there (docs/protocol.md, 'Protocol v2')."
)


async def _acting(
    nb: str,
    me: MemberDep,
    unspoken_act: Annotated[str | None, Header(description=_ACT_HEADER)] = None,
) -> Acting:
    """Who acts, and what their device signed; checked against the records the rule adds."""
    return Acting(nb, me.member.id, me.device_id, me.public_key, acts.parse(unspoken_act))


ActingDep = Annotated[Acting, Depends(_acting)]


async def apply(
    services: Services, nb: str, me: DeviceAuth, rule: Callable[[NotebookState], Outcome]
) -> NotebookOut:
    """The generic write: a rule on the notebook, answered with the notebook afterwards."""
    view = await services.commit(writes.apply(nb, rule))
    if view is None:
        raise not_found()
    return notebook_out(view, me.member.id)
