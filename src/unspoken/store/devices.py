"""A partner's several devices: their rows, exchange keys, revoking one, and the wrapped keys
of each key epoch. Each write runs inside its caller's transaction (store/work.py)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Update, select, update

from unspoken.protocol.encoding import b64encode
from unspoken.rules import Refusal, RuleViolation
from unspoken.rules import devices as rules
from unspoken.rules.devices import Device, DeviceState
from unspoken.store.base import NotebookView
from unspoken.store.persist import load_state, load_view, persist
from unspoken.store.rows import AnyRow, to_ms
from unspoken.store.tables import devices, epoch_keys
from unspoken.store.work import Committed


@dataclass(frozen=True)
class WrappedKey:
    device: str
    wrap: bytes
    sig: bytes


def device_update(notebook_id: str, device_id: str) -> Update:
    return update(devices).where(devices.c.notebook_id == notebook_id, devices.c.id == device_id)


def _from_row(row: AnyRow) -> Device:
    exchange = None if row.exchange_key is None else bytes(row.exchange_key)
    return Device(
        row.id, row.member_id, cast(DeviceState, row.state), bytes(row.public_key), exchange
    )


def all_devices(conn: Connection, notebook_id: str) -> list[Device]:
    query = select(devices).where(devices.c.notebook_id == notebook_id)
    return [_from_row(row) for row in conn.execute(query.order_by(devices.c.created_at))]


def device_row(conn: Connection, notebook_id: str, device_id: str) -> AnyRow | None:
    query = select(devices).where(devices.c.notebook_id == notebook_id, devices.c.id == device_id)
    return conn.execute(query).first()


def b64(raw: bytes | memoryview) -> str:
    return b64encode(bytes(raw))


def set_exchange_key(
    conn: Connection, notebook_id: str, device_id: str, key: bytes, sig: bytes
) -> Committed[None]:
    row = device_row(conn, notebook_id, device_id)
    if row is None or row.state != "active":
        raise RuleViolation(Refusal.NOT_FOUND)
    if row.exchange_key is not None:
        raise RuleViolation(Refusal.ALREADY_PUBLISHED)
    conn.execute(device_update(notebook_id, device_id).values(exchange_key=key, exchange_sig=sig))
    return Committed(None)


def _store_wraps(
    conn: Connection,
    notebook_id: str,
    epoch: int,
    by: str,
    wraps: Sequence[WrappedKey],
    now: datetime,
) -> None:
    conn.execute(
        epoch_keys.insert(),
        [
            {
                "notebook_id": notebook_id,
                "epoch": epoch,
                "device_id": w.device,
                "by_device": by,
                "wrap": w.wrap,
                "sig": w.sig,
                "created_at": to_ms(now),
            }
            for w in wraps
        ],
    )


def revoke_device(
    conn: Connection,
    notebook_id: str,
    actor: tuple[str, str],
    target: tuple[str, bytes],
    wrapped: tuple[int, Sequence[WrappedKey]],
    now: datetime,
) -> Committed[NotebookView]:
    """target = (device id, the member's signed revocation); wrapped = (epoch, keys)."""
    before = load_state(conn, notebook_id)
    every = all_devices(conn, notebook_id)
    revoked = next((d for d in every if d.id == target[0]), None)
    extra = {"device": target[0], "by": actor[1], "sig": b64(target[1])}
    epoch, wraps = wrapped
    outcome = rules.revoke(
        before, actor, revoked, every, (epoch, [w.device for w in wraps]), extra, now
    )
    persist(conn, before, outcome)
    conn.execute(
        device_update(notebook_id, target[0]).values(state="revoked", revoked_at=to_ms(now))
    )
    _store_wraps(conn, notebook_id, epoch, actor[1], wraps, now)
    return Committed(load_view(conn, notebook_id), outcome.records)


def start_epoch(
    conn: Connection,
    notebook_id: str,
    actor: tuple[str, str],
    wrapped: tuple[int, Sequence[WrappedKey]],
    now: datetime,
) -> Committed[NotebookView]:
    before = load_state(conn, notebook_id)
    epoch, wraps = wrapped
    every = all_devices(conn, notebook_id)
    outcome = rules.renew(before, actor, every, (epoch, [w.device for w in wraps]), now)
    persist(conn, before, outcome)
    _store_wraps(conn, notebook_id, epoch, actor[1], wraps, now)
    return Committed(load_view(conn, notebook_id), outcome.records)


def keys_for(conn: Connection, notebook_id: str, device_id: str) -> list[AnyRow]:
    """Every epoch key wrapped for one device, oldest epoch first."""
    query = (
        select(epoch_keys)
        .where(epoch_keys.c.notebook_id == notebook_id, epoch_keys.c.device_id == device_id)
        .order_by(epoch_keys.c.epoch)
    )
    # A comprehension: list() over the `Row | Any` alias crashes mypy 2.4.
    return [row for row in conn.execute(query)]
