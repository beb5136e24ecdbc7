"""The one rules file: well-formed, in the regex subset both engines read alike, and honest
about where each pattern can start."""

import json
import re
from typing import Any

import pytest

from unspoken.gentle import CATEGORIES, read_rules, rules_path
from unspoken.gentle.rules import expand

from .regex_starts import literal_starts

RAW: dict[str, Any] = json.loads(rules_path().read_text(encoding="utf-8"))
MACROS: dict[str, str] = RAW["macros"]
WORD_START = "(?<![a-z0-9'])"

# Constructs Python's `re` and JavaScript's RegExp (flag `u`) read differently, or that one of
# them lacks: class shorthands and \b are ASCII in JS but Unicode here, `$` and `.` differ on
# newlines, named groups and inline flags are spelled differently, \Z/\A do not exist in JS.
FORBIDDEN = [
    (r"\\[bBwWsSdDAZzpPk]", "shorthand, boundary or anchor escape"),
    (r"\(\?P", "Python-only named group"),
    (r"\(\?<[a-zA-Z]", "named group"),
    (r"\(\?[aiLmsux-]+[):]", "inline flag"),
    (r"\\[1-9]", "back-reference"),
    (r"[*+?}]\+", "possessive quantifier"),
    (r"\(\?>", "atomic group"),
]


def _sources() -> list[tuple[str, str]]:
    found = [(f"pattern {p['id']}", p["pattern"]) for p in RAW["patterns"]]
    found += [(f"guard {name}", g["pattern"]) for name, g in RAW["guards"].items()]
    found += [(key, RAW[key]) for key in ("sentence", "quote", "question", "opening")]
    return [(name, expand(source, MACROS)) for name, source in found]


def _outside_classes(source: str) -> str:
    """The regex with escapes and [character classes] blanked out."""
    out, in_class, i = [], False, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            out.append("__")
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            out.append("_")
        elif c == "[":
            in_class = True
            out.append("_")
            if source[i + 1 : i + 2] == "^":
                out.append("_")
                i += 1
            if source[i + 1 : i + 2] == "]":
                out.append("_")
                i += 1
        else:
            out.append(c)
        i += 1
    return "".join(out)


@pytest.mark.parametrize(("name", "source"), _sources(), ids=lambda v: v if " " in v else "")
def test_regex_uses_the_shared_subset(name: str, source: str) -> None:
    for forbidden, why in FORBIDDEN:
        assert not re.search(forbidden, source), f"{name}: {why}"
    bare = _outside_classes(source)
    assert "." not in bare and "$" not in bare, f"{name}: bare . or $ (newline rules differ)"
    assert "^" not in bare, f"{name}: ^ outside a class (anchors are added by the code)"
    assert not re.search(r"[A-Z]", bare.replace("_", "")), f"{name}: text is folded to lower case"
    lookbehinds = re.findall(r"\(\?<[=!][^)]*\)", source)
    assert all("*" not in lb and "+" not in lb for lb in lookbehinds), f"{name}: lookbehind width"
    re.compile(source)


def test_every_pattern_starts_at_a_word_and_declares_sound_starts() -> None:
    for pattern in RAW["patterns"]:
        source = expand(pattern["pattern"], MACROS)
        assert source.startswith(WORD_START), pattern["id"]
        derived = literal_starts(source)
        assert derived is not None, f"{pattern['id']}: cannot tell where a match starts"
        declared = pattern["starts"]
        missing = [d for d in derived if not any(d.startswith(s) for s in declared)]
        assert not missing, f"{pattern['id']}: declare starts {sorted(derived)}"
        assert all(re.match(r"[a-z0-9]", s) for s in declared), pattern["id"]


def test_names_are_unique_and_references_resolve() -> None:
    ids = [p["id"] for p in RAW["patterns"]]
    assert len(ids) == len(set(ids))
    for pattern in RAW["patterns"]:
        assert pattern["category"] in CATEGORIES
        assert pattern["id"].startswith(pattern["category"] + ".")
        assert set(pattern["guards"]) <= set(RAW["guards"]), pattern["id"]
        assert pattern.get("why"), f"{pattern['id']}: say why it is there"
    assert set(RAW["categories"]) == set(CATEGORIES)
    used = {g for p in RAW["patterns"] for g in p["guards"]}
    assert used == set(RAW["guards"]), "every guard is used"


def test_no_pattern_can_match_nothing() -> None:
    for pattern in read_rules(rules_path()).patterns:
        assert pattern.regex.match("") is None, pattern.id


def test_rewrites_fill_only_a_captured_behaviour() -> None:
    for pattern in read_rules(rules_path()).patterns:
        if pattern.rewrite and "{1}" in pattern.rewrite:
            assert pattern.regex.groups >= 1, pattern.id
