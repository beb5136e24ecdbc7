"""Read queries for a partner's several devices: device rows, links, and wrapped epoch keys."""

from typing import cast

from sqlalchemy import Connection, select

from unspoken.rules import NotebookState
from unspoken.rules.devices import Device, DeviceState, Link, LinkState
from unspoken.store import reads
from unspoken.store.base import LinkView
from unspoken.store.reads import device_view
from unspoken.store.rows import AnyRow, from_ms
from unspoken.store.tables import device_links, devices, epoch_keys


def _device(row: AnyRow) -> Device:
    exchange = None if row.exchange_key is None else bytes(row.exchange_key)
    return Device(
        row.id, row.member_id, cast(DeviceState, row.state), bytes(row.public_key), exchange
    )


def all_devices(conn: Connection, notebook_id: str) -> list[Device]:
    query = select(devices).where(devices.c.notebook_id == notebook_id)
    return [_device(row) for row in conn.execute(query.order_by(devices.c.created_at))]


def device_row(conn: Connection, notebook_id: str, device_id: str) -> AnyRow | None:
    query = select(devices).where(devices.c.notebook_id == notebook_id, devices.c.id == device_id)
    return conn.execute(query).first()


def _link_row(conn: Connection, link_id: str) -> AnyRow | None:
    return conn.execute(select(device_links).where(device_links.c.id == link_id)).first()


def link(conn: Connection, link_id: str) -> Link | None:
    row = _link_row(conn, link_id)
    if row is None:
        return None
    return Link(
        row.id,
        row.notebook_id,
        row.member_id,
        bytes(row.claim_hash),
        from_ms(row.expires_at),
        cast(LinkState, row.state),
        row.device_id,
    )


def link_view(conn: Connection, link_id: str) -> LinkView | None:
    row = _link_row(conn, link_id)
    if row is None:
        return None
    claimed = None
    if row.device_id is not None:
        found = device_row(conn, row.notebook_id, row.device_id)
        claimed = device_view(found) if found is not None else None
    return LinkView(
        row.id,
        row.notebook_id,
        row.member_id,
        row.state,
        from_ms(row.expires_at),
        claimed,
        None if row.key_mac is None else bytes(row.key_mac),
        None if row.package is None else bytes(row.package),
    )


def keys_for(conn: Connection, notebook_id: str, device_id: str) -> list[AnyRow]:
    """Every epoch key wrapped for one device, oldest epoch first."""
    query = (
        select(epoch_keys)
        .where(epoch_keys.c.notebook_id == notebook_id, epoch_keys.c.device_id == device_id)
        .order_by(epoch_keys.c.epoch)
    )
    # A comprehension: list() over the `Row | Any` alias crashes mypy 2.4.
    return [row for row in conn.execute(query)]


def notebook_state(conn: Connection, notebook_id: str) -> NotebookState | None:
    return reads.state(conn, notebook_id)
