"""Trains the gentle check's model from its corpus and writes the one file both runtimes read.

    .venv/bin/python -m tools.train_gentle            # or: make train-gentle

Needs the `train` extra (scikit-learn). Deterministic: the same corpus gives the same bytes.
For each language, one logistic regression per category over the features of features.py
(plus, in English, the rules' findings as features) learns from the train and dev splits.
Each category's threshold is chosen on out-of-fold scores: the train and dev messages are cut
into FOLDS parts by their text, each part is scored by a model that learned from the others,
reading it exactly as the check reads a draft (stretches of up to three sentences), and the
threshold is the lowest that keeps that precision at TARGET_PRECISION. The test split and the
fresh batches are never read here.
"""

import argparse
import gzip
import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from unspoken.gentle.draft import _rule_features, stretches
from unspoken.gentle.features import features, fold
from unspoken.gentle.finding import CATEGORIES
from unspoken.gentle.matcher import check
from unspoken.gentle.model import FORMAT, SCALE, model_path

CORPUS = Path("tests/data/gentle")
EARLIER_SET = Path("tests/data/gentle-labelled.jsonl")  # English, train only
C = {"en": 1.0, "fr": 1.0}  # L2; 0.3-10 (English) and 0.5-3 (French) scored alike
# English: the average of a plain and an NB-scaled regression (out of fold, better than either
# in all four categories); French: the NB-scaled one alone (the average scored the same in sum).
BLEND = {"en": True, "fr": False}
MIN_COUNT = 2  # a feature must occur in at least this many training messages
KEEP = 20  # a feature is kept when one of its weights is at least this large (1/SCALE units)
# On the out-of-fold scores: the targets (English 0.90; French 0.85 to start).
TARGET_PRECISION = {"en": 0.90, "fr": 0.85}
FOLDS = 5
REWRITES = {
    "en": {
        "criticism": "I feel … when … . What I need is …",
        "contempt": "I’m upset about … . What I need is …, and I do appreciate …",
        "defensiveness": "Part of this is mine: … . I’m sorry for that part.",
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


def with_rules(found: dict[str, int], rule_features: set[str]) -> dict[str, int]:
    return found | dict.fromkeys(rule_features, 1)


def message_features(text: str, language: str) -> dict[str, int]:
    found = features(fold(text))
    if language == "en":
        found = with_rules(found, _rule_features(check(text), 0, len(text)))
    return found


def stretch_features(text: str, language: str) -> list[tuple[dict[str, int], tuple[int, ...]]]:
    """What the check scores in a message, as it reads a draft: each stretch (for every
    category) and, for a rule's finding, the sentence holding it (for the rule's category);
    rule findings count as features there. See draft.check_draft."""
    rules = check(text) if language == "en" else []
    folded = fold(text)
    every = tuple(range(len(CATEGORIES)))
    found = []
    for start, end, sentences in stretches(folded):
        stretch = with_rules(features(folded[start:end]), _rule_features(rules, start, end))
        found.append((stretch, every))
        for s_start, s_end in sentences:
            held = {CATEGORIES.index(f.category) for f in rules if s_start <= f.start < s_end}
            if held:
                part = with_rules(
                    features(folded[s_start:s_end]), _rule_features(rules, s_start, s_end)
                )
                found.append((part, tuple(sorted(held))))
    return found


def fold_of(text: str) -> int:
    return hashlib.sha256(text.encode("utf-8")).digest()[1] % FOLDS


def best_scores(
    weights: dict[str, list[int]],
    bias: list[int],
    parts: Sequence[tuple[dict[str, int], tuple[int, ...]]],
) -> list[float]:
    """The highest score of each category over what the check reads in a message (integers,
    exact): the category is said somewhere in it when this reaches the threshold."""
    best = [float("-inf")] * len(CATEGORIES)
    for found, counted in parts:
        total = list(bias)
        for feature, count in found.items():
            w = weights.get(feature)
            if w is not None:
                total = [a + count * b for a, b in zip(total, w, strict=True)]
        for j in counted:
            best[j] = max(best[j], total[j])
    return best


def choose_threshold(scores: np.ndarray, truth: np.ndarray, target: float) -> int:
    """The lowest threshold keeping precision at `target`, with the best recall there;
    else the best F1. Halfway (rounded down) between the last score said and the next."""
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], truth[order]
    tp = np.cumsum(t)
    k = np.arange(1, len(s) + 1)
    precision, recall = tp / k, tp / max(int(t.sum()), 1)
    # A cut can only fall between different scores.
    cuts = [i for i in range(len(s)) if i == len(s) - 1 or s[i] != s[i + 1]]
    finite = s[np.isfinite(s)]
    if not len(finite):
        return 0
    good = [i for i in cuts if precision[i] >= target]
    if good:
        i = max(good, key=lambda i: (recall[i], precision[i]))
    else:
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
        i = max(cuts, key=lambda i: f1[i])
    low = s[i] if np.isfinite(s[i]) else finite.max() + 1
    below = s[i + 1] if i + 1 < len(s) and np.isfinite(s[i + 1]) else low - 2
    return int((low + below) // 2) + 1


def log_count_ratio(matrix: Any, truth: np.ndarray) -> np.ndarray:
    """Each feature's log-count ratio for one category (Wang and Manning's NB-SVM): the log of
    its share of the category's feature counts over its share of the rest's, smoothed by one.
    A feature that speaks for or against the category is scaled up before the regression sees
    it, one that occurs alike on both sides down."""
    with_it = np.asarray(matrix[truth].sum(axis=0)).ravel() + 1.0
    without = np.asarray(matrix[~truth].sum(axis=0)).ravel() + 1.0
    ratio: np.ndarray = np.log((with_it / with_it.sum()) / (without / without.sum()))
    return ratio


def fit(
    matrix: Any, names: list[str], truth: Mapping[str, np.ndarray], language: str
) -> tuple[dict[str, list[int]], list[int]]:
    """Per category, a logistic regression on the features scaled by their log-count ratio
    (NB-LR) and, where BLEND says so, the average of it and a plain one on the raw features.
    The score stays a sum of weights over the text's features: each weight written is the
    NB-LR coefficient times the feature's ratio (averaged with the plain coefficient), so an
    average of the two models' scores is one linear score. Weights as whole numbers, features
    kept when some weight is at least KEEP."""
    coefs, bias = [], []
    for category in CATEGORIES:
        wanted = np.asarray(truth[category], dtype=bool)
        ratio = log_count_ratio(matrix, wanted)
        scaled = matrix @ sparse.diags(ratio)
        fitted = LogisticRegression(C=C[language], max_iter=10_000).fit(scaled, wanted)
        coef, intercept = fitted.coef_[0] * ratio, fitted.intercept_[0]
        if BLEND[language]:
            plain = LogisticRegression(C=C[language], max_iter=10_000).fit(matrix, wanted)
            coef, intercept = (coef + plain.coef_[0]) / 2, (intercept + plain.intercept_[0]) / 2
        coefs.append(np.rint(coef * SCALE).astype(np.int64))
        bias.append(int(np.rint(intercept * SCALE)))
    table = np.vstack(coefs).T
    weights = {
        name: [int(w) for w in row]
        for name, row in zip(names, table, strict=True)
        if np.abs(row).max() >= KEEP
    }
    return weights, bias


def train_language(language: str, rows: Sequence[Row]) -> dict[str, Any]:
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(
        [{k: float(v) for k, v in sorted(message_features(r.text, language).items())} for r in rows]
    )
    counts = np.asarray((matrix > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero(counts >= MIN_COUNT)
    matrix = matrix[:, keep].tocsr()
    names = [str(n) for n in np.asarray(vectorizer.get_feature_names_out())[keep]]
    truth = {c: np.array([c in r.labels for r in rows]) for c in CATEGORIES}
    parts = [stretch_features(r.text, language) for r in rows]
    folds = np.array([fold_of(r.text) for r in rows])
    out_of_fold = np.zeros((len(rows), len(CATEGORIES)))
    for k in range(FOLDS):
        inside = np.flatnonzero(folds != k)
        weights, bias = fit(
            matrix[inside], names, {c: t[inside] for c, t in truth.items()}, language
        )
        for i in np.flatnonzero(folds == k):
            out_of_fold[i] = best_scores(weights, bias, parts[i])
    weights, bias = fit(matrix, names, truth, language)
    thresholds = [
        choose_threshold(out_of_fold[:, j], truth[c], TARGET_PRECISION[language])
        for j, c in enumerate(CATEGORIES)
    ]
    for j, c in enumerate(CATEGORIES):
        said, want = out_of_fold[:, j] >= thresholds[j], truth[c]
        hit = int((said & want).sum())
        print(
            f"  {language} {c:<14} out of fold: precision {hit / max(int(said.sum()), 1):.2f}"
            f" recall {hit / max(int(want.sum()), 1):.2f} ({int(want.sum())} messages)"
        )
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
        rows = load(CORPUS / language / "train.jsonl") + load(CORPUS / language / "dev.jsonl")
        if language == "en":
            rows += load(EARLIER_SET)
        languages[language] = train_language(language, rows)
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
        "scale": SCALE,
        "about": "The gentle check's model: feature -> weights per category (see docs/gentle.md).",
        "categories": list(CATEGORIES),
        "languages": languages,
    }
    size = write_model(data, args.out)
    print(f"wrote {args.out} ({size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
