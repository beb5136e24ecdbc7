"""Whether an invite can still be claimed with the claim a joiner presents."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from unspoken.rules.errors import RuleViolation

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
        raise RuleViolation(
            403, "Claim does not match", "This invite link is not complete or not correct."
        )
    if invite.state == "used":
        raise RuleViolation(410, "Invite used", "This invite has already been used.")
    if invite.state == "revoked":
        raise RuleViolation(410, "Invite revoked", "This invite was withdrawn by its creator.")
    if now >= invite.expires_at:
        raise RuleViolation(410, "Invite expired", "This invite has expired; ask for a new one.")
