"""Write transactions in dialect-neutral SQLAlchemy Core.

Each function runs inside a transaction (or savepoint) its caller opened: it loads the
notebook's state, asks the pure rules, then persists the new state and the records. A raised
RuleViolation rolls back everything the function did.
"""

from datetime import datetime

from sqlalchemy import Connection, Update, bindparam, update

from unspoken import rules
from unspoken.rules import Entry, NotebookState, Outcome, Refusal, RuleViolation
from unspoken.rules.epochs import require_box_epoch, require_current_epoch
from unspoken.store import chapter_rows, reads
from unspoken.store.base import (
    Appended,
    Claimed,
    Committed,
    NewDevice,
    NewInvite,
    NotebookView,
    Profile,
)
from unspoken.store.prepared import Prepared
from unspoken.store.rows import from_ms, member_values, record_values, state_values, to_ms
from unspoken.store.tables import devices, invites, members, notebooks, records


def _not_found() -> RuleViolation:
    return RuleViolation(Refusal.NOT_FOUND)


def load_state(conn: Connection, notebook_id: str) -> NotebookState:
    state = reads.state(conn, notebook_id, lock=True)
    if state is None:
        raise _not_found()
    return state


def load_view(conn: Connection, notebook_id: str) -> NotebookView:
    view = reads.view(conn, notebook_id)
    if view is None:
        raise _not_found()
    return view


# Compiled once and run on the driver (store/prepared.py); a record with `extra` (JSON) and
# a batch of records go through Core, which converts JSON per dialect.
_UPDATE_NOTEBOOK = Prepared(
    update(notebooks).where(notebooks.c.id == bindparam("nb")),
    keys=[c.name for c in notebooks.c if c.name not in ("id", "created_at")],
)
_INSERT_RECORD = records.insert()
_INSERT_PLAIN_RECORD = Prepared(_INSERT_RECORD)


def _persist(conn: Connection, before: NotebookState | None, outcome: Outcome) -> None:
    require_current_epoch(outcome)  # nothing is logged under a key a revoked device holds
    after, now = outcome.state, to_ms(outcome.records[0].at)
    if before is None:
        conn.execute(notebooks.insert().values(id=after.id, created_at=now, **state_values(after)))
    else:
        _UPDATE_NOTEBOOK.execute(conn, {"nb": after.id, **state_values(after)})
    _persist_members(conn, before, after, now)
    rows = [record_values(after.id, r) for r in outcome.records]
    if len(rows) == 1 and rows[0]["extra"] is None:
        _INSERT_PLAIN_RECORD.execute(conn, rows[0])
    else:
        conn.execute(_INSERT_RECORD, rows[0] if len(rows) == 1 else rows)
    chapter_rows.follow(conn, after.id, outcome.records)


def _persist_members(
    conn: Connection, before: NotebookState | None, after: NotebookState, now: int
) -> None:
    old = {m.id: m for m in before.members} if before else {}
    for member in after.members:
        if member.id not in old:
            row = {"role": member.role, "state": member.state, "joined_at": now}
            conn.execute(members.insert().values(notebook_id=after.id, id=member.id, **row))
        elif old[member.id] != member:
            conn.execute(_member(after.id, member.id).values(**member_values(member)))
    for gone in old.keys() - {m.id for m in after.members}:
        conn.execute(_member(after.id, gone).values(state="declined"))


def _member(notebook_id: str, member_id: str) -> Update:
    return update(members).where(members.c.notebook_id == notebook_id, members.c.id == member_id)


def _add_device(
    conn: Connection, notebook_id: str, member_id: str, device: NewDevice, now: datetime
) -> None:
    if reads.device_exists(conn, notebook_id, device.id):
        raise RuleViolation(Refusal.DEVICE_IN_USE)
    conn.execute(
        devices.insert().values(
            notebook_id=notebook_id,
            id=device.id,
            member_id=member_id,
            public_key=device.public_key,
            token_hash=device.token_hash,
            created_at=to_ms(now),
            exchange_key=device.exchange_key,
            exchange_sig=device.exchange_sig,
        )
    )


def _save_profile(conn: Connection, notebook_id: str, member_id: str, profile: Profile) -> None:
    conn.execute(
        _member(notebook_id, member_id).values(
            profile_device=profile.device, profile_ct=profile.ct, profile_sig=profile.sig
        )
    )


def create_notebook(
    conn: Connection,
    notebook_id: str,
    member_id: str,
    device: NewDevice,
    profile: Profile,
    now: datetime,
) -> Committed[None]:
    if reads.state(conn, notebook_id) is not None:
        raise RuleViolation(Refusal.NOTEBOOK_ID_IN_USE)
    outcome = rules.create(notebook_id, member_id, now)
    require_box_epoch(outcome.state, profile.ct)
    _persist(conn, None, outcome)
    chapter_rows.insert_first(conn, notebook_id, member_id, now)
    _add_device(conn, notebook_id, member_id, device, now)
    _save_profile(conn, notebook_id, member_id, profile)
    return Committed(None, outcome.records)


