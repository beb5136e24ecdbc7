"""Random sequences of every rule's actions, at random times, never break the invariants."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from unspoken.api.refusals import said
from unspoken.rules import (
    Agreement,
    NotebookState,
    Outcome,
    Promise,
    RuleViolation,
    Sealed,
    agreements,
    approve,
    chapters,
    claim,
    create,
    membership,
    pauses,
    pen,
    promises,
)
from unspoken.rules.commands import append_entry
from unspoken.rules.state import Entry

START = datetime(2026, 11, 22, tzinfo=UTC)
DAY = timedelta(hours=24)
BOX = Sealed("x", "dev", b"\x01", bytes(64))
ALLOWED = {
    "made": {"acknowledged", "withdrawn"},
    "acknowledged": {"kept", "broken", "released"},
    "kept": {"broken", "released"},
    "broken": {"kept", "released"},
}

ITEM_ACTIONS = frozenset({"promise", "agree", "ack", "withdraw", "mark", "cosign"})
who = st.sampled_from(["ella", "james", "mallory"])
actions = st.one_of(
    st.tuples(st.just("append"), who, st.booleans()),
    st.tuples(st.sampled_from(["pass", "pass", "ask", "ready", "here", "close", "expire"]), who),
    st.tuples(st.just("append"), who, st.booleans()),
    st.tuples(st.sampled_from(["leave", "ready", "here"]), who),
    st.tuples(st.just("mode"), who, st.sampled_from(["turns", "open"])),
    st.tuples(st.just("pause"), who, st.sampled_from([10, 20, 90, 1440, 2000])),
    st.tuples(st.just("chapter"), who, st.integers(0, 2), st.booleans()),
    st.tuples(st.just("answer"), who, st.sampled_from(["got-it", "more"])),
    st.tuples(st.sampled_from(["promise", "agree"]), who),
    st.tuples(st.sampled_from(["ack", "withdraw", "mark", "cosign"]), who, st.integers(0, 3)),
    st.tuples(st.sampled_from(["ack", "mark", "cosign"]), who, st.integers(0, 3)),
)
steps = st.lists(
    st.tuples(actions, st.sampled_from([0, 1, 5, 11, 25, 60, 600, 1500, 60 * 24 * 31])),
    max_size=50,
)


@dataclass
class World:
    state: NotebookState
    promises: list[Promise] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    voiced: dict[str, datetime] = field(default_factory=dict)  # last pause start/renewal


def _entry(state: NotebookState, mirror: bool) -> Entry:
    digest = (state.head_seq + 1).to_bytes(32, "big")
    return Entry(
        f"e{state.head_seq}",
        state.chapter,
        "d",
        state.head_hash,
        digest,
        b"\x01",
        bytes(64),
        mirror,
    )


def _pick(items: list[Any], index: object) -> Any:
    return items[int(str(index)) % len(items)] if items else None


def _simple(world: World, action: tuple[Any, ...], at: datetime) -> Outcome | None:
    name, *args = action
    s = world.state
    table: dict[str, Any] = {
        "append": lambda: append_entry(s, args[0], _entry(s, args[1]), at),
        "pass": lambda: pen.pass_pen(s, args[0], at),
        "ask": lambda: pen.ask_for_pen(s, args[0], at),
        "mode": lambda: pen.set_mode(s, args[0], args[1], at),
        "pause": lambda: pauses.pause(s, args[0], args[1], None, at),
        "here": lambda: pauses.be_here(s, args[0], None, at),
        "ready": lambda: pauses.ready(s, args[0], at),
        "expire": lambda: pauses.expire(s, at),  # the sweeper (its actor is ignored)
        "leave": lambda: membership.leave(s, args[0], at),
        "close": lambda: chapters.close_chapter(s, args[0], s.chapter, at),
        "chapter": lambda: chapters.new_chapter(
            s, args[0], (s.chapter + args[1], "turns" if args[2] else "open", args[2]), BOX, at
        ),
        "answer": lambda: chapters.answer_mirror(s, args[0], args[1], at),
    }
    result: Outcome | None = table[name]()
    return result


def _items(world: World, action: tuple[Any, ...], at: datetime) -> Outcome:
    name, actor, *rest = action
    s = world.state
    if name == "promise":
        outcome, made = promises.make(s, actor, BOX, at)
        world.promises.append(made)
        return outcome
    if name == "agree":
        outcome, proposed = agreements.propose(s, actor, BOX, at)
        world.agreements.append(proposed)
        return outcome
    if name == "cosign":
        found = _pick(world.agreements, rest[0])
        outcome, signed = agreements.cosign(s, found, actor, ("d", bytes(64)), at)
        assert signed.cosigned is not None and signed.cosigned.member != signed.proposer
        world.agreements[world.agreements.index(found)] = signed
        return outcome
    found = _pick(world.promises, rest[0])
    if name == "ack":
        outcome, changed = promises.acknowledge(s, found, actor, at)
    elif name == "withdraw":
        outcome, changed = promises.withdraw(s, found, actor, at)
    else:
        outcome, changed = promises.mark(s, found, actor, "kept", None, at)
    assert changed.state in ALLOWED[found.state]
    world.promises[world.promises.index(found)] = changed
    return outcome


def _check(world: World, before: NotebookState, outcome: Outcome, at: datetime) -> None:
    state = outcome.state
    seqs = [r.seq for r in outcome.records]
    assert seqs == list(range(before.head_seq + 1, before.head_seq + 1 + len(seqs)))
    assert state.head_seq == before.head_seq + len(seqs) and all(
        r.at == at for r in outcome.records
    )
    assert (state.mode == "turns") == (state.pen is not None)
    assert state.pen is None or state.member(state.pen) is not None
    if before.left():
        assert [r.kind for r in outcome.records] == ["member.left"]
    if any(r.kind == "entry" for r in outcome.records):
        assert before.chapter_state == "open"
    for record in outcome.records:
        if record.kind in ("pause.started", "pause.renewed"):
            world.voiced[record.member] = record.at
    if state.pause is not None:
        assert state.pause.until <= world.voiced[state.pause.by] + DAY
        assert state.pause.until - world.voiced[state.pause.by] >= timedelta(minutes=20)
    if state.mirror is not None:
        assert state.mirror.owed_by is None or state.mirror.awaiting is None


@settings(max_examples=300, deadline=None)
@given(steps)
def test_random_rule_sequences_keep_the_invariants(script: list[tuple[Any, int]]) -> None:
    state = approve(
        claim(create("nb", "ella", START).state, "james", START).state, "ella", "james", START
    ).state
    world, at = World(state), START
    for action, minutes in script:
        at += timedelta(minutes=minutes)
        before = world.state
        try:
            simple = action[0] not in ITEM_ACTIONS
            outcome = _simple(world, action, at) if simple else _items(world, action, at)
        except RuleViolation as refusal:
            words = said(refusal)
            assert 400 <= words.status < 500 and words.detail
            if words.title == "Partner asked for time":  # nobody silenced beyond a day
                assert before.pause is not None and at - world.voiced[before.pause.by] < DAY
            continue
        except (AttributeError, TypeError):
            assert action[0] in ("ack", "withdraw", "mark", "cosign")  # nothing to pick yet
            continue
        if outcome is None:  # the sweeper found no pause to end
            continue
        _check(world, before, outcome, at)
        world.state = outcome.state
