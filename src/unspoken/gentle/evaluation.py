"""Precision and recall of the gentle check on a labelled set of sentences.

    python -m unspoken.gentle.evaluation [tests/data/gentle-labelled.jsonl] [--failures]
    python -m unspoken.gentle.evaluation --corpus [--failures]   # rules and model, both languages

The corpus (tests/data/gentle/<language>/{train,dev,test,fresh-1,...,fresh-6}.jsonl) is scored
with the whole check (rules and model, `check_draft`); the earlier set with the rules alone.

A sentence's split is fixed by its text (SHA-256, first byte mod 3 == 0 is held out), so the
held-out third stays the same as the set grows. Rows marked `"batch": "fresh"` were written
after the rules were frozen and form their own split. `--failures` lists the tuning (dev)
split's mistakes only: the other splits are for measuring, not for tuning.
"""

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from unspoken.gentle.finding import CATEGORIES
from unspoken.gentle.matcher import check

DEFAULT_SET = Path("tests/data/gentle-labelled.jsonl")
CORPUS = Path("tests/data/gentle")
FRESH = ("fresh-1", "fresh-2", "fresh-3", "fresh-4", "fresh-5", "fresh-6")
CORPUS_SPLITS = ("train", "dev", "test", *FRESH)
SPLITS = ("dev", "held-out", "fresh")
Predict = Callable[[str], frozenset[str]]


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: frozenset[str]
    batch: str = "first"

    @property
    def split(self) -> str:
        if self.batch == "fresh":
            return "fresh"
        digest = hashlib.sha256(self.text.encode("utf-8")).digest()
        return "held-out" if digest[0] % 3 == 0 else "dev"


@dataclass(frozen=True, slots=True)
class Score:
    category: str
    support: int
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_examples(path: Path) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            examples.append(
                Example(row["text"], frozenset(row["labels"]), row.get("batch", "first"))
            )
    return examples


def predicted(text: str) -> frozenset[str]:
    return frozenset(finding.category for finding in check(text))


def score(examples: Iterable[Example], predict: Predict = predicted) -> dict[str, Score]:
    counts = {category: [0, 0, 0, 0] for category in CATEGORIES}  # support, tp, fp, fn
    for example in examples:
        guess = predict(example.text)
        for category, c in counts.items():
            truth, said = category in example.labels, category in guess
            c[0] += truth
            c[1] += truth and said
            c[2] += said and not truth
            c[3] += truth and not said
    return {category: Score(category, *c) for category, c in counts.items()}


def table(scores: dict[str, Score]) -> str:
    rows = ["| category | sentences | precision | recall |", "|---|---:|---:|---:|"]
    for s in scores.values():
        rows.append(f"| {s.category} | {s.support} | {s.precision:.2f} | {s.recall:.2f} |")
    return "\n".join(rows)


def failures(examples: Iterable[Example]) -> list[str]:
    lines = []
    for example in examples:
        guess = predicted(example.text)
        if guess != example.labels:
            want = ",".join(sorted(example.labels)) or "none"
            got = ",".join(sorted(guess)) or "none"
            lines.append(f"want {want:<14} got {got:<14} {example.text}")
    return lines


def load_corpus(language: str, split: str, root: Path = CORPUS) -> list[Example]:
    """One split of the corpus (empty when that split does not exist)."""
    path = root / language / f"{split}.jsonl"
    return load_examples(path) if path.is_file() else []


def drafted(language: str) -> Predict:
    from unspoken.gentle.draft import check_draft  # the model's file is read on first use

    def predict(text: str) -> frozenset[str]:
        return frozenset(f.category for f in check_draft(text, language))

    return predict


def corpus_report(failures_of: str | None = None) -> str:
    out = []
    for language in ("en", "fr"):
        predict = drafted(language)
        for split in CORPUS_SPLITS:
            part = load_corpus(language, split)
            if not part:
                continue
            none = sum(1 for e in part if not e.labels)
            out.append(f"\n{language} {split}: {len(part)} messages ({none} with no pattern)\n")
            out.append(table(score(part, predict)))
            if split == failures_of:
                for e in part:
                    got = predict(e.text)
                    if got != e.labels:
                        want = ",".join(sorted(e.labels)) or "none"
                        said = ",".join(sorted(got)) or "none"
                        out.append(f"want {want:<14} got {said:<14} {e.text}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--failures", action="store_true", help="list the dev split's mistakes")
    parser.add_argument("--corpus", action="store_true", help="score the corpus, rules and model")
    args = parser.parse_args(argv)
    if args.corpus:
        print(corpus_report("dev" if args.failures else None))
        return 0
    examples = load_examples(args.path)
    splits = {"all": examples}
    for name in SPLITS:
        splits[name] = [e for e in examples if e.split == name]
    for name, part in splits.items():
        none = sum(1 for e in part if not e.labels)
        print(f"\n{name}: {len(part)} sentences ({none} with no pattern)\n")
        print(table(score(part)))
    if args.failures:
        print("\ndev mistakes:")
        print("\n".join(failures(splits["dev"])) or "(none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
