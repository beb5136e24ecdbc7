"""Loads the one rules file (shared with the browser) and compiles it for Python's `re`.

The file is data: regular expressions in a subset that Python and JavaScript read the same way,
`%name%` macros, guards and texts. Anchors are added here, not in the file, because the two
engines spell them differently (`\\Z` here, `$` in JavaScript without the `m` flag).
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from unspoken.gentle.finding import CATEGORIES, Category

Where = Literal["before", "prefix", "after", "group", "sentence", "window"]
_WHERES: tuple[Where, ...] = ("before", "prefix", "after", "group", "sentence", "window")
_MACRO = re.compile(r"%([a-z<>'_-]+)%")
_MAX_MACRO_DEPTH = 6
_SEEN_LIMIT = 50_000


def rules_path() -> Path:
    """The rules file inside the installed package, where the browser fetches it too."""
    return Path(str(files("unspoken") / "web" / "static" / "gentle" / "rules.json"))


@dataclass(frozen=True, slots=True)
class Guard:
    """A reason not to flag a match, tested against one piece of its context."""

    id: str
    where: Where
    regex: re.Pattern[str]
    question_only: bool

    def blocks(self, context: str, is_question: bool) -> bool:
        if self.question_only and not is_question:
            return False
        if self.where == "before":
            return self.regex.search(context) is not None
        if self.where == "prefix":
            return self.regex.fullmatch(context) is not None
        return self.regex.match(context) is not None


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str
    category: Category
    regex: re.Pattern[str]
    starts: tuple[str, ...]
    opening: bool
    guards: tuple[Guard, ...]
    rewrite: str | None


@dataclass(frozen=True, slots=True)
class Dispatch:
    """Which patterns may match at a word start, from the first few characters there.

    Answers are remembered per key: a writer reuses their words, so most keys repeat.
    """

    by_start: dict[str, tuple[int, ...]]
    prefixes: frozenset[str]
    key_length: int
    seen: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def patterns_at(self, key: str) -> tuple[int, ...]:
        ids = self.seen.get(key)
        if ids is None:
            if len(self.seen) > _SEEN_LIMIT:
                self.seen.clear()
            ids = self.seen[key] = self._lookup(key)
        return ids

    def _lookup(self, key: str) -> tuple[int, ...]:
        hits = []
        for n in range(1, len(key) + 1):
            head = key[:n]
            if head not in self.prefixes:  # no start begins this way: stop walking
                break
            if hit := self.by_start.get(head):
                hits.append(hit)
        if len(hits) == 1:
            return hits[0]
        return tuple(sorted({i for hit in hits for i in hit}))


def _dispatch(patterns: tuple[Pattern, ...]) -> Dispatch:
    by_start: dict[str, list[int]] = {}
    for i, pattern in enumerate(patterns):
        for start in pattern.starts:
            by_start.setdefault(start, []).append(i)
    prefixes = frozenset(start[:n] for start in by_start for n in range(1, len(start) + 1))
    key_length = max(len(start) for start in by_start)
    return Dispatch({k: tuple(v) for k, v in by_start.items()}, prefixes, key_length)


@dataclass(frozen=True, slots=True)
class CategoryText:
    label: str
    antidote: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class Rules:
    fold: dict[int, str]
    sentence: re.Pattern[str]
    quote: re.Pattern[str]
    question: re.Pattern[str]
    opening: re.Pattern[str]
    categories: dict[Category, CategoryText]
    patterns: tuple[Pattern, ...]
    dispatch: Dispatch


def expand(pattern: str, macros: dict[str, str]) -> str:
    """Replace `%name%` macros until none is left; nesting is allowed, unknown names are not."""
    for _ in range(_MAX_MACRO_DEPTH):
        expanded = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"macros nest deeper than {_MAX_MACRO_DEPTH}: {pattern[:60]}")


def _fold_table(fold: dict[str, str]) -> dict[int, str]:
    # ASCII-only lower-casing keeps every code point in place; the engines' `i` flags disagree
    # on a few letters (İ, ı, ſ, K), so case is folded here instead of by a flag.
    table = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for target, sources in fold.items():
        table.update({ord(source): target for source in sources})
    return table


def _guard(guard_id: str, raw: dict[str, Any], macros: dict[str, str]) -> Guard:
    where = raw["where"]
    if where not in _WHERES:
        raise ValueError(f"guard {guard_id}: unknown place {where!r}")
    source = expand(raw["pattern"], macros)
    if where == "before":
        source = f"(?:{source})\\Z"
    return Guard(guard_id, where, re.compile(source), bool(raw.get("question", False)))


def _pattern(raw: dict[str, Any], macros: dict[str, str], guards: dict[str, Guard]) -> Pattern:
    if raw["category"] not in CATEGORIES:
        raise ValueError(f"pattern {raw['id']}: unknown category {raw['category']!r}")
    return Pattern(
        id=raw["id"],
        category=raw["category"],
        regex=re.compile(expand(raw["pattern"], macros)),
        starts=tuple(raw["starts"]),
        opening=bool(raw.get("opening", False)),
        guards=tuple(guards[name] for name in raw["guards"]),
        rewrite=raw.get("rewrite"),
    )


def parse_rules(data: dict[str, Any]) -> Rules:
    macros: dict[str, str] = data["macros"]
    guards = {name: _guard(name, raw, macros) for name, raw in data["guards"].items()}
    categories = {
        name: CategoryText(text["label"], text["antidote"], text["suggestion"])
        for name, text in data["categories"].items()
    }
    patterns = tuple(_pattern(raw, macros, guards) for raw in data["patterns"])
    return Rules(
        fold=_fold_table(data["fold"]),
        sentence=re.compile(expand(data["sentence"], macros)),
        quote=re.compile(expand(data["quote"], macros)),
        question=re.compile(f"(?:{expand(data['question'], macros)})\\Z"),
        opening=re.compile(expand(data["opening"], macros)),
        categories=categories,
        patterns=patterns,
        dispatch=_dispatch(patterns),
    )


def read_rules(path: Path) -> Rules:
    return parse_rules(json.loads(path.read_text(encoding="utf-8")))


@cache
def default_rules() -> Rules:
    return read_rules(rules_path())
