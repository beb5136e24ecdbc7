"""The gentle check's learned half: a linear model per language, read from one data file.

The file (static/gentle/model.json.gz, shared with the browser) maps each feature (see
features.py) to four weights, one per category. Weights, biases and thresholds are whole
numbers (units of 1/SCALE), so a score is an exact sum: Python and JavaScript reach the same
number in any order, and a threshold is never decided by the last bit of a float. A piece of
text scores, for each category, its bias plus the weights of the features it holds; it says
the category when the score reaches the category's threshold. Training lives in
tools/train_gentle.py (scikit-learn); reading the model needs only the standard library.
"""

import gzip
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from unspoken.gentle.features import length_feature, tokens, word_features
from unspoken.gentle.finding import CATEGORIES, Category

FORMAT = 2
SCALE = 10_000  # a weight of 1.0 is 10000 in the file
LANGUAGES = ("en", "fr")
_WORD_CACHE_LIMIT = 50_000
# The four weights of a feature packed in one int, each field offset to be non-negative, so
# summing a text's features is one sum instead of four. A field holds count * _OFFSET + the
# sum of its weights, below 2**_BITS for any text counting fewer than 2**23 features whose
# weights are below 2**24 / SCALE (about 1,677) in size.
_BITS = 48
_OFFSET = 1 << 24
_MASK = (1 << _BITS) - 1


def model_path() -> Path:
    """The model file inside the installed package, where the browser fetches it too."""
    return Path(str(files("unspoken") / "web" / "static" / "gentle" / "model.json.gz"))


def _pack(weights: tuple[int, ...]) -> int:
    packed = 0
    for j, w in enumerate(weights):
        if not -_OFFSET < w < _OFFSET:
            raise ValueError("a gentle model weight is out of range")
        packed |= (w + _OFFSET) << (_BITS * j)
    return packed


@dataclass(frozen=True, slots=True)
class LanguageModel:
    language: str
    bias: tuple[int, ...]
    threshold: tuple[int, ...]
    weights: dict[str, tuple[int, ...]]
    rewrites: dict[Category, str]
    # feature -> its four weights packed in one int (see _pack); pairs and triples of words
    # apart, keyed by the words, so reading a text builds no strings for them
    packed: dict[str, int] = field(default_factory=dict, compare=False)
    pairs: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False)
    triples: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False)
    # word -> (the packed sum of its own features, how many have weights): a writer reuses
    # words, and a word's features are always the same (features.word_features)
    word_cache: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.packed:
            return
        for feature, w in self.weights.items():
            packed = self.packed[feature] = _pack(w)
            if feature.startswith("b:"):
                self.pairs[tuple(feature[2:].split(" "))] = packed
            elif feature.startswith("t:"):
                self.triples[tuple(feature[2:].split(" "))] = packed

    def scores(self, found: Mapping[str, int]) -> list[int]:
        """One score per category (in CATEGORIES order) for features and their counts, as
        features.features() gives them; unknown features add nothing."""
        packed = self.packed
        total = n = 0
        for feature, count in found.items():
            if feature in packed:
                total += count * packed[feature]
                n += count
        return self._unpack(total, n)

    def _unpack(self, total: int, n: int) -> list[int]:
        base = n * _OFFSET
        return [bias + ((total >> (_BITS * j)) & _MASK) - base for j, bias in enumerate(self.bias)]

    def score_text(self, folded: str, extra: Iterable[str] = ()) -> list[int]:
        """The scores of features(folded) plus `extra` (each once): the same sum as
        scores(features(folded)), with each different word's features added up once, from a
        cache, and pairs and triples looked up by their words."""
        packed, cache = self.packed, self.word_cache
        words = tokens(folded)
        once = {length_feature(len(words)), *extra}
        if words:
            once.add("s:" + words[0])
            if len(words) > 1:
                once.add("s:" + words[0] + " " + words[1])
        known = [packed[f] for f in once if f in packed]
        total, n = sum(known), len(known)
        for word in set(words):
            own = cache.get(word)
            if own is None:
                if len(cache) > _WORD_CACHE_LIMIT:
                    cache.clear()
                mine = [packed[f] for f in word_features(word) if f in packed]
                own = cache[word] = (sum(mine), len(mine))
            total += own[0]
            n += own[1]
        if len(words) > 1:
            pairs = self.pairs.keys() & zip(words, words[1:], strict=False)
            total += sum(map(self.pairs.__getitem__, pairs))
            n += len(pairs)
            if len(words) > 2:
                triples = self.triples.keys() & zip(words, words[1:], words[2:], strict=False)
                total += sum(map(self.triples.__getitem__, triples))
                n += len(triples)
        return self._unpack(total, n)

    def says(self, scores: list[int]) -> list[Category]:
        return [c for c, s, t in zip(CATEGORIES, scores, self.threshold, strict=True) if s >= t]


@dataclass(frozen=True, slots=True)
class Model:
    languages: dict[str, LanguageModel]

    def for_language(self, language: str) -> LanguageModel | None:
        return self.languages.get(language.split("-")[0].lower())


def parse_model(data: dict[str, Any]) -> Model:
    if data.get("format") != FORMAT or tuple(data["categories"]) != CATEGORIES:
        raise ValueError("the gentle model file has an unknown format")
    if data.get("scale") != SCALE:
        raise ValueError("the gentle model file has an unknown scale")
    languages = {}
    for name, raw in data["languages"].items():
        languages[name] = LanguageModel(
            language=name,
            bias=tuple(int(b) for b in raw["bias"]),
            threshold=tuple(int(t) for t in raw["threshold"]),
            weights={feature: tuple(int(x) for x in w) for feature, w in raw["weights"].items()},
            rewrites=dict(raw["rewrites"]),
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
