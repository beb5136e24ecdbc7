"""Whether an invite can still be claimed with the claim a joiner presents."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from unspoken.rules.refusals import Refusal, RuleViolation

InviteState = Literal["open", "used", "revoked"]


@dataclass(frozen=True)
class Invite:
    id: str
    notebook_id: str
    claim_hash: bytes
    expires_at: datetime
    state: InviteState


def check_claim(invite: Invite, claim: bytes, now: datetime) -> None:
    """A claim must match the invite's hash, and the invite must be open and unexpired."""
    if not hmac.compare_digest(hashlib.sha256(claim).digest(), invite.claim_hash):
        raise RuleViolation(Refusal.CLAIM_DOES_NOT_MATCH)
    if invite.state == "used":
        raise RuleViolation(Refusal.INVITE_USED)
    if invite.state == "revoked":
        raise RuleViolation(Refusal.INVITE_REVOKED)
    if now >= invite.expires_at:
        raise RuleViolation(Refusal.INVITE_EXPIRED)
