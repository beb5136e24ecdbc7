"""How the server's dataclasses look on the wire (protocol.md, 'Notebook' and 'Records')."""

from datetime import datetime
from typing import Any

from unspoken.api.schemas import (
    ChapterOut,
    DeviceOut,
    ExchangeKeyOut,
    Head,
    ItemOut,
    MemberOut,
    MirrorOut,
    NotebookOut,
    PauseOut,
    ProfileOut,
)
from unspoken.protocol.encoding import b64encode
from unspoken.rules import NotebookState, Sealed
from unspoken.rules.membership import erase_at
from unspoken.server.reads import ChapterView, DeviceView, MemberView, NotebookView
from unspoken.server.wire import iso


def maybe_iso(at: datetime | None) -> str | None:
    return None if at is None else iso(at)


def item_out(sealed: Sealed) -> ItemOut:
    return ItemOut(**sealed.wire())


def _chapter(view: ChapterView) -> ChapterOut:
    return ChapterOut(
        n=view.n,
        state="closed" if view.state == "closed" else "open",
        mode="open" if view.mode == "open" else "turns",
        mirror=view.mirror,
        opened_at=iso(view.opened_at),
        opened_by=view.opened_by,
        closed_at=maybe_iso(view.closed_at),
        meta=item_out(view.meta) if view.meta else None,
    )


def _rules(view: NotebookView) -> dict[str, Any]:
    """The rules' part of the notebook: pause, mirror, chapters, goodbyes."""
    state: NotebookState = view.state
    pause, mirror = state.pause, state.mirror
    return {
        "chapter_state": state.chapter_state,
        "pause": PauseOut(
            by=pause.by, since=iso(pause.since), until=iso(pause.until), here=pause.here
        )
        if pause
        else None,
        "mirror": MirrorOut(owed_by=mirror.owed_by, awaiting=mirror.awaiting) if mirror else None,
        "chapters": [_chapter(c) for c in view.chapters],
        "left": [m.id for m in state.left()],
        "erase_at": maybe_iso(erase_at(state)),
    }


def device_out(view: DeviceView) -> DeviceOut:
    exchange = None
    if view.exchange_key is not None and view.exchange_sig is not None:
        key, sig = b64encode(view.exchange_key), b64encode(view.exchange_sig)
        exchange = ExchangeKeyOut(key=key, sig=sig)
    cert = b64encode(view.cert) if view.cert is not None else None
    return DeviceOut(
        id=view.id,
        key=b64encode(view.key),
        exchange_key=exchange,
        added_by=view.added_by,
        cert=cert,
    )


def _member(view: MemberView) -> MemberOut:
    profile = view.profile
    return MemberOut(
        id=view.member.id,
        role=view.member.role,
        state=view.member.state,
        joined_at=iso(view.joined_at),
        devices=[device_out(d) for d in view.devices],
        profile=ProfileOut(
            device=profile.device, ct=b64encode(profile.ct), sig=b64encode(profile.sig)
        )
        if profile
        else None,
        key_mac=b64encode(view.key_mac) if view.key_mac is not None else None,
        left_at=maybe_iso(view.member.left_at),
        knocked_at=maybe_iso(view.member.knocked_at),
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
        epoch=state.epoch,
        **_rules(view),
    )
