"""Push subscriptions and preferences, one row per device, in dialect-neutral SQLAlchemy Core.

Functions of a Connection, run inside a store's transactions like the store's own (the
application layer makes units of work of the writes: server/writes.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, select, update

from unspoken.push.notices import KINDS, NoticeKind
from unspoken.push.quiet import QuietHours
from unspoken.store.rows import AnyRow, to_ms
from unspoken.store.tables import members, push_subscriptions
from unspoken.store.work import Committed

table = push_subscriptions


@dataclass(frozen=True)
class Preferences:
    notices: tuple[NoticeKind, ...] = KINDS
    quiet: QuietHours | None = None


@dataclass(frozen=True)
class Endpoint:
    """Where a push service takes messages for one device, and the keys to encrypt them."""

    url: str
    p256dh: bytes
    auth: bytes


@dataclass(frozen=True)
class Subscription:
    notebook_id: str
    device_id: str
    member_id: str
    endpoint: Endpoint | None
    preferences: Preferences
    held: tuple[NoticeKind, ...] = ()


def _kinds(text: str | None) -> tuple[NoticeKind, ...]:
    named = set((text or "").split(","))
    return tuple(kind for kind in KINDS if kind in named)


def _from_row(row: AnyRow) -> Subscription:
    quiet = None
    if row.quiet_zone is not None:
        quiet = QuietHours(row.quiet_start, row.quiet_end, row.quiet_zone)
    endpoint = None
    if row.endpoint is not None:
        endpoint = Endpoint(row.endpoint, bytes(row.p256dh), bytes(row.auth))
    return Subscription(
        row.notebook_id,
        row.device_id,
        row.member_id,
        endpoint,
        Preferences(_kinds(row.notices), quiet),
        _kinds(row.held),
    )


def _key(notebook_id: str, device_id: str) -> ColumnElement[bool]:
    return and_(table.c.notebook_id == notebook_id, table.c.device_id == device_id)


def of_device(conn: Connection, notebook_id: str, device_id: str) -> Subscription | None:
    row = conn.execute(select(table).where(_key(notebook_id, device_id))).first()
    return None if row is None else _from_row(row)


def _upsert(
    conn: Connection, notebook_id: str, device_id: str, member_id: str, values: dict[str, object]
) -> Subscription:
    if of_device(conn, notebook_id, device_id) is None:
        defaults = {"notices": ",".join(KINDS)}
        conn.execute(
            table.insert().values(
                notebook_id=notebook_id,
                device_id=device_id,
                member_id=member_id,
                **defaults | values,
            )
        )
    else:
        conn.execute(update(table).where(_key(notebook_id, device_id)).values(**values))
    found = of_device(conn, notebook_id, device_id)
    assert found is not None  # noqa: S101 — written just above, in this transaction
    return found


def set_preferences(
    conn: Connection,
    notebook_id: str,
    device_id: str,
    member_id: str,
    preferences: Preferences,
    now: datetime,
) -> Committed[Subscription]:
    quiet = preferences.quiet
    return Committed(
        _upsert(
            conn,
            notebook_id,
            device_id,
            member_id,
            {
                "notices": ",".join(preferences.notices),
                "quiet_start": quiet.start if quiet else None,
                "quiet_end": quiet.end if quiet else None,
                "quiet_zone": quiet.zone_name if quiet else None,
                "held": None,
                "updated_at": to_ms(now),
            },
        )
    )


def subscribe(
    conn: Connection,
    notebook_id: str,
    device_id: str,
    member_id: str,
    endpoint: Endpoint | None,
    now: datetime,
) -> Committed[Subscription]:
    """Set (or with None, forget) the device's push endpoint; its preferences stay."""
    return Committed(
        _upsert(
            conn,
            notebook_id,
            device_id,
            member_id,
            {
                "endpoint": endpoint.url if endpoint else None,
                "p256dh": endpoint.p256dh if endpoint else None,
                "auth": endpoint.auth if endpoint else None,
                "held": None,
                "updated_at": to_ms(now),
            },
        )
    )


def reachable(conn: Connection, notebook_id: str) -> list[Subscription]:
    """The notebook's subscribed devices whose members are in and have not left."""
    joined = table.join(
        members,
        and_(members.c.notebook_id == table.c.notebook_id, members.c.id == table.c.member_id),
    )
    query = (
        select(table)
        .select_from(joined)
        .where(
            table.c.notebook_id == notebook_id,
            table.c.endpoint.is_not(None),
            members.c.state == "active",
            members.c.left_at.is_(None),
        )
    )
    return [_from_row(row) for row in conn.execute(query)]


def hold(
    conn: Connection, notebook_id: str, device_id: str, kinds: Iterable[NoticeKind]
) -> Committed[None]:
    """Keep notices back until the device's quiet hours end; each kind at most once."""
    found = of_device(conn, notebook_id, device_id)
    if found is None or found.endpoint is None:
        return Committed(None)
    held = set(found.held) | set(kinds)
    joined = ",".join(kind for kind in KINDS if kind in held)
    conn.execute(update(table).where(_key(notebook_id, device_id)).values(held=joined))
    return Committed(None)


def holding(conn: Connection) -> list[Subscription]:
    """Every device with notices held back (the sweeper's scan, indexed)."""
    query = select(table).where(table.c.held.is_not(None), table.c.endpoint.is_not(None))
    return [_from_row(row) for row in conn.execute(query)]


def take_held(conn: Connection, notebook_id: str, device_id: str, held: str) -> Committed[bool]:
    """Clear exactly what was seen held; False if another process took it first."""
    query = update(table).where(_key(notebook_id, device_id), table.c.held == held)
    return Committed(conn.execute(query.values(held=None)).rowcount == 1)


def forget(conn: Connection, notebook_id: str, device_id: str, url: str) -> Committed[None]:
    """The push service says this endpoint is gone (404/410): stop sending to it."""
    query = update(table).where(_key(notebook_id, device_id), table.c.endpoint == url)
    conn.execute(query.values(endpoint=None, p256dh=None, auth=None, held=None))
    return Committed(None)
