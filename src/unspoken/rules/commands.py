"""One function per command: check the rules, then return the new state and its records.

Every function is pure. A refusal raises RuleViolation and leaves nothing behind; a success
returns an Outcome whose records take the next sequence numbers, so `head_seq` always grows by
exactly the number of records.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from unspoken.protocol.chain import GENESIS
from unspoken.protocol.encoding import b64encode
from unspoken.rules.errors import RuleViolation
from unspoken.rules.state import Entry, Member, NotebookState, Record

MAX_MEMBERS = 2


@dataclass(frozen=True)
class Outcome:
    state: NotebookState
    records: tuple[Record, ...]


def _log(
    state: NotebookState,
    at: datetime,
    kind: str,
    member: str,
    entry: Entry | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Outcome:
    """Append one record to the log of an already-updated state."""
    record = Record(state.head_seq + 1, kind, at, member, entry, dict(extra or {}))
    return Outcome(replace(state, head_seq=record.seq), (record,))


def require_member(state: NotebookState, member_id: str) -> Member:
    member = state.member(member_id)
    if member is None:
        raise RuleViolation(404, "Not found", "There is no such notebook.")
    return member


def require_reader(member: Member) -> Member:
    """Only active members read or write; a pending joiner waits for approval."""
    if member.state != "active":
        raise RuleViolation(
            403, "Waiting for approval", "You can read and write once you have been let in."
        )
    return member


def _require_creator(state: NotebookState, member_id: str) -> Member:
    member = require_member(state, member_id)
    if member.role != "creator":
        raise RuleViolation(403, "Creator only", "Only the notebook's creator can do this.")
    return member


def _require_pending(state: NotebookState, member_id: str) -> Member:
    target = state.member(member_id)
    if target is None:
        raise RuleViolation(404, "Not found", "There is no such member in this notebook.")
    if target.state != "pending":
        raise RuleViolation(409, "Not waiting", "This member is not waiting to be let in.")
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
    return _log(state, now, "notebook.created", creator_id)


def open_invite(state: NotebookState, actor: str) -> None:
    """Only the creator invites, and only until the notebook is sealed."""
    _require_creator(state, actor)
    if state.sealed:
        raise RuleViolation(
            409, "Notebook sealed", "This notebook is already sealed at two members."
        )


def revoke_invite(state: NotebookState, actor: str) -> None:
    _require_creator(state, actor)


def claim(state: NotebookState, member_id: str, now: datetime) -> Outcome:
    """A joiner takes the second place, pending until the creator approves."""
    if state.sealed or len(state.members) >= MAX_MEMBERS:
        raise RuleViolation(
            409, "Notebook sealed", "This notebook is already sealed at two members."
        )
    if state.pending() is not None:
        raise RuleViolation(
            409, "Someone is waiting", "Someone else is already waiting to be let in."
        )
    if state.member(member_id) is not None:
        raise RuleViolation(409, "Id in use", "This member id is already used in this notebook.")
    joined = state.with_member(Member(member_id, "partner", "pending"))
    return _log(joined, now, "member.joined", member_id)


def approve(state: NotebookState, actor: str, member_id: str, now: datetime) -> Outcome:
    """Letting the joiner in seals the notebook at two members."""
    _require_creator(state, actor)
    target = _require_pending(state, member_id)
    admitted = state.with_member(replace(target, state="active"))
    sealed = replace(admitted, sealed=len(admitted.active()) == MAX_MEMBERS)
    return _log(sealed, now, "member.approved", member_id)


def decline(state: NotebookState, actor: str, member_id: str, now: datetime) -> Outcome:
    """Refusing the joiner frees the place for a new invite."""
    _require_creator(state, actor)
    _require_pending(state, member_id)
    return _log(state.without_member(member_id), now, "member.declined", member_id)


def set_profile(state: NotebookState, actor: str, now: datetime) -> Outcome:
    """Any member, pending too, may (re)seal their name and hand."""
    require_member(state, actor)
    return _log(state, now, "profile.updated", actor)


def _require_pen(state: NotebookState, actor: str) -> None:
    if state.mode == "turns" and state.pen != actor:
        raise RuleViolation(
            409, "Not your turn", "Your partner holds the pen right now.", {"pen": state.pen}
        )


def append_entry(state: NotebookState, actor: str, entry: Entry, now: datetime) -> Outcome:
    """An entry must be written with the pen, in the open chapter, on top of the head."""
    require_reader(require_member(state, actor))
    _require_pen(state, actor)
    if entry.chapter != state.chapter:
        raise RuleViolation(
            409,
            "Wrong chapter",
            f"Entries go into chapter {state.chapter}, the open chapter.",
            {"chapter": state.chapter},
        )
    if entry.prev != state.head_hash:
        head = {"seq": state.head_seq, "hash": b64encode(state.head_hash)}
        raise RuleViolation(
            409,
            "Not on the latest entry",
            "Something new was written first; seal the entry on top of the current head.",
            {"head": head},
        )
    moved = replace(state, head_hash=entry.hash)
    return _log(moved, now, "entry", actor, entry=entry)


def check_entry_reuse(existing_device: str, device: str) -> None:
    """A reused entry id is a retry only when the same device sends it again."""
    if existing_device != device:
        raise RuleViolation(409, "Id in use", "This entry id is already used in this notebook.")


def pass_pen(state: NotebookState, actor: str, now: datetime) -> Outcome:
    """The pen holder hands the pen to the other active member."""
    require_reader(require_member(state, actor))
    if state.mode != "turns":
        raise RuleViolation(409, "No pen", "In open mode nobody holds the pen.")
    _require_pen(state, actor)
    partner = next((m for m in state.active() if m.id != actor), None)
    if partner is None:
        raise RuleViolation(
            409, "No partner yet", "There is nobody to pass the pen to until your partner joins."
        )
    passed = replace(state, pen=partner.id)
    return _log(passed, now, "pen.passed", actor, extra={"to": partner.id})
