"""Device links: one of a member's devices makes a one-time link, a new device claims it, and
the linking device lets it in (protocol.md, "Devices"). Writes and reads of the links table."""

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Update, select, update

from unspoken.rules import Refusal, RuleViolation
from unspoken.rules import devices as rules
from unspoken.rules.devices import Link, LinkState
from unspoken.rules.guards import require_member
from unspoken.store.base import LinkView, NewDevice, NotebookView
from unspoken.store.devices import b64, device_row, device_update
from unspoken.store.persist import add_device, load_state, load_view, persist
from unspoken.store.reads import device_view
from unspoken.store.rows import AnyRow, from_ms, to_ms
from unspoken.store.tables import device_links
from unspoken.store.work import Committed


@dataclass(frozen=True)
class NewLink:
    id: str
    claim_hash: bytes
    expires_at: datetime


@dataclass(frozen=True)
class LinkClaimed:
    notebook_id: str
    member_id: str


def _update(link_id: str) -> Update:
    return update(device_links).where(device_links.c.id == link_id)


def open_link(
    conn: Connection, notebook_id: str, actor: tuple[str, str], link: NewLink, now: datetime
) -> Committed[None]:
    member, device = actor
    rules.open_link(load_state(conn, notebook_id), member)
    if find(conn, link.id) is not None:
        raise RuleViolation(Refusal.LINK_ID_IN_USE)
    _end_open_links(conn, notebook_id, member)
    conn.execute(
        device_links.insert().values(
            notebook_id=notebook_id,
            id=link.id,
            member_id=member,
            by_device=device,
            claim_hash=link.claim_hash,
            created_at=to_ms(now),
            expires_at=to_ms(link.expires_at),
            state="open",
        )
    )
    return Committed(None)


def _end_open_links(conn: Connection, notebook_id: str, member: str) -> None:
    """A new link replaces the member's earlier ones; a device waiting on one is turned away."""
    query = device_links.c.notebook_id == notebook_id, device_links.c.member_id == member
    for row in conn.execute(device_links.select().where(*query)):
        if row.state in ("open", "claimed"):
            _close(conn, notebook_id, row.id, row.device_id, "revoked")


def _close(
    conn: Connection, notebook_id: str, link_id: str, device_id: str | None, state: str
) -> None:
    conn.execute(_update(link_id).values(state=state))
    if device_id is not None:
        conn.execute(device_update(notebook_id, device_id).values(state="revoked"))


def cancel_link(
    conn: Connection, notebook_id: str, actor: str, link_id: str, state: str
) -> Committed[None]:
    """Withdraw a link (`revoked`) or turn away the device that claimed it (`declined`)."""
    link = rules.own_link(load_state(conn, notebook_id), actor, find(conn, link_id))
    if link.state not in ("open", "claimed") or (state == "declined" and link.state != "claimed"):
        raise RuleViolation(Refusal.LINK_CLOSED)
    _close(conn, notebook_id, link.id, link.device, state)
    return Committed(None)


def claim_link(
    conn: Connection,
    link_id: str,
    claim: bytes,
    device: NewDevice,
    exchange: tuple[bytes, bytes],
    key_mac: bytes,
    now: datetime,
) -> Committed[LinkClaimed]:
    found = find(conn, link_id)
    if found is None:
        raise RuleViolation(Refusal.NO_LINK)
    state = load_state(conn, found.notebook_id)  # locked: a second claim waits, then sees ours
    found = find(conn, link_id) or found
    rules.check_link_claim(found, claim, now)
    require_member(state, found.member)
    add_device(conn, found.notebook_id, found.member, device, now)
    conn.execute(
        device_update(found.notebook_id, device.id).values(
            state="pending", exchange_key=exchange[0], exchange_sig=exchange[1]
        )
    )
    conn.execute(_update(link_id).values(state="claimed", device_id=device.id, key_mac=key_mac))
    return Committed(LinkClaimed(found.notebook_id, found.member))


def approve_link(
    conn: Connection,
    notebook_id: str,
    actor: tuple[str, str],
    link_id: str,
    approval: tuple[str, bytes, bytes, int],
    now: datetime,
) -> Committed[NotebookView]:
    """approval = (device id the cert was checked against, cert, package, epoch)."""
    member, by = actor
    device_id, cert, package, epoch = approval
    before = load_state(conn, notebook_id)
    link = rules.own_link(before, member, find(conn, link_id))
    if link.device != device_id:
        raise RuleViolation(Refusal.LINK_MOVED)
    row = device_row(conn, notebook_id, device_id)
    assert row is not None  # noqa: S101 — a claimed link names a stored device
    extra = {
        "device": device_id,
        "key": b64(row.public_key),
        "by": by,
        "cert": b64(cert),
        "exchange_key": {"key": b64(row.exchange_key), "sig": b64(row.exchange_sig)},
    }
    outcome = rules.approve_link(before, member, link, epoch, extra, now)
    persist(conn, before, outcome)
    conn.execute(
        device_update(notebook_id, device_id).values(state="active", added_by=by, cert=cert)
    )
    conn.execute(_update(link_id).values(state="approved", package=package))
    return Committed(load_view(conn, notebook_id), outcome.records)


def _link_row(conn: Connection, link_id: str) -> AnyRow | None:
    return conn.execute(select(device_links).where(device_links.c.id == link_id)).first()


def find(conn: Connection, link_id: str) -> Link | None:
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


def view(conn: Connection, link_id: str) -> LinkView | None:
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
