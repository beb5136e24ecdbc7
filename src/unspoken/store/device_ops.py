"""Write transactions for a partner's several devices: exchange keys, device links, revoking a
device and beginning a key epoch. Each runs inside its caller's transaction, like operations.py.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Update, update

from unspoken.protocol.encoding import b64encode
from unspoken.rules import Refusal, RuleViolation
from unspoken.rules import devices as rules
from unspoken.rules.guards import require_member
from unspoken.store import device_reads
from unspoken.store.base import Committed, NewDevice, NotebookView
from unspoken.store.operations import _add_device, _persist, load_state, load_view
from unspoken.store.rows import to_ms
from unspoken.store.tables import device_links, devices, epoch_keys


@dataclass(frozen=True)
class NewLink:
    id: str
    claim_hash: bytes
    expires_at: datetime


@dataclass(frozen=True)
class WrappedKey:
    device: str
    wrap: bytes
    sig: bytes


@dataclass(frozen=True)
class LinkClaimed:
    notebook_id: str
    member_id: str


def _device(notebook_id: str, device_id: str) -> Update:
    return update(devices).where(devices.c.notebook_id == notebook_id, devices.c.id == device_id)


def _link(link_id: str) -> Update:
    return update(device_links).where(device_links.c.id == link_id)


def set_exchange_key(
    conn: Connection, notebook_id: str, device_id: str, key: bytes, sig: bytes
) -> Committed[None]:
    row = device_reads.device_row(conn, notebook_id, device_id)
    if row is None or row.state != "active":
        raise RuleViolation(Refusal.NOT_FOUND)
    if row.exchange_key is not None:
        raise RuleViolation(Refusal.ALREADY_PUBLISHED)
    conn.execute(_device(notebook_id, device_id).values(exchange_key=key, exchange_sig=sig))
    return Committed(None)


def open_link(
    conn: Connection, notebook_id: str, actor: tuple[str, str], link: NewLink, now: datetime
) -> Committed[None]:
    member, device = actor
    rules.open_link(load_state(conn, notebook_id), member)
    if device_reads.link(conn, link.id) is not None:
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
    conn.execute(_link(link_id).values(state=state))
    if device_id is not None:
        conn.execute(_device(notebook_id, device_id).values(state="revoked"))


def cancel_link(
    conn: Connection, notebook_id: str, actor: str, link_id: str, state: str
) -> Committed[None]:
    """Withdraw a link (`revoked`) or turn away the device that claimed it (`declined`)."""
    link = rules.own_link(load_state(conn, notebook_id), actor, device_reads.link(conn, link_id))
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
    found = device_reads.link(conn, link_id)
    if found is None:
        raise RuleViolation(Refusal.NO_LINK)
    state = load_state(conn, found.notebook_id)  # locked: a second claim waits, then sees ours
    found = device_reads.link(conn, link_id) or found
    rules.check_link_claim(found, claim, now)
    require_member(state, found.member)
    _add_device(conn, found.notebook_id, found.member, device, now)
    conn.execute(
        _device(found.notebook_id, device.id).values(
            state="pending", exchange_key=exchange[0], exchange_sig=exchange[1]
        )
    )
    conn.execute(_link(link_id).values(state="claimed", device_id=device.id, key_mac=key_mac))
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
    link = rules.own_link(before, member, device_reads.link(conn, link_id))
    if link.device != device_id:
        raise RuleViolation(Refusal.LINK_MOVED)
    row = device_reads.device_row(conn, notebook_id, device_id)
    assert row is not None  # noqa: S101 — a claimed link names a stored device
    extra = {
        "device": device_id,
        "key": _b64(row.public_key),
        "by": by,
        "cert": _b64(cert),
        "exchange_key": {"key": _b64(row.exchange_key), "sig": _b64(row.exchange_sig)},
    }
    outcome = rules.approve_link(before, member, link, epoch, extra, now)
    _persist(conn, before, outcome)
    conn.execute(_device(notebook_id, device_id).values(state="active", added_by=by, cert=cert))
    conn.execute(_link(link_id).values(state="approved", package=package))
    return Committed(load_view(conn, notebook_id), outcome.records)


def _b64(raw: bytes | memoryview) -> str:
    return b64encode(bytes(raw))


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
    all_devices = device_reads.all_devices(conn, notebook_id)
    revoked = next((d for d in all_devices if d.id == target[0]), None)
    extra = {"device": target[0], "by": actor[1], "sig": _b64(target[1])}
    epoch, wraps = wrapped
    outcome = rules.revoke(
        before, actor, revoked, all_devices, (epoch, [w.device for w in wraps]), extra, now
    )
    _persist(conn, before, outcome)
    conn.execute(_device(notebook_id, target[0]).values(state="revoked", revoked_at=to_ms(now)))
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
    all_devices = device_reads.all_devices(conn, notebook_id)
    outcome = rules.renew(before, actor, all_devices, (epoch, [w.device for w in wraps]), now)
    _persist(conn, before, outcome)
    _store_wraps(conn, notebook_id, epoch, actor[1], wraps, now)
    return Committed(load_view(conn, notebook_id), outcome.records)
