"""A partner's several devices: linking one, letting it in, revoking one (with a new epoch)."""

import hashlib
import hmac
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from unspoken.protocol.records import DEVICE_ADDED, DEVICE_REVOKED
from unspoken.rules import epochs
from unspoken.rules.guards import require_member, require_present, require_reader
from unspoken.rules.outcome import Outcome, log, then
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import NotebookState

DeviceState = Literal["active", "pending", "revoked"]
LinkState = Literal["open", "claimed", "approved", "declined", "revoked"]


@dataclass(frozen=True)
class Device:
    id: str
    member: str
    state: DeviceState
    key: bytes
    exchange_key: bytes | None = None


@dataclass(frozen=True)
class Link:
    """A one-time device link, made by one of a member's devices for a new one."""

    id: str
    notebook_id: str
    member: str
    claim_hash: bytes
    expires_at: datetime
    state: LinkState
    device: str | None = None


def open_link(state: NotebookState, actor: str) -> None:
    """Any present member may link a device, once the notebook is sealed at two."""
    require_present(state, actor)
    if not state.sealed:
        raise RuleViolation(Refusal.PARTNER_FIRST)


def check_link_claim(link: Link, claim: bytes, now: datetime) -> None:
    if not hmac.compare_digest(hashlib.sha256(claim).digest(), link.claim_hash):
        raise RuleViolation(Refusal.LINK_CLAIM_DOES_NOT_MATCH)
    if link.state != "open" or now >= link.expires_at:
        raise RuleViolation(Refusal.LINK_USED)


def own_link(state: NotebookState, actor: str, link: Link | None) -> Link:
    """A link made by one of the actor's devices; any other is 'not there'."""
    require_reader(require_member(state, actor))
    if link is None or link.notebook_id != state.id or link.member != actor:
        raise RuleViolation(Refusal.NO_LINK_OF_YOURS)
    return link


def recipients(
    state: NotebookState, devices: Collection[Device], without: Collection[str] = ()
) -> list[str]:
    """The devices a new epoch's key must reach: active ones of members still present."""
    present = {m.id for m in state.members if m.present}
    return [
        d.id for d in devices if d.state == "active" and d.member in present and d.id not in without
    ]


def _require_exchange_keys(devices: Collection[Device], ids: Collection[str]) -> None:
    missing = sorted(d.id for d in devices if d.id in ids and d.exchange_key is None)
    if missing:
        raise RuleViolation(Refusal.EXCHANGE_KEY_MISSING, {"devices": missing})


def approve_link(
    state: NotebookState,
    actor: str,
    link: Link,
    epoch: int,
    extra: Mapping[str, Any],
    now: datetime,
) -> Outcome:
    """The linking member lets the claimed device in; the log tells the partner."""
    require_present(state, actor)
    if link.state != "claimed":
        raise RuleViolation(Refusal.NOBODY_WAITING)
    if epoch != state.epoch:
        raise epochs.stale(state.epoch)
    return log(state, now, DEVICE_ADDED, actor, extra=extra)


def revoke(
    state: NotebookState,
    actor: tuple[str, str],
    target: Device | None,
    devices: Collection[Device],
    wrapped: tuple[int, Collection[str]],
    extra: Mapping[str, Any],
    now: datetime,
) -> Outcome:
    """A member revokes one of their other devices; a new epoch begins at once, its key
    wrapped for every remaining device. `actor` is (member, device), `wrapped` (epoch, ids)."""
    member, device = actor
    require_reader(require_member(state, member))
    if target is None or target.member != member or target.state != "active":
        raise RuleViolation(Refusal.NO_DEVICE_OF_YOURS)
    if target.id == device:
        raise RuleViolation(Refusal.THIS_DEVICE)
    remaining = recipients(state, devices, without={target.id})
    _require_exchange_keys(devices, remaining)
    epochs.require_wraps(remaining, wrapped[1])
    gone = log(state, now, DEVICE_REVOKED, member, extra={**extra, "epoch": wrapped[0]})
    return then(gone, epochs.start(gone.state, member, device, wrapped[0], "revoked", now))


def renew(
    state: NotebookState,
    actor: tuple[str, str],
    devices: Collection[Device],
    wrapped: tuple[int, Collection[str]],
    now: datetime,
) -> Outcome:
    """A new epoch without a revocation: after a declined joiner, or whenever a member asks."""
    member, device = actor
    require_present(state, member)
    remaining = recipients(state, devices)
    _require_exchange_keys(devices, remaining)
    epochs.require_wraps(remaining, wrapped[1])
    reason = "declined" if state.rekey_due else "renewed"
    return epochs.start(state, member, device, wrapped[0], reason, now)
