"""Server-Sent Events on the wire: a record is encoded once, whatever the number of streams."""

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

# A comment line keeps proxies from closing an idle stream. Without a blank line after it: a
# blank line ends an event, and some readers (httpx-sse) then hand out an empty event carrying
# the last id, which a client counting events would take for a repeat.
PING = b": ping\n"


class Frame(NamedTuple):
    """One event, ready to send. `seq` is None for a draft frame: it is not in the log."""

    seq: int | None
    kind: str
    member: str | None
    data: bytes
    device: str | None = None  # the device a `device.revoked` record names


def _json(body: Mapping[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"))  # compact JSON never holds a raw newline


def record_frame(record: Mapping[str, Any]) -> Frame:
    """`id: <seq>`, `event: <kind>`, `data: <record JSON>` (protocol.md, 'Live stream')."""
    seq, kind = record["seq"], record["kind"]
    data = f"id: {seq}\nevent: {kind}\ndata: {_json(record)}\n\n".encode()
    return Frame(seq, kind, record.get("member"), data, record.get("device"))


# What is relayed live and never stored: a draft as it forms, a partner's read position.
LIVE_KINDS = frozenset({"draft", "seen"})


def draft_frame(frame: Mapping[str, Any]) -> Frame:
    """A live frame (a draft's, a read position) has no id: it is not in the log, not counted
    in seq, never replayed. Its event is its kind."""
    kind = frame.get("kind", "draft")
    if kind not in LIVE_KINDS:
        kind = "draft"
    data = f"event: {kind}\ndata: {_json(frame)}\n\n".encode()
    return Frame(None, kind, frame.get("member"), data)
