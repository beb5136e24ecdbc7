"""Which wordless notice a committed record earns, and for whom. Pure: no I/O.

A notice names only its kind; the words, the names and even which record caused it stay out
of it, so a push service (or anyone holding the device's push keys) learns nothing more.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from unspoken.protocol import records
from unspoken.protocol.records import PAUSE_ENDED, PEN_PASSED
from unspoken.rules import Record

NoticeKind = Literal["new", "pen", "ready", "pause-ended"]
KINDS: tuple[NoticeKind, ...] = get_args(NoticeKind)

# What the partner did that is worth a look, "there is something new in your notebook", is
# marked `news` in the one file of record kinds (web/static/vocabulary/records.json).
NEWS = records.NEWS


@dataclass(frozen=True)
class Notice:
    """`kind` for `to` (a member id), or for every member but `not_to` when `to` is None."""

    kind: NoticeKind
    to: str | None = None
    not_to: str | None = None

    def reaches(self, member: str) -> bool:
        return member == self.to if self.to is not None else member != self.not_to


def _notice(record: Record) -> Notice | None:
    if record.kind == PEN_PASSED:
        return Notice("pen", to=str(record.extra.get("to")))
    if record.kind == PAUSE_ENDED:
        if record.extra.get("reason") == "ready":
            return Notice("ready", not_to=record.member)
        if record.extra.get("reason") == "left":  # the goodbye after it is the news
            return None
        return Notice("pause-ended")  # ran out: both may write again, both are told
    if record.kind in NEWS:
        return Notice("new", not_to=record.member)
    return None


def notices_for(records: Iterable[Record]) -> list[Notice]:
    """The notices one commit earns, in order, each (kind, audience) once."""
    found: list[Notice] = []
    for record in records:
        notice = _notice(record)
        if notice is not None and notice not in found:
            found.append(notice)
    return found
