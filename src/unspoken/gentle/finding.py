"""What the gentle check says about one phrase of a draft."""

from dataclasses import asdict, dataclass
from typing import Literal

Category = Literal["criticism", "contempt", "defensiveness", "stonewalling"]
CATEGORIES: tuple[Category, ...] = ("criticism", "contempt", "defensiveness", "stonewalling")


@dataclass(frozen=True, slots=True)
class Finding:
    """A phrase that may land as one of the four horsemen, and a kinder way to say it.

    `start` and `end` count Unicode code points of the draft (Python `str` indices), so an
    emoji counts once; the browser converts from its UTF-16 indices to match.
    """

    category: Category
    start: int
    end: int
    text: str
    rule: str
    antidote: str
    suggestion: str
    rewrite: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)
