"""Mutual agreements ("Let's try."): one text, signed by both partners.

Until both have signed, the partner who did not propose the current words may say "not yet"
(once for those words, with an optional sealed note), and either partner may propose other
words: they replace the text, the reviser becomes its proposer (their box signature is their
signature, as with a proposal) and every other signature and "not yet" is cleared.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from unspoken.protocol.encoding import b64encode
from unspoken.protocol.records import (
    AGREEMENT_DECLINED,
    AGREEMENT_PROPOSED,
    AGREEMENT_REVISED,
    AGREEMENT_SIGNED,
)
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
    not_yet_at: datetime | None = None  # when the partner said "not yet" to the current words

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
    words: str | None = None,
) -> tuple[Outcome, Agreement]:
    """The partner signs exactly what the proposer signed; then, and only then, it is agreed.
    `words`: the id of the text the signature is over, refused if other words replaced it."""
    require_present(state, actor)
    if agreement is None:
        raise RuleViolation(Refusal.NO_AGREEMENT)
    if agreement.proposer == actor:
        raise RuleViolation(Refusal.YOUR_OWN_PROPOSAL)
    if agreement.cosigned is not None:
        raise RuleViolation(Refusal.ALREADY_AGREED)
    if words is not None and words != agreement.text.id:
        raise RuleViolation(Refusal.WORDS_CHANGED)
    device, sig = signature
    signed = replace(agreement, cosigned=Signature(actor, device, sig, now))
    extra = {"agreement": agreement.id, "device": device, "sig": b64encode(sig)}
    return log(state, now, AGREEMENT_SIGNED, actor, extra=extra), signed


def _open(agreement: Agreement | None) -> Agreement:
    if agreement is None:
        raise RuleViolation(Refusal.NO_AGREEMENT)
    if agreement.cosigned is not None:
        raise RuleViolation(Refusal.ALREADY_AGREED)
    return agreement


def not_yet(
    state: NotebookState,
    agreement: Agreement | None,
    actor: str,
    note: Sealed | None,
    now: datetime,
) -> tuple[Outcome, Agreement]:
    """The partner who did not propose these words is not ready to sign them; it stays open."""
    require_present(state, actor)
    found = _open(agreement)
    if found.proposer == actor:
        raise RuleViolation(Refusal.YOUR_OWN_WORDS)
    if found.not_yet_at is not None:
        raise RuleViolation(Refusal.ALREADY_SAID_NOT_YET)
    extra = {"agreement": found.id, "note": note.wire() if note else None}
    outcome = log(state, now, AGREEMENT_DECLINED, actor, extra=extra)
    return outcome, replace(found, not_yet_at=now)


def revise(
    state: NotebookState, agreement: Agreement | None, actor: str, text: Sealed, now: datetime
) -> tuple[Outcome, Agreement]:
    """Other words, from either partner, replace the text; both must sign again (the reviser's
    box signature is theirs, so the partner's signature completes it)."""
    require_voice(state, actor, now)
    require_partner(state, actor)
    found = _open(agreement)
    if text.id == found.id or text.id == found.text.id:
        raise RuleViolation(Refusal.AGREEMENT_ID_IN_USE)
    revised = Agreement(found.id, actor, text, now)
    extra = {"agreement": found.id, "text": text.wire()}
    return log(state, now, AGREEMENT_REVISED, actor, extra=extra), revised
