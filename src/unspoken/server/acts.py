"""Signed acts on the server (protocol v2): a request that acts carries its device's signature
over each act it makes (the `Unspoken-Act` header, `protocol.acts.Claim`). The rule runs as
ever; each record it adds that a partner acts in must then be exactly what that device signed,
or nothing is written. The act is kept in the record, for the partner's device to check again.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from unspoken.protocol.acts import Act, Claim, act_fields, verify_act
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.errors import ProtocolError
from unspoken.rules import NotebookState, Outcome, Record, Refusal, RuleViolation

T = TypeVar("T")
U = TypeVar("U")


def parse(header: str | None) -> Claim | None:
    """The claim of an `Unspoken-Act` header (None when there is none); 428 when malformed."""
    if header is None:
        return None
    try:
        return Claim.parse(header)
    except ProtocolError as exc:
        raise RuleViolation(Refusal.ACT_MALFORMED) from exc


@dataclass(frozen=True)
class Acting:
    """Who acts (member, device and its public key) in which notebook, and what they signed."""

    notebook_id: str
    member_id: str
    device_id: str
    public_key: bytes
    claim: Claim | None

    def outcome(self, before: NotebookState, outcome: Outcome) -> Outcome:
        """`outcome` with each of the actor's act records carrying its checked signature."""
        sigs = list(self.claim.sigs) if self.claim is not None else []
        records: list[Record] = []
        for record in outcome.records:
            fields = act_fields(record.kind, record.extra)
            if fields is None or record.member != self.member_id:
                records.append(record)
                continue
            if self.claim is None:
                raise RuleViolation(Refusal.ACT_UNSIGNED)
            if not sigs or self.claim.seen.seq > before.head_seq:
                raise RuleViolation(Refusal.ACT_MISMATCH)
            sig = sigs.pop(0)
            act = Act(
                self.notebook_id,
                record.kind,
                self.member_id,
                self.device_id,
                *fields,
                self.claim.seen,
            )
            try:
                verify_act(self.public_key, act, sig)
            except ProtocolError as exc:
                raise RuleViolation(Refusal.ACT_MISMATCH) from exc
            signed = {
                "device": self.device_id,
                "seen": act.seen.seq,
                "digest": b64encode(act.seen.digest),
                "sig": b64encode(sig),
            }
            records.append(replace(record, extra={**record.extra, "act": signed}))
        if sigs:  # signed more than the request did
            raise RuleViolation(Refusal.ACT_MISMATCH)
        return Outcome(outcome.state, tuple(records))

    def rule(self, rule: Callable[[NotebookState], Outcome]) -> Callable[[NotebookState], Outcome]:
        return lambda state: self.outcome(state, rule(state))

    def rule_with(
        self, rule: Callable[[NotebookState], tuple[Outcome, T]]
    ) -> Callable[[NotebookState], tuple[Outcome, T]]:
        """For the rules that answer (outcome, what they made): a promise, an agreement."""

        def run(state: NotebookState) -> tuple[Outcome, T]:
            outcome, made = rule(state)
            return self.outcome(state, outcome), made

        return run

    def rule_on(
        self, rule: Callable[[NotebookState, U], tuple[Outcome, T]]
    ) -> Callable[[NotebookState, U], tuple[Outcome, T]]:
        """For the rules on one promise or agreement of the notebook."""

        def run(state: NotebookState, found: U) -> tuple[Outcome, T]:
            outcome, made = rule(state, found)
            return self.outcome(state, outcome), made

        return run
