"""Write transactions for a notebook's life: creating it, inviting and letting in the partner,
profiles, the pen, entries, any rule on its state, and erasing it.

Each function runs inside a transaction (or savepoint) its caller opened (store/work.py): it
loads the notebook's state, asks the pure rules, then persists the new state and the records
(store/persist.py). A raised RuleViolation rolls back everything the function did.
"""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, delete, update

from unspoken import rules
from unspoken.rules import Entry, NotebookState, Outcome, Refusal, RuleViolation
from unspoken.rules.epochs import require_box_epoch
from unspoken.rules.membership import due_for_erasure
from unspoken.store import chapter_rows, reads
from unspoken.store.base import Appended, Claimed, NewDevice, NewInvite, NotebookView, Profile
from unspoken.store.persist import add_device, load_state, load_view, member_row, persist
from unspoken.store.rows import from_ms, to_ms
from unspoken.store.tables import (
    agreements,
    chapters,
    device_links,
    devices,
    epoch_keys,
    invites,
    members,
    notebooks,
    promises,
    push_subscriptions,
    records,
)
from unspoken.store.work import Committed

Rule = Callable[[NotebookState], Outcome]


def _save_profile(conn: Connection, notebook_id: str, member_id: str, profile: Profile) -> None:
    conn.execute(
        member_row(notebook_id, member_id).values(
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
    persist(conn, None, outcome)
    chapter_rows.insert_first(conn, notebook_id, member_id, now)
    add_device(conn, notebook_id, member_id, device, now)
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
            greeting=invite.greeting,
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
    persist(conn, before, outcome)
    conn.execute(member_row(invite.notebook_id, member_id).values(key_mac=key_mac))
    add_device(conn, invite.notebook_id, member_id, device, now)
    query = update(invites).where(
        invites.c.notebook_id == invite.notebook_id, invites.c.id == invite_id
    )
    conn.execute(query.values(state="used"))
    claimed = Claimed(invite.notebook_id, reads.invite_bundle(conn, invite_id))
    return Committed(claimed, outcome.records, invite.notebook_id)


def set_profile(
    conn: Connection, notebook_id: str, actor: str, profile: Profile, now: datetime
) -> Committed[None]:
    before = load_state(conn, notebook_id)
    outcome = rules.set_profile(before, actor, now)
    require_box_epoch(before, profile.ct)
    persist(conn, before, outcome)
    _save_profile(conn, notebook_id, actor, profile)
    return Committed(None, outcome.records)


def approve(
    conn: Connection, notebook_id: str, actor: str, member_id: str, now: datetime
) -> Committed[NotebookView]:
    before = load_state(conn, notebook_id)
    outcome = rules.approve(before, actor, member_id, now)
    persist(conn, before, outcome)
    return Committed(load_view(conn, notebook_id), outcome.records)


def decline(
    conn: Connection, notebook_id: str, actor: str, member_id: str, now: datetime
) -> Committed[NotebookView]:
    before = load_state(conn, notebook_id)
    outcome = rules.decline(before, actor, member_id, now)
    persist(conn, before, outcome)
    return Committed(load_view(conn, notebook_id), outcome.records)


def append_entry(
    conn: Connection, notebook_id: str, actor: str, entry: Entry, now: datetime
) -> Committed[Appended]:
    before = load_state(conn, notebook_id)
    existing = reads.entry_row(conn, notebook_id, entry.id)
    if existing is not None:
        rules.require_member(before, actor)
        rules.check_entry_reuse((existing.device, bytes(existing.hash)), (entry.device, entry.hash))
        original = Appended(existing.seq, bytes(existing.hash), from_ms(existing.at), True)
        return Committed(original)
    outcome = rules.append_entry(before, actor, entry, now)
    persist(conn, before, outcome)
    record = outcome.records[0]
    return Committed(Appended(record.seq, entry.hash, record.at), outcome.records)


def apply(conn: Connection, notebook_id: str, rule: Rule) -> Committed[NotebookView | None]:
    """Run one rule on the notebook; the answer is the notebook afterwards (None once erased)."""
    before = load_state(conn, notebook_id)
    outcome = rule(before)
    persist(conn, before, outcome)
    if due_for_erasure(outcome.state, outcome.records[-1].at):
        erase(conn, notebook_id)
        return Committed(None, outcome.records)
    return Committed(load_view(conn, notebook_id), outcome.records)


def erase(conn: Connection, notebook_id: str) -> None:
    """Delete every row of one notebook, children first (foreign keys)."""
    children = (
        records,
        invites,
        push_subscriptions,
        device_links,
        epoch_keys,
        devices,
        chapters,
        promises,
        agreements,
    )
    for table in (*children, members):
        conn.execute(delete(table).where(table.c.notebook_id == notebook_id))
    conn.execute(delete(notebooks).where(notebooks.c.id == notebook_id))
