"""How a committed record travels: the JSON the broker carries, live streams send and the API
shows (protocol.md, 'Records')."""

from datetime import UTC, datetime
from typing import Any

from unspoken.protocol.encoding import b64encode
from unspoken.rules import Record


def iso(at: datetime) -> str:
    """ISO 8601 UTC with milliseconds, e.g. 2026-11-22T07:30:00.000Z."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def record_json(record: Record) -> dict[str, Any]:
    body: dict[str, Any] = {"seq": record.seq, "kind": record.kind, "at": iso(record.at)}
    body["member"] = record.member
    entry = record.entry
    if entry is not None:
        body |= {
            "id": entry.id,
            "chapter": entry.chapter,
            "device": entry.device,
            "prev": b64encode(entry.prev),
            "hash": b64encode(entry.hash),
            "ct": b64encode(entry.ct),
            "sig": b64encode(entry.sig),
        }
    return body | dict(record.extra)
