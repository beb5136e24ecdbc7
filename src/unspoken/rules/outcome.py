"""What a command leaves behind: the new state and the records it adds to the log."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from unspoken.rules.state import Entry, NotebookState, Record


@dataclass(frozen=True)
class Outcome:
    state: NotebookState
    records: tuple[Record, ...]


def log(
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


def then(first: Outcome, second: Outcome) -> Outcome:
    """Two outcomes in a row, the second computed from the first's state."""
    return Outcome(second.state, first.records + second.records)


def iso(at: datetime) -> str:
    """A time as the wire shows it (protocol.md): ISO 8601 UTC with milliseconds."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
