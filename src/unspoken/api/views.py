"""How the server's dataclasses look on the wire (protocol.md, 'Notebook' and 'Records')."""

from datetime import UTC, datetime
from typing import Any

from unspoken.api.schemas import DeviceOut, Head, MemberOut, NotebookOut, ProfileOut
from unspoken.protocol.encoding import b64encode
from unspoken.rules import Record
from unspoken.store.base import MemberView, NotebookView


def iso(at: datetime) -> str:
    """ISO 8601 UTC with milliseconds, e.g. 2026-11-22T07:30:00.000Z."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _member(view: MemberView) -> MemberOut:
    profile = view.profile
    return MemberOut(
        id=view.member.id,
        role=view.member.role,
        state=view.member.state,
        joined_at=iso(view.joined_at),
        devices=[DeviceOut(id=d.id, key=b64encode(d.key)) for d in view.devices],
        profile=ProfileOut(
            device=profile.device, ct=b64encode(profile.ct), sig=b64encode(profile.sig)
        )
        if profile
        else None,
        key_mac=b64encode(view.key_mac) if view.key_mac is not None else None,
    )


def notebook_out(view: NotebookView, me: str) -> NotebookOut:
    state = view.state
    return NotebookOut(
        id=state.id,
        created_at=iso(view.created_at),
        sealed=state.sealed,
        me=me,
        mode=state.mode,
        pen=state.pen,
        chapter=state.chapter,
        head=Head(seq=state.head_seq, hash=b64encode(state.head_hash)),
        members=[_member(m) for m in view.members],
    )


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
