"""The check itself: find pattern matches in the folded draft, drop the guarded ones.

A pattern is tried only at word starts where one of its declared `starts` begins, and its
matches do not overlap one another (like `finditer`). Trying all 80 patterns at every
character costs milliseconds; this costs a few hundred microseconds. The same steps, in the
same order, are in static/js/gentle/check.js; shared vectors keep the two honest.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from unspoken.gentle.finding import Finding
from unspoken.gentle.rules import Pattern, Rules, default_rules

_TRAILING = " ,"
# A zero-width match at each word start, capturing the characters that follow it.
_WORD_START = r"(?<![a-z0-9'])(?=([a-z0-9][^\n]{0,%d}))"


@dataclass(frozen=True, slots=True)
class _Draft:
    folded: str
    sentences: list[tuple[int, int]]
    starts: list[int]
    quotes: list[tuple[int, int]]

    def sentence_at(self, index: int) -> int | None:
        i = bisect_right(self.starts, index) - 1
        if i >= 0 and index < self.sentences[i][1]:
            return i
        return None

    def quoted(self, start: int, end: int) -> bool:
        return any(q_start <= start and end <= q_end for q_start, q_end in self.quotes)


@dataclass(frozen=True, slots=True)
class _Candidate:
    pattern: Pattern
    order: int
    start: int
    end: int
    group: tuple[int, int] | None


def _read(text: str, rules: Rules) -> _Draft:
    folded = text.translate(rules.fold)
    sentences = [m.span() for m in rules.sentence.finditer(folded)]
    quotes = [m.span() for m in rules.quote.finditer(folded)]
    return _Draft(folded, sentences, [s for s, _ in sentences], quotes)


def _guarded(match: re.Match[str], pattern: Pattern, draft: _Draft, rules: Rules) -> bool:
    """True when the match is quoted, out of place, or one of its guards applies."""
    i = draft.sentence_at(match.start())
    if i is None or draft.quoted(match.start(), match.end()):
        return True
    s_start = draft.sentences[i][0]
    before = draft.folded[s_start : match.start()]
    if pattern.opening and rules.opening.fullmatch(before) is None:
        return True
    if not pattern.guards:
        return False
    question = rules.question.search(_sentence(draft, i)) is not None
    for guard in pattern.guards:
        if guard.where in ("before", "prefix"):
            context = before
        else:
            context = _context(guard.where, match, draft, i)
        if guard.blocks(context, question):
            return True
    return False


def _sentence(draft: _Draft, i: int) -> str:
    start, end = draft.sentences[i]
    return draft.folded[start:end]


def _context(where: str, match: re.Match[str], draft: _Draft, i: int) -> str:
    """The text a guard reads: see docs/gentle.md, "How it decides"."""
    last = len(draft.sentences) - 1
    next_end = draft.sentences[min(i + 1, last)][1]
    if where == "after":
        return draft.folded[match.end() : next_end]
    if where == "group":
        return (match.group(1) or "") if match.re.groups else ""
    if where == "sentence":
        return _sentence(draft, i)
    # "window": a break with a time to come back may be asked for just before or just after.
    return draft.folded[draft.sentences[max(i - 1, 0)][0] : next_end]


def _places(folded: str, rules: Rules) -> list[list[int]]:
    """For each pattern, the word starts where one of its declared starts begins."""
    places: list[list[int]] = [[] for _ in rules.patterns]
    dispatch = rules.dispatch
    seen = dispatch.seen
    for match in _word_start(dispatch.key_length).finditer(folded):
        key = match.group(1)
        ids = seen.get(key)  # inlined hit path: this loop runs once per word
        for i in dispatch.patterns_at(key) if ids is None else ids:
            places[i].append(match.start())
    return places


@cache
def _word_start(key_length: int) -> re.Pattern[str]:
    return re.compile(_WORD_START % (key_length - 1))


def _matches(pattern: Pattern, folded: str, places: list[int]) -> list[re.Match[str]]:
    """Like `finditer`, but trying only the given places."""
    found, free_from = [], 0
    for at in places:
        if at < free_from:
            continue
        match = pattern.regex.match(folded, at)
        if match is not None and match.end() > at:
            found.append(match)
            free_from = match.end()
    return found


def _candidates(draft: _Draft, rules: Rules) -> list[_Candidate]:
    found = []
    places = _places(draft.folded, rules)
    for order, pattern in enumerate(rules.patterns):
        for match in _matches(pattern, draft.folded, places[order]):
            end = len(draft.folded[: match.end()].rstrip(_TRAILING))
            if end <= match.start() or _guarded(match, pattern, draft, rules):
                continue
            group = match.span(1) if match.re.groups and match.group(1) else None
            found.append(_Candidate(pattern, order, match.start(), end, group))
    return found


def _non_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    """Earliest first, then longest, then the rule listed first; overlaps give way."""
    kept: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start, -c.end, c.order)):
        if not kept or c.start >= kept[-1].end:
            kept.append(c)
    return kept


def _rewrite(text: str, candidate: _Candidate) -> str | None:
    template = candidate.pattern.rewrite
    if template is None or "{1}" not in template:
        return template
    if candidate.group is None:
        return None
    behaviour = text[candidate.group[0] : candidate.group[1]].strip(_TRAILING)
    return template.replace("{1}", behaviour) if behaviour else None


def check(text: str, rules: Rules | None = None) -> list[Finding]:
    """Findings for a draft, in reading order. Never raises on ordinary text; never blocks."""
    rules = rules or default_rules()
    draft = _read(text, rules)
    findings = []
    for c in _non_overlapping(_candidates(draft, rules)):
        words = rules.categories[c.pattern.category]
        findings.append(
            Finding(
                category=c.pattern.category,
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                rule=c.pattern.id,
                antidote=words.antidote,
                suggestion=words.suggestion,
                rewrite=_rewrite(text, c),
            )
        )
    return findings
