"""Notifications that reveal nothing: a device's push subscription, its notices, quiet hours."""

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from pydantic.config import JsonDict

from unspoken.api.deps import MemberDep, ServicesDep
from unspoken.api.problems import Problem
from unspoken.api.schemas import Body
from unspoken.push.notices import KINDS, NoticeKind
from unspoken.push.quiet import QuietHours, UnknownZone, as_clock, as_minutes, zone
from unspoken.push.services import allowed
from unspoken.push.subscriptions import Endpoint, Preferences, Subscription
from unspoken.rules import require_reader
from unspoken.server import reads, writes

router = APIRouter(prefix="/v1", tags=["push"])
INVALID = "Invalid request"


class Keys(Body):
    p256dh: str = Field(max_length=100)
    auth: str = Field(max_length=40)


class SubscriptionBody(Body):
    """What a browser's PushSubscription.toJSON() gives."""

    endpoint: str = Field(max_length=2048)
    keys: Keys
    expirationTime: int | None = None  # noqa: N815 — the browser's own name


# HH:MM from 00:00 to 23:59, as quiet.as_minutes reads it; the document says so, and _quiet
# refuses anything else with a plainer detail than a pattern mismatch would give.
CLOCK: JsonDict = {"pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}


class Quiet(BaseModel):
    start: str = Field(
        max_length=5, description="HH:MM on the device's clock", json_schema_extra=CLOCK
    )
    end: str = Field(
        max_length=5,
        description="HH:MM; before start means the next morning",
        json_schema_extra=CLOCK,
    )
    zone: str = Field(max_length=64, description="IANA time zone name, e.g. Europe/Paris")


class PreferencesBody(Body):
    notices: list[NoticeKind] = Field(max_length=len(KINDS))
    quiet: Quiet | None = None


class PushOut(BaseModel):
    subscribed: bool
    notices: list[NoticeKind]
    quiet: Quiet | None


class PushKey(BaseModel):
    key: str = Field(description="The VAPID public key: applicationServerKey, b64url")


def _out(found: Subscription | None) -> PushOut:
    preferences = found.preferences if found else Preferences()
    quiet = preferences.quiet
    shown = quiet and Quiet(
        start=as_clock(quiet.start), end=as_clock(quiet.end), zone=quiet.zone_name
    )
    return PushOut(
        subscribed=bool(found and found.endpoint),
        notices=list(preferences.notices),
        quiet=shown or None,
    )


def _raw(text: str, size: int, name: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        raise Problem(422, INVALID, f"The field 'keys.{name}' must be {size} bytes as base64url.")
    return raw


def _endpoint(body: SubscriptionBody, services: ServicesDep) -> Endpoint:
    if not allowed(body.endpoint, services.settings.push_services):
        detail = (
            "The field 'endpoint' must be the address of a browser's push service that "
            "this server sends to (docs/operating.md lists them)."
        )
        raise Problem(422, INVALID, detail)
    p256dh = _raw(body.keys.p256dh, 65, "p256dh")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except ValueError:
        raise Problem(422, INVALID, "The field 'keys.p256dh' must be a P-256 public key.") from None
    return Endpoint(body.endpoint, p256dh, _raw(body.keys.auth, 16, "auth"))


def _quiet(quiet: Quiet | None) -> QuietHours | None:
    if quiet is None:
        return None
    try:
        span = QuietHours(as_minutes(quiet.start), as_minutes(quiet.end), quiet.zone)
    except ValueError:
        raise Problem(
            422, INVALID, "Quiet hours start and end as HH:MM, from 00:00 to 23:59."
        ) from None
    try:
        zone(span.zone_name)
    except UnknownZone:
        detail = "The field 'quiet.zone' must be an IANA time zone name, such as Europe/Paris."
        raise Problem(422, INVALID, detail) from None
    return span


def _pusher_on(services: ServicesDep) -> None:
    if services.push is None:
        raise Problem(503, "No notifications", "This server does not send notifications.")


@router.get("/push/key")
async def push_key(services: ServicesDep) -> PushKey:
    """The key a browser subscribes with, so only this server can push to it."""
    _pusher_on(services)
    assert services.push is not None  # noqa: S101 — checked just above
    return PushKey(key=services.push.signer.public_key)


@router.get("/notebooks/{nb}/push")
async def push_settings(nb: str, me: MemberDep, services: ServicesDep) -> PushOut:
    """This device's notices and quiet hours, and whether it is subscribed."""
    require_reader(me.member)
    return _out(await reads.subscription(services.store, nb, me.device_id))


@router.put("/notebooks/{nb}/push/subscription")
async def subscribe(
    nb: str, body: SubscriptionBody, me: MemberDep, services: ServicesDep
) -> PushOut:
    require_reader(me.member)
    _pusher_on(services)
    endpoint = _endpoint(body, services)
    actor = (me.member.id, me.device_id)
    subscribed = await services.commit(writes.subscribe(nb, actor, endpoint, services.now()))
    _forget(services, nb)
    return _out(subscribed)


@router.delete("/notebooks/{nb}/push/subscription", status_code=204)
async def unsubscribe(nb: str, me: MemberDep, services: ServicesDep) -> Response:
    require_reader(me.member)
    actor = (me.member.id, me.device_id)
    await services.commit(writes.subscribe(nb, actor, None, services.now()))
    _forget(services, nb)
    return Response(status_code=204)


@router.put("/notebooks/{nb}/push/preferences")
async def preferences(
    nb: str, body: PreferencesBody, me: MemberDep, services: ServicesDep
) -> PushOut:
    """Which notices this device wants, and quiet hours on its own clock."""
    require_reader(me.member)
    chosen: tuple[NoticeKind, ...] = tuple(k for k in KINDS if k in body.notices)
    wanted = Preferences(chosen, _quiet(body.quiet))
    actor = (me.member.id, me.device_id)
    chosen_now = await services.commit(writes.set_preferences(nb, actor, wanted, services.now()))
    _forget(services, nb)
    return _out(chosen_now)


def _forget(services: ServicesDep, nb: str) -> None:
    """Who may hear this notebook's notices changed: the pusher asks the database again."""
    if services.push is not None:
        services.push.forget(nb)
