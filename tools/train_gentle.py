"""Trains the gentle check's model from its corpus and writes the one file both runtimes read.

    .venv/bin/python -m tools.train_gentle            # or: make train-gentle

Needs the `train` extra (scikit-learn). Deterministic: the same corpus gives the same bytes.
For each language, one logistic regression per category over the features of features.py
(plus, in English, the rules' findings as features) learns from the train split; each
category's threshold is then chosen on the dev split, reading drafts exactly as the check does
(stretches of up to three sentences). The test split is only scored, at the end.
"""

import argparse
import gzip
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from unspoken.gentle.draft import _rule_features, stretches
from unspoken.gentle.features import features, fold
from unspoken.gentle.finding import CATEGORIES
from unspoken.gentle.matcher import check
from unspoken.gentle.model import FORMAT, LanguageModel, model_path

CORPUS = Path("tests/data/gentle")
EARLIER_SET = Path("tests/data/gentle-labelled.jsonl")  # English, train only
C = {"en": 1.0, "fr": 1.0}
MIN_COUNT = 2  # a feature must occur in at least this many training messages
DIGITS = 4  # weights are rounded in the file; thresholds are chosen with the rounded weights
KEEP = 0.002  # a feature is kept when one of its rounded weights is at least this large
TARGET_PRECISION = 0.82  # on dev; see docs/gentle.md for why not 0.90
REWRITES = {
    "en": {
        "criticism": "I feel … when … . What I need is …",
        "contempt": "I'm upset about … . What I need is …, and I do appreciate …",
        "defensiveness": "Part of this is mine: … . I'm sorry for that part.",
        "stonewalling": "I need a break. Can we come back to this in twenty minutes?",
    },
    "fr": {
        "criticism": "Je me sens … quand … . J’aurais besoin de …",
        "contempt": "Je suis contrarié·e par … . J’aurais besoin de …, et j’apprécie …",
        "defensiveness": "Une part de tout ça me revient : … . J’en suis désolé·e.",
        "stonewalling": "J’ai besoin d’une pause. On peut en reparler dans vingt minutes ?",
    },
}


@dataclass(frozen=True)
class Row:
    text: str
    labels: frozenset[str]


def load(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            rows.append(Row(raw["text"], frozenset(raw["labels"])))
    return rows


def message_features(text: str, language: str) -> set[str]:
    found = features(fold(text))
    if language == "en":
        found |= _rule_features(check(text), 0, len(text))
    return found


def stretch_scores(lm: LanguageModel, text: str, language: str) -> list[float]:
    """The highest score of each category over the draft's stretches, as the check reads it;
    infinite where the rules found the category (their findings always stand)."""
    rules = check(text) if language == "en" else []
    folded = fold(text)
    best = [float("-inf")] * len(CATEGORIES)
    for start, end, _ in stretches(folded):
        found = features(folded[start:end]) | _rule_features(rules, start, end)
        # Summed in a fixed order (a set's order varies from run to run with string hashing),
        # so the thresholds, and the file, are the same on every run.
        scores = lm.scores(sorted(found))
        best = [max(a, b) for a, b in zip(best, scores, strict=True)]
    said = {f.category for f in rules}
    return [float("inf") if c in said else b for c, b in zip(CATEGORIES, best, strict=True)]


def choose_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The threshold with the best recall at TARGET_PRECISION on dev, else the best F1."""
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], truth[order]
    tp = np.cumsum(t)
    k = np.arange(1, len(s) + 1)
    precision, recall = tp / k, tp / max(int(t.sum()), 1)
    # A cut can only fall between different scores.
    cuts = [i for i in range(len(s)) if i == len(s) - 1 or s[i] != s[i + 1]]
    good = [i for i in cuts if precision[i] >= TARGET_PRECISION]
    if good:
        i = max(good, key=lambda i: (recall[i], precision[i]))
    else:
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
        i = max(cuts, key=lambda i: f1[i])
    finite = s[np.isfinite(s)]
    if not len(finite):
        return 0.0
    low = max(s[i], finite.min() - 1.0) if np.isfinite(s[i]) else finite.max() + 1.0
    below = s[i + 1] if i + 1 < len(s) and np.isfinite(s[i + 1]) else low - 1.0
    return round(float((low + below) / 2), DIGITS)


def train_language(language: str, train: Sequence[Row], dev: Sequence[Row]) -> dict[str, Any]:
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(
        [dict.fromkeys(sorted(message_features(r.text, language)), 1.0) for r in train]
    )
    counts = np.asarray((matrix > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero(counts >= MIN_COUNT)
    matrix = matrix[:, keep]
    names = [str(n) for n in np.asarray(vectorizer.get_feature_names_out())[keep]]
    coefs, bias = [], []
    for category in CATEGORIES:
        truth = np.array([category in r.labels for r in train])
        fitted = LogisticRegression(C=C[language], max_iter=10_000).fit(matrix, truth)
        coefs.append(np.round(fitted.coef_[0], DIGITS))
        bias.append(round(float(fitted.intercept_[0]), DIGITS))
    table = np.vstack(coefs).T
    weights = {
        name: [float(w) for w in row]
        for name, row in zip(names, table, strict=True)
        if np.abs(row).max() >= KEEP
    }
    lm = LanguageModel(
        language, tuple(bias), (0.0,) * 4, {k: tuple(v) for k, v in weights.items()}, {}
    )
    dev_scores = np.array([stretch_scores(lm, r.text, language) for r in dev])
    thresholds = [
        choose_threshold(dev_scores[:, j], np.array([c in r.labels for r in dev]))
        for j, c in enumerate(CATEGORIES)
    ]
    return {
        "bias": bias,
        "threshold": thresholds,
        "rewrites": REWRITES[language],
        "weights": weights,
    }


def write_model(data: dict[str, Any], path: Path) -> int:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    packed = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    path.write_bytes(packed)
    return len(packed)


def train_all() -> dict[str, Any]:
    languages = {}
    for language in ("en", "fr"):
        train = load(CORPUS / language / "train.jsonl")
        if language == "en":
            train += load(EARLIER_SET)
        dev = load(CORPUS / language / "dev.jsonl")
        languages[language] = train_language(language, train, dev)
        print(
            f"{language}: {len(languages[language]['weights'])} features, "
            f"thresholds {languages[language]['threshold']}"
        )
    return languages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=model_path())
    args = parser.parse_args(argv)
    # One thread: a parallel sum adds in a varying order, and the last bits would vary too.
    with threadpool_limits(limits=1):
        languages = train_all()
    data = {
        "format": FORMAT,
        "about": "The gentle check's model: feature -> weights per category (see docs/gentle.md).",
        "categories": list(CATEGORIES),
        "languages": languages,
    }
    size = write_model(data, args.out)
    print(f"wrote {args.out} ({size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