def open_invite(
    conn: Connection, notebook_id: str, actor: str, invite: NewInvite, now: datetime
) -> Committed[None]:
    rules.open_invite(load_state(conn, notebook_id), actor)
    if reads.invite(conn, invite.id) is not None:
        raise RuleViolation(Refusal.INVITE_ID_IN_USE)
    older = update(invites).where(invites.c.notebook_id == notebook_id, invites.c.state == "open")
    conn.execute(older.values(state="revoked"))
    conn.execute(
        invites.insert().values(
            notebook_id=notebook_id,
            id=invite.id,
            claim_hash=invite.claim_hash,
            bundle=invite.bundle,
            created_at=to_ms(now),
            expires_at=to_ms(invite.expires_at),
            state="open",
        )
    )
    return Committed(None)


def revoke_invite(
    conn: Connection, notebook_id: str, actor: str, invite_id: str
) -> Committed[None]:
    rules.revoke_invite(load_state(conn, notebook_id), actor)
    invite = reads.invite(conn, invite_id)
    if invite is None or invite.notebook_id != notebook_id:
        raise RuleViolation(Refusal.NO_INVITE_HERE)
    if invite.state == "used":
        raise RuleViolation(Refusal.INVITE_USED)
    query = update(invites).where(invites.c.notebook_id == notebook_id, invites.c.id == invite_id)
    conn.execute(query.values(state="revoked"))
    return Committed(None)


def claim_invite(
    conn: Connection,
    invite_id: str,
    claim: bytes,
    member_id: str,
    device: NewDevice,
    key_mac: bytes,
    now: datetime,
) -> Committed[Claimed]:
    invite = reads.invite(conn, invite_id)
    if invite is None:
        raise RuleViolation(Refusal.NO_INVITE)
    before = load_state(conn, invite.notebook_id)  # locked: a second claim waits here,
    invite = reads.invite(conn, invite_id) or invite  # then sees this one's "used"
    rules.check_claim(invite, claim, now)
    outcome = rules.claim(before, member_id, now)
    _persist(conn, before, outcome)
    conn.execute(_member(invite.notebook_id, member_id).values(key_mac=key_mac))
    _add_device(conn, invite.notebook_id, member_id, device, now)
    query = update(invites).where(
        invites.c.notebook_id == invite.notebook_id, invites.c.id == invite_id
    )
    conn.execute(query.values(state="used"))
    claimed = Claimed(invite.notebook_id, reads.invite_bundle(conn, invite_id))
    return Committed(claimed, outcome.records)


def set_profile(
    conn: Connection, notebook_id: str, actor: str, profile: Profile, now: datetime
) -> Committed[None]:
    before = load_state(conn, notebook_id)
    outcome = rules.set_profile(before, actor, now)
    require_box_epoch(before, profile.ct)
    _persist(conn, before, outcome)
    _save_profile(conn, notebook_id, actor, profile)
    return Committed(None, outcome.records)


def approve(
    conn: Connection, notebook_id: str, actor: str, member_id: str, now: datetime
) -> Committed[NotebookView]:
    before = load_state(conn, notebook_id)
    outcome = rules.approve(before, actor, member_id, now)
    _persist(conn, before, outcome)
    return Committed(load_view(conn, notebook_id), outcome.records)


def decline(
    conn: Connection, notebook_id: str, actor: str, member_id: str, now: datetime
) -> Committed[NotebookView]:
    before = load_state(conn, notebook_id)
    outcome = rules.decline(before, actor, member_id, now)
    _persist(conn, before, outcome)
    return Committed(load_view(conn, notebook_id), outcome.records)


def pass_pen(
    conn: Connection, notebook_id: str, actor: str, now: datetime
) -> Committed[NotebookView]:
    before = load_state(conn, notebook_id)
    outcome = rules.pass_pen(before, actor, now)
    _persist(conn, before, outcome)
    return Committed(load_view(conn, notebook_id), outcome.records)


def append_entry(
    conn: Connection, notebook_id: str, actor: str, entry: Entry, now: datetime
) -> Committed[Appended]:
    before = load_state(conn, notebook_id)
    existing = reads.entry_row(conn, notebook_id, entry.id)
    if existing is not None:
        rules.require_member(before, actor)
        rules.check_entry_reuse(existing.device, entry.device)
        original = Appended(existing.seq, bytes(existing.hash), from_ms(existing.at), True)
        return Committed(original)
    outcome = rules.append_entry(before, actor, entry, now)
    _persist(conn, before, outcome)
    record = outcome.records[0]
    return Committed(Appended(record.seq, entry.hash, record.at), outcome.records)
