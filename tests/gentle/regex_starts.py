"""Derives, from a regular expression, the literal strings any match must start with.

The rules file declares these as each pattern's `starts` so both engines try a pattern only
where it can match; this derivation (tests only: it reads Python's private regex parser) proves
a declaration is sound.
"""

import re._parser as sre  # the only parser of Python's own syntax (private, tests only)
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    BRANCH,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    SUBPATTERN,
)

MAX_BRANCHES = 64
MAX_LENGTH = 6


def literal_starts(pattern: str, length: int = MAX_LENGTH) -> set[str] | None:
    """Minimal literal prefixes covering every match, or None when a match may start anywhere.

    Prefixes are cut to `length` characters: shorter prefixes are still sound, and fewer.
    """
    prefixes, _ = _sequence(list(sre.parse(pattern)), {""})
    if prefixes is None or "" in prefixes:
        return None
    return minimal({p[:length] for p in prefixes})


def minimal(prefixes: set[str]) -> set[str]:
    return {p for p in prefixes if not any(q != p and p.startswith(q) for q in prefixes)}


def _sequence(items: list, current: set[str]) -> tuple[set[str] | None, bool]:
    """(prefixes, complete): complete means the whole sequence was literal and may continue."""
    for op, av in items:
        if op in (ASSERT, ASSERT_NOT):
            continue
        step, complete = _item(op, av)
        if step is None:
            return current, False
        if current != {""} and len(current) * len(step) > MAX_BRANCHES:
            return current, False  # stopping early is sound: shorter prefixes cover more
        current = {p + s for p in current for s in step}
        if not complete:
            return current, False
    return current, True


def _item(op: object, av: object) -> tuple[set[str] | None, bool]:
    if op is LITERAL:
        return {chr(av)}, True  # type: ignore[arg-type]
    if op is SUBPATTERN:
        return _sequence(list(av[-1]), {""})  # type: ignore[index]
    if op is BRANCH:
        return _branch(av[1])  # type: ignore[index]
    if op is IN and all(kind is LITERAL for kind, _ in av):  # type: ignore[attr-defined]
        return {chr(c) for _, c in av}, True  # type: ignore[attr-defined]
    if op in (MAX_REPEAT, MIN_REPEAT):
        return _repeat(av)  # type: ignore[arg-type]
    return None, False


def _repeat(av: tuple[int, int, list]) -> tuple[set[str] | None, bool]:
    low, high, body = av
    step, complete = _sequence(list(body), {""})
    if step is None:
        return None, False
    if low == 0 and high == 1:
        return step | {""}, complete
    return (step, False) if low >= 1 else (None, False)


def _branch(branches: list) -> tuple[set[str] | None, bool]:
    union: set[str] = set()
    complete = True
    for branch in branches:
        step, done = _sequence(list(branch), {""})
        if step is None:
            return None, False
        union |= step
        complete = complete and done
    return union, complete
