"""One function per command: check the rules, then return the new state and its records.

Every function is pure. A refusal raises RuleViolation and leaves nothing behind; a success
returns an Outcome whose records take the next sequence numbers, so `head_seq` always grows by
exactly the number of records.
"""

from dataclasses import replace
from datetime import datetime

from unspoken.protocol.chain import GENESIS
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.records import (
    MEMBER_APPROVED,
    MEMBER_DECLINED,
    MEMBER_JOINED,
    NOTEBOOK_CREATED,
    PROFILE_UPDATED,
)
from unspoken.rules.chapters import after_entry, check_mirror
from unspoken.rules.guards import require_member
from unspoken.rules.outcome import Outcome, log
from unspoken.rules.pen import require_write
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import Entry, Member, NotebookState

MAX_MEMBERS = 2


def _require_creator(state: NotebookState, member_id: str) -> Member:
    member = require_member(state, member_id)
    if member.role != "creator":
        raise RuleViolation(Refusal.CREATOR_ONLY)
    return member


def _require_pending(state: NotebookState, member_id: str) -> Member:
    target = state.member(member_id)
    if target is None:
        raise RuleViolation(Refusal.NO_MEMBER)
    if target.state != "pending":
        raise RuleViolation(Refusal.NOT_WAITING)
    return target


def create(notebook_id: str, creator_id: str, now: datetime) -> Outcome:
    """A new notebook: the creator is its only member and holds the pen."""
    state = NotebookState(
        id=notebook_id,
        sealed=False,
        mode="turns",
        pen=creator_id,
        chapter=1,
        head_seq=0,
        head_hash=GENESIS,
        members=(Member(creator_id, "creator", "active"),),
    )
    return log(state, now, NOTEBOOK_CREATED, creator_id)


def open_invite(state: NotebookState, actor: str) -> None:
    """Only the creator invites, only until the notebook is sealed, and never under a key a
    declined joiner has seen."""
    _require_creator(state, actor)
    if state.sealed:
        raise RuleViolation(Refusal.NOTEBOOK_SEALED)
    if state.rekey_due:
        raise RuleViolation(Refusal.NEW_KEYS_FIRST, {"epoch": state.epoch})


def revoke_invite(state: NotebookState, actor: str) -> None:
    _require_creator(state, actor)


def claim(state: NotebookState, member_id: str, now: datetime) -> Outcome:
    """A joiner takes the second place, pending until the creator approves."""
    if state.sealed or len(state.members) >= MAX_MEMBERS:
        raise RuleViolation(Refusal.NOTEBOOK_SEALED)
    if state.pending() is not None:
        raise RuleViolation(Refusal.SOMEONE_IS_WAITING)
    if state.member(member_id) is not None:
        raise RuleViolation(Refusal.MEMBER_ID_IN_USE)
    joined = state.with_member(Member(member_id, "partner", "pending"))
    return log(joined, now, MEMBER_JOINED, member_id)


def approve(state: NotebookState, actor: str, member_id: str, now: datetime) -> Outcome:
    """Letting the joiner in seals the notebook at two members."""
    _require_creator(state, actor)
    target = _require_pending(state, member_id)
    admitted = state.with_member(replace(target, state="active"))
    sealed = replace(admitted, sealed=len(admitted.active()) == MAX_MEMBERS)
    return log(sealed, now, MEMBER_APPROVED, member_id)


def decline(state: NotebookState, actor: str, member_id: str, now: datetime) -> Outcome:
    """Refusing the joiner frees the place for a new invite, once a new key epoch has begun:
    the joiner opened the invite bundle, and with it the notebook key."""
    _require_creator(state, actor)
    _require_pending(state, member_id)
    turned_away = replace(state.without_member(member_id), rekey_due=True)
    return log(turned_away, now, MEMBER_DECLINED, member_id)


def set_profile(state: NotebookState, actor: str, now: datetime) -> Outcome:
    """Any member, pending too, may (re)seal their name and hand."""
    require_member(state, actor)
    return log(state, now, PROFILE_UPDATED, actor)


def append_entry(state: NotebookState, actor: str, entry: Entry, now: datetime) -> Outcome:
    """An entry must be written with the pen, in the open chapter, on top of the head."""
    require_write(state, actor, now)
    check_mirror(state, actor, entry.mirror)
    if entry.chapter != state.chapter:
        raise RuleViolation(
            Refusal.WRONG_CHAPTER, {"chapter": state.chapter}, chapter=state.chapter
        )
    if entry.prev != state.head_hash:
        head = {"seq": state.head_seq, "hash": b64encode(state.head_hash)}
        raise RuleViolation(Refusal.NOT_ON_THE_LATEST_ENTRY, {"head": head})
    moved = after_entry(replace(state, head_hash=entry.hash), actor, entry.mirror)
    extra = {"mirror": True} if entry.mirror else None
    return log(moved, now, "entry", actor, entry=entry, extra=extra)


def check_entry_reuse(existing: tuple[str, bytes], sent: tuple[str, bytes]) -> None:
    """A reused entry id is a retry only when the same device sends the same entry again:
    (device, entry hash) of the stored one and of the one sent; anything else is refused."""
    if existing != sent:
        raise RuleViolation(Refusal.ENTRY_ID_IN_USE)
