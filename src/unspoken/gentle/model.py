"""The gentle check's learned half: a linear model per language, read from one data file.

The file (static/gentle/model.json.gz, shared with the browser) maps each feature (see
features.py) to four weights, one per category. A piece of text scores, for each category, its
bias plus the weights of the features it holds; it says the category when the score reaches
the category's threshold. Training lives in tools/train_gentle.py (scikit-learn); reading the
model needs only the standard library.
"""

import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from itertools import repeat
from pathlib import Path
from typing import Any

from unspoken.gentle.features import length_feature, letter_features, tokens
from unspoken.gentle.finding import CATEGORIES, Category

FORMAT = 1
LANGUAGES = ("en", "fr")
_WORD_CACHE_LIMIT = 50_000


def model_path() -> Path:
    """The model file inside the installed package, where the browser fetches it too."""
    return Path(str(files("unspoken") / "web" / "static" / "gentle" / "model.json.gz"))


@dataclass(frozen=True, slots=True)
class LanguageModel:
    language: str
    bias: tuple[float, ...]
    threshold: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    rewrites: dict[Category, str]
    # word -> its features (the word, its letter runs) that have weights: a writer reuses words
    word_cache: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    # one dict per category, feature -> weight: summed by map() and sum(), at C speed
    columns: tuple[dict[str, float], ...] = field(default=(), compare=False)

    def scores(self, found: Iterable[str]) -> list[float]:
        """One score per category (in CATEGORIES order) for a set of features."""
        found = found if isinstance(found, (set, list, tuple)) else list(found)
        return [
            bias + sum(map(column.get, found, repeat(0.0)))
            for bias, column in zip(self.bias, self._columns(), strict=True)
        ]

    def _columns(self) -> tuple[dict[str, float], ...]:
        if self.columns:
            return self.columns
        return tuple({f: w[j] for f, w in self.weights.items()} for j in range(len(self.bias)))

    def score_text(self, folded: str, extra: Iterable[str] = ()) -> list[float]:
        """The scores of features(folded) plus `extra`, reading only features with weights
        (the others add nothing), and each word's letter runs once per word, not per use."""
        found = self.known_features(folded, extra)
        return [
            bias + sum(map(column.__getitem__, found))
            for bias, column in zip(self.bias, self._columns(), strict=True)
        ]

    def score_known(self, found: set[str], index: int) -> float:
        """One category's score for features from known_features()."""
        return self.bias[index] + sum(map(self._columns()[index].__getitem__, found))

    def known_features(self, folded: str, extra: Iterable[str] = ()) -> set[str]:
        weights, cache = self.weights, self.word_cache
        words = tokens(folded)
        found = {f for f in extra if f in weights}
        length = length_feature(len(words))
        if length in weights:
            found.add(length)
        if words:
            opening = ["s:" + words[0]]
            if len(words) > 1:
                opening.append("s:" + words[0] + " " + words[1])
            found.update(f for f in opening if f in weights)
        for i, word in enumerate(words):
            own = cache.get(word)
            if own is None:
                if len(cache) > _WORD_CACHE_LIMIT:
                    cache.clear()
                grams = ["w:" + word, *letter_features(word)]
                own = cache[word] = tuple(f for f in grams if f in weights)
            found.update(own)
            if i >= 1:
                pair = "b:" + words[i - 1] + " " + word
                if pair in weights:
                    found.add(pair)
                if i >= 2:
                    triple = "t:" + words[i - 2] + " " + words[i - 1] + " " + word
                    if triple in weights:
                        found.add(triple)
        return found

    def says(self, scores: list[float]) -> list[Category]:
        return [c for c, s, t in zip(CATEGORIES, scores, self.threshold, strict=True) if s >= t]


@dataclass(frozen=True, slots=True)
class Model:
    languages: dict[str, LanguageModel]

    def for_language(self, language: str) -> LanguageModel | None:
        return self.languages.get(language.split("-")[0].lower())


def parse_model(data: dict[str, Any]) -> Model:
    if data.get("format") != FORMAT or tuple(data["categories"]) != CATEGORIES:
        raise ValueError("the gentle model file has an unknown format")
    languages = {}
    for name, raw in data["languages"].items():
        weights = {feature: tuple(w) for feature, w in raw["weights"].items()}
        languages[name] = LanguageModel(
            language=name,
            bias=tuple(raw["bias"]),
            threshold=tuple(raw["threshold"]),
            weights=weights,
            rewrites=dict(raw["rewrites"]),
            columns=tuple({f: w[j] for f, w in weights.items()} for j in range(len(CATEGORIES))),
        )
    return Model(languages)


def read_model(path: Path) -> Model:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return parse_model(json.loads(raw.decode("utf-8")))


@cache
def default_model() -> Model:
    return read_model(model_path())
