"""The notebook's rules: a pure state machine, no I/O and no clock (time is passed in).

One module per concept: commands (pairing, entries), pen, pauses, promises, agreements,
chapters (with mirror-before-reply) and membership (goodbye). Each command checks the rules
and returns an Outcome, or raises RuleViolation and leaves nothing behind.
"""

from unspoken.rules.agreements import Agreement, Signature
from unspoken.rules.commands import (
    append_entry,
    approve,
    check_entry_reuse,
    claim,
    create,
    decline,
    open_invite,
    revoke_invite,
    set_profile,
)
from unspoken.rules.guards import require_member, require_reader
from unspoken.rules.invites import Invite, check_claim
from unspoken.rules.outcome import Outcome
from unspoken.rules.pen import ask_for_pen, pass_pen, require_write, set_mode
from unspoken.rules.promises import Promise
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import Entry, Member, Mirror, NotebookState, Pause, Record, Sealed

__all__ = [
    "Agreement",
    "Entry",
    "Invite",
    "Member",
    "Mirror",
    "NotebookState",
    "Outcome",
    "Pause",
    "Promise",
    "Record",
    "Refusal",
    "RuleViolation",
    "Sealed",
    "Signature",
    "append_entry",
    "approve",
    "ask_for_pen",
    "check_claim",
    "check_entry_reuse",
    "claim",
    "create",
    "decline",
    "open_invite",
    "pass_pen",
    "require_member",
    "require_reader",
    "require_write",
    "revoke_invite",
    "set_mode",
    "set_profile",
]
