from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from unspoken.api.refusals import said
from unspoken.protocol.chain import GENESIS
from unspoken.rules import (
    Entry,
    Invite,
    NotebookState,
    RuleViolation,
    append_entry,
    approve,
    check_claim,
    check_entry_reuse,
    claim,
    create,
    decline,
    open_invite,
    pass_pen,
    require_reader,
    revoke_invite,
    set_profile,
)

NOW = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)


def entry(state: NotebookState, *, prev: bytes | None = None, chapter: int | None = None) -> Entry:
    digest = (state.head_seq + 1).to_bytes(32, "big")
    return Entry(
        id=f"entry-{state.head_seq}",
        chapter=state.chapter if chapter is None else chapter,
        device="dev",
        prev=state.head_hash if prev is None else prev,
        hash=digest,
        ct=b"\x01box",
        sig=bytes(64),
    )


def refused(status: int, fn: object, *args: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        fn(*args)  # type: ignore[operator]
    assert said(caught.value).status == status
    assert said(caught.value).detail
    return caught.value


@pytest.fixture
def fresh() -> NotebookState:
    return create("nb", "ella", NOW).state


@pytest.fixture
def sealed(fresh: NotebookState) -> NotebookState:
    joined = claim(fresh, "james", NOW).state
    return approve(joined, "ella", "james", NOW).state


def test_create_gives_the_creator_the_pen_and_one_record() -> None:
    outcome = create("nb", "ella", NOW)
    assert outcome.state.pen == "ella"
    assert outcome.state.chapter == 1
    assert outcome.state.head_hash == GENESIS
    assert not outcome.state.sealed
    assert [(r.seq, r.kind, r.member) for r in outcome.records] == [(1, "notebook.created", "ella")]


def test_claim_adds_a_pending_partner(fresh: NotebookState) -> None:
    outcome = claim(fresh, "james", NOW)
    james = outcome.state.member("james")
    assert james is not None and (james.role, james.state) == ("partner", "pending")
    assert outcome.records[0].kind == "member.joined"
    assert outcome.state.head_seq == 2


def test_claim_while_someone_is_pending_is_refused(fresh: NotebookState) -> None:
    pending = claim(fresh, "james", NOW).state
    refused(409, claim, pending, "mallory", NOW)


def test_claim_after_sealing_is_refused(sealed: NotebookState) -> None:
    assert sealed.sealed
    refused(409, claim, sealed, "mallory", NOW)


def test_only_the_creator_approves(fresh: NotebookState) -> None:
    pending = claim(fresh, "james", NOW).state
    refused(403, approve, pending, "james", "james", NOW)


def test_approving_someone_not_pending_is_refused(sealed: NotebookState) -> None:
    refused(409, approve, sealed, "ella", "james", NOW)
    refused(404, approve, sealed, "ella", "nobody", NOW)


def test_decline_frees_the_place(fresh: NotebookState) -> None:
    pending = claim(fresh, "james", NOW).state
    outcome = decline(pending, "ella", "james", NOW)
    assert outcome.state.member("james") is None
    assert outcome.records[0].kind == "member.declined"
    assert claim(outcome.state, "sam", NOW).state.member("sam") is not None


def test_invites_are_the_creators_until_sealing(
    fresh: NotebookState, sealed: NotebookState
) -> None:
    open_invite(fresh, "ella")
    refused(409, open_invite, sealed, "ella")
    refused(403, open_invite, sealed, "james")
    refused(403, revoke_invite, sealed, "james")


def test_pending_member_may_set_a_profile_but_not_read(fresh: NotebookState) -> None:
    pending = claim(fresh, "james", NOW).state
    outcome = set_profile(pending, "james", NOW)
    assert outcome.records[0].kind == "profile.updated"
    james = pending.member("james")
    assert james is not None
    refused(403, require_reader, james)


def test_append_moves_the_head(sealed: NotebookState) -> None:
    new = entry(sealed)
    outcome = append_entry(sealed, "ella", new, NOW)
    assert outcome.state.head_hash == new.hash
    assert outcome.state.head_seq == sealed.head_seq + 1
    assert outcome.records[0].entry == new


def test_append_without_the_pen_is_refused_with_the_pen(sealed: NotebookState) -> None:
    error = refused(409, append_entry, sealed, "james", entry(sealed), NOW)
    assert error.extra == {"pen": "ella"}


def test_append_on_an_old_head_is_refused_with_the_head(sealed: NotebookState) -> None:
    error = refused(409, append_entry, sealed, "ella", entry(sealed, prev=b"\x07" * 32), NOW)
    assert error.extra["head"]["seq"] == sealed.head_seq


def test_append_outside_the_open_chapter_is_refused(sealed: NotebookState) -> None:
    refused(409, append_entry, sealed, "ella", entry(sealed, chapter=2), NOW)


def test_pending_member_cannot_append(fresh: NotebookState) -> None:
    pending = claim(fresh, "james", NOW).state
    refused(403, append_entry, replace(pending, pen="james"), "james", entry(pending), NOW)


def test_open_mode_lets_both_write(sealed: NotebookState) -> None:
    open_mode = replace(sealed, mode="open")
    assert append_entry(open_mode, "james", entry(open_mode), NOW).state.head_seq > 0
    refused(409, pass_pen, open_mode, "ella", NOW)


def test_pass_pen_hands_it_to_the_partner(sealed: NotebookState) -> None:
    outcome = pass_pen(sealed, "ella", NOW)
    assert outcome.state.pen == "james"
    assert outcome.records[0].extra == {"to": "james", "chapter": 1}
    refused(409, pass_pen, outcome.state, "ella", NOW)


def test_pass_pen_needs_an_active_partner(fresh: NotebookState) -> None:
    refused(409, pass_pen, fresh, "ella", NOW)
    refused(409, pass_pen, claim(fresh, "james", NOW).state, "ella", NOW)


def test_entry_reuse_from_another_device_or_with_other_content_is_refused() -> None:
    check_entry_reuse(("dev", b"hash"), ("dev", b"hash"))  # a retry
    refused(409, check_entry_reuse, ("dev", b"hash"), ("other", b"hash"))
    refused(409, check_entry_reuse, ("dev", b"hash"), ("dev", b"other content"))


@pytest.mark.parametrize(
    ("state", "claim_bytes", "at", "status"),
    [
        ("open", b"wrong", NOW, 403),
        ("used", b"right", NOW, 410),
        ("revoked", b"right", NOW, 410),
        ("open", b"right", NOW + timedelta(hours=24), 410),
    ],
)
def test_claims_that_do_not_fit_the_invite_are_refused(
    state: str, claim_bytes: bytes, at: datetime, status: int
) -> None:
    import hashlib

    invite = Invite(
        "inv", "nb", hashlib.sha256(b"right").digest(), NOW + timedelta(hours=24), "open"
    )
    check_claim(invite, b"right", NOW)
    refused(status, check_claim, replace(invite, state=state), claim_bytes, at)
