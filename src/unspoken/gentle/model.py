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
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from unspoken.gentle.features import features
from unspoken.gentle.finding import CATEGORIES, Category

FORMAT = 1
LANGUAGES = ("en", "fr")


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

    def scores(self, found: Iterable[str]) -> list[float]:
        """One score per category (in CATEGORIES order) for a set of features."""
        total = list(self.bias)
        weights = self.weights
        for feature in found:
            w = weights.get(feature)
            if w is not None:
                total[0] += w[0]
                total[1] += w[1]
                total[2] += w[2]
                total[3] += w[3]
        return total

    def score_text(self, folded: str, extra: Iterable[str] = ()) -> list[float]:
        found = features(folded)
        found.update(extra)
        return self.scores(found)

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
        languages[name] = LanguageModel(
            language=name,
            bias=tuple(raw["bias"]),
            threshold=tuple(raw["threshold"]),
            weights={feature: tuple(w) for feature, w in raw["weights"].items()},
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
