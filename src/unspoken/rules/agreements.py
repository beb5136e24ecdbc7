"""Mutual agreements ("Let's try."): one text, signed by both partners."""

from dataclasses import dataclass, replace
from datetime import datetime

from unspoken.protocol.encoding import b64encode
from unspoken.protocol.records import AGREEMENT_PROPOSED, AGREEMENT_SIGNED
from unspoken.rules.guards import require_partner, require_present, require_voice
from unspoken.rules.outcome import Outcome, log
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import NotebookState, Sealed


@dataclass(frozen=True)
class Signature:
    member: str
    device: str
    sig: bytes
    at: datetime


@dataclass(frozen=True)
class Agreement:
    id: str
    proposer: str
    text: Sealed
    proposed_at: datetime
    cosigned: Signature | None = None

    @property
    def state(self) -> str:
        return "agreed" if self.cosigned is not None else "proposed"


def propose(
    state: NotebookState, actor: str, text: Sealed, now: datetime
) -> tuple[Outcome, Agreement]:
    """The proposer's box signature is their signature on the agreement."""
    require_voice(state, actor, now)
    require_partner(state, actor)
    agreement = Agreement(text.id, actor, text, now)
    extra = {"agreement": text.id, "text": text.wire()}
    return log(state, now, AGREEMENT_PROPOSED, actor, extra=extra), agreement


def cosign(
    state: NotebookState,
    agreement: Agreement | None,
    actor: str,
    signature: tuple[str, bytes],
    now: datetime,
) -> tuple[Outcome, Agreement]:
    """The partner signs exactly what the proposer signed; then, and only then, it is agreed."""
    require_present(state, actor)
    if agreement is None:
        raise RuleViolation(Refusal.NO_AGREEMENT)
    if agreement.proposer == actor:
        raise RuleViolation(Refusal.YOUR_OWN_PROPOSAL)
    if agreement.cosigned is not None:
        raise RuleViolation(Refusal.ALREADY_AGREED)
    device, sig = signature
    signed = replace(agreement, cosigned=Signature(actor, device, sig, now))
    extra = {"agreement": agreement.id, "device": device, "sig": b64encode(sig)}
    return log(state, now, AGREEMENT_SIGNED, actor, extra=extra), signed
