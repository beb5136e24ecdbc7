"""Random command sequences never break the notebook's invariants."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from unspoken.api.refusals import said
from unspoken.rules import (
    Entry,
    NotebookState,
    Outcome,
    RuleViolation,
    append_entry,
    approve,
    claim,
    create,
    decline,
    pass_pen,
    set_profile,
)

START = datetime(2026, 11, 22, tzinfo=UTC)
PEOPLE = ["ella", "james", "sam", "mallory"]

person = st.sampled_from(PEOPLE)
commands = st.lists(
    st.one_of(
        st.tuples(st.just("claim"), person),
        st.tuples(st.just("approve"), person, person),
        st.tuples(st.just("decline"), person, person),
        st.tuples(st.just("profile"), person),
        st.tuples(st.just("append"), person, st.booleans(), st.booleans()),
        st.tuples(st.just("pass"), person),
    ),
    max_size=40,
)


def _apply(state: NotebookState, command: tuple[object, ...], at: datetime) -> Outcome:
    name, *args = command
    if name == "claim":
        return claim(state, str(args[0]), at)
    if name in ("approve", "decline"):
        fn = approve if name == "approve" else decline
        return fn(state, str(args[0]), str(args[1]), at)
    if name == "profile":
        return set_profile(state, str(args[0]), at)
    if name == "append":
        actor, good_prev, good_chapter = args
        entry = Entry(
            id=f"e{state.head_seq}",
            chapter=state.chapter if good_chapter else state.chapter + 1,
            device=str(actor),
            prev=state.head_hash if good_prev else b"\xff" * 32,
            hash=state.head_seq.to_bytes(32, "big"),
            ct=b"\x01",
            sig=bytes(64),
        )
        return append_entry(state, str(actor), entry, at)
    return pass_pen(state, str(args[0]), at)


def _check_invariants(state: NotebookState) -> None:
    assert len(state.members) <= 2
    assert len({m.id for m in state.members}) == len(state.members)
    assert sum(m.role == "creator" for m in state.members) == 1
    if state.sealed:
        assert len(state.active()) == 2
    holder = state.member(state.pen or "")
    assert holder is not None and holder.state == "active"


@settings(max_examples=300, deadline=None)
@given(commands)
def test_random_command_sequences_keep_the_invariants(script: list[tuple[object, ...]]) -> None:
    outcome = create("nb", "ella", START)
    state = outcome.state
    for step, command in enumerate(script):
        at = START + timedelta(seconds=step)
        try:
            outcome = _apply(state, command, at)
        except RuleViolation as refusal:
            assert 400 <= said(refusal).status < 500 and said(refusal).detail
            continue
        seqs = [r.seq for r in outcome.records]
        assert seqs == list(range(state.head_seq + 1, state.head_seq + 1 + len(seqs)))
        assert outcome.state.head_seq == state.head_seq + len(seqs) > state.head_seq
        assert all(r.at == at for r in outcome.records)
        state = outcome.state
        _check_invariants(state)
    was_sealed = state.sealed
    assert not was_sealed or len(state.members) == 2
