"""The notebook's rules: a pure state machine, no I/O and no clock (time is passed in)."""

from unspoken.rules.commands import (
    Outcome,
    append_entry,
    approve,
    check_entry_reuse,
    claim,
    create,
    decline,
    open_invite,
    pass_pen,
    require_member,
    require_reader,
    revoke_invite,
    set_profile,
)
from unspoken.rules.errors import RuleViolation
from unspoken.rules.invites import Invite, check_claim
from unspoken.rules.state import Entry, Member, NotebookState, Record

__all__ = [
    "Entry",
    "Invite",
    "Member",
    "NotebookState",
    "Outcome",
    "Record",
    "RuleViolation",
    "append_entry",
    "approve",
    "check_claim",
    "check_entry_reuse",
    "claim",
    "create",
    "decline",
    "open_invite",
    "pass_pen",
    "require_member",
    "require_reader",
    "revoke_invite",
    "set_profile",
]
