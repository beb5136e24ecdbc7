"""Key epochs: every new box is sealed in the notebook's current epoch, and a new epoch's keys
reach every remaining device (docs/protocol.md, "Key epochs")."""

from collections.abc import Collection, Iterator, Mapping
from dataclasses import replace
from datetime import datetime

from unspoken.protocol.box import epoch_of
from unspoken.protocol.encoding import b64decode
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.records import EPOCH_STARTED
from unspoken.rules.outcome import Outcome, log
from unspoken.rules.refusals import Refusal, RuleViolation
from unspoken.rules.state import NotebookState, Record


def stale(epoch: int) -> RuleViolation:
    return RuleViolation(Refusal.NEW_KEYS, {"epoch": epoch}, epoch=epoch)


def require_box_epoch(state: NotebookState, box: bytes) -> None:
    """A box sealed in any other epoch than the current one is refused."""
    try:
        sealed_in = epoch_of(box)
    except ProtocolError:
        sealed_in = -1
    if sealed_in != state.epoch:
        raise stale(state.epoch)


def _boxes(record: Record) -> Iterator[bytes]:
    """Every sealed box a record carries: an entry's, and any item's (`{…, "ct"}`)."""
    if record.entry is not None:
        yield record.entry.ct
    for value in record.extra.values():
        if isinstance(value, Mapping) and isinstance(value.get("ct"), str):
            yield b64decode(value["ct"])


def require_current_epoch(outcome: Outcome) -> None:
    """What a write logs must be sealed in the epoch the notebook is in after it."""
    for record in outcome.records:
        for box in _boxes(record):
            require_box_epoch(outcome.state, box)


def require_wraps(recipients: Collection[str], wrapped_for: Collection[str]) -> None:
    """A new epoch's key must be wrapped for each remaining device, once, and no other."""
    if len(wrapped_for) != len(set(wrapped_for)) or set(wrapped_for) != set(recipients):
        raise RuleViolation(Refusal.KEYS_FOR_EVERY_DEVICE, {"devices": sorted(recipients)})


def start(
    state: NotebookState, actor: str, device: str, epoch: int, reason: str, now: datetime
) -> Outcome:
    """Begin epoch `epoch` (the next one); the log says who began it and why."""
    if epoch != state.epoch + 1:
        raise RuleViolation(
            Refusal.NOT_THE_NEXT_EPOCH, {"epoch": state.epoch}, next=state.epoch + 1
        )
    renewed = replace(state, epoch=epoch, rekey_due=False)
    extra = {"device": device, "epoch": epoch, "reason": reason}
    return log(renewed, now, EPOCH_STARTED, actor, extra=extra)
