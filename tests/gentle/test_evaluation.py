"""The labelled set: big and balanced enough, and the check meets its floor on all of it."""

from collections import Counter
from pathlib import Path

import pytest

from unspoken.gentle.evaluation import Example, Score, load_examples, score

from .conftest import LABELLED

EXAMPLES = load_examples(LABELLED)
MIN_PRECISION = 0.85
MIN_RECALL = 0.75


def below_floor(scores: dict[str, Score]) -> list[str]:
    return [
        f"{s.category}: precision {s.precision:.2f}, recall {s.recall:.2f}"
        for s in scores.values()
        if s.precision < MIN_PRECISION or s.recall < MIN_RECALL
    ]


def test_the_set_is_large_balanced_and_distinct() -> None:
    counts = Counter(label for e in EXAMPLES for label in e.labels or {"none"})
    assert len(EXAMPLES) >= 300
    assert all(counts[c] >= 60 for c in ("criticism", "contempt", "defensiveness", "stonewalling"))
    assert counts["none"] >= 60
    assert len({e.text for e in EXAMPLES}) == len(EXAMPLES)
    assert {e.split for e in EXAMPLES} == {"dev", "held-out", "fresh"}


def test_precision_and_recall_meet_the_floor_on_the_whole_set() -> None:
    assert below_floor(score(EXAMPLES)) == []


def test_the_floor_can_fail() -> None:
    """A check that flags nothing, or flags everything, is caught."""
    silent = score(EXAMPLES, lambda _: frozenset())
    noisy = score(EXAMPLES, lambda _: frozenset({"criticism", "contempt"}))
    assert len(below_floor(silent)) == 4
    assert {line.split(":")[0] for line in below_floor(noisy)} == {
        "criticism",
        "contempt",
        "defensiveness",
        "stonewalling",
    }


def test_scoring_counts_each_category_separately(tmp_path: Path) -> None:
    examples = [
        Example("a", frozenset({"criticism"})),
        Example("b", frozenset()),
        Example("c", frozenset({"contempt"})),
    ]
    guesses = {"a": {"criticism"}, "b": {"criticism"}, "c": set()}
    scores = score(examples, lambda t: frozenset(guesses[t]))
    assert (scores["criticism"].tp, scores["criticism"].fp, scores["criticism"].fn) == (1, 1, 0)
    assert scores["criticism"].precision == pytest.approx(0.5)
    assert scores["contempt"].recall == 0.0
