"""What handlers share: the running services, the clock and who is asking."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from unspoken.api.drafts import DraftLimiter
from unspoken.api.live import Hub
from unspoken.api.problems import Problem
from unspoken.api.views import record_json
from unspoken.broker import Broker, WireRecord
from unspoken.protocol.encoding import b64decode
from unspoken.protocol.errors import ProtocolError
from unspoken.push.dispatch import Pusher
from unspoken.rules import Record
from unspoken.settings import Settings
from unspoken.store import Store
from unspoken.store.base import DeviceAuth


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    broker: Broker
    drafts: DraftLimiter = field(default_factory=DraftLimiter)
    push: Pusher | None = None  # Web Push notices (push/); None where the store cannot keep them
    lag: Callable[[float], None] | None = None  # observes commit → this process's streams, s

    def now(self) -> datetime:
        return self.settings.clock()

    @cached_property
    def streams(self) -> Hub:
        """This process's live streams: one broker listener per notebook, one heartbeat."""
        return Hub(self.broker, self.settings.ping_seconds, self._lag)

    def _lag(self, record: WireRecord) -> None:
        """How long a record took from its commit to this process (the broker's lag)."""
        at = record.get("at")
        if self.lag is not None and isinstance(at, str):
            committed = datetime.fromisoformat(at.replace("Z", "+00:00"))
            self.lag(max(0.0, (self.now() - committed).total_seconds()))

    async def publish(self, notebook_id: str, records: Iterable[Record]) -> None:
        """Tell live streams (and, by Web Push, devices that asked) about committed records."""
        records = tuple(records)
        for record in records:
            await self.broker.publish(notebook_id, record_json(record))
        if self.push is not None:
            self.push.notify(notebook_id, records)


async def _services(request: Request) -> Services:
    # async: FastAPI runs a plain `def` dependency through the thread pool, on every request
    services: Services = request.app.state.services
    return services


_bearer = HTTPBearer(auto_error=False, description="The device token from create or claim.")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def not_found() -> Problem:
    return Problem(404, "Not found", "There is no such notebook.")


async def _device(
    services: Annotated[Services, Depends(_services)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> DeviceAuth:
    if credentials is None:
        detail = "This needs a device token in the Authorization header."
        raise Problem(401, "Not signed in", detail, headers=_CHALLENGE)
    try:
        digest = hashlib.sha256(b64decode(credentials.credentials)).digest()
    except ProtocolError:
        digest = b""
    found = await services.store.device_for_token(digest) if digest else None
    if found is None:
        raise Problem(
            401, "Unknown token", "This device token is not known here.", None, _CHALLENGE
        )
    if found.device_state == "revoked":
        detail = "This device was signed out of the notebook by its owner; it opens nothing now."
        raise Problem(401, "Device revoked", detail, None, _CHALLENGE)
    return found


async def _device_of(nb: str, device: Annotated[DeviceAuth, Depends(_device)]) -> DeviceAuth:
    """The caller if its device belongs to `nb`, a new device still waiting to be let in too."""
    if device.notebook_id != nb or not device.belongs:
        raise not_found()
    return device


async def _member_of(device: Annotated[DeviceAuth, Depends(_device_of)]) -> DeviceAuth:
    """The caller if its device belongs to `nb`; otherwise that notebook 'does not exist'."""
    if device.device_state == "pending":
        detail = "This device is waiting for your other device to let it in."
        raise Problem(403, "Waiting for your other device", detail)
    return device


ServicesDep = Annotated[Services, Depends(_services)]
MemberDep = Annotated[DeviceAuth, Depends(_member_of)]
DeviceOfDep = Annotated[DeviceAuth, Depends(_device_of)]
