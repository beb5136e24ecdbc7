"""The vocabulary Python and the browser share, read from the one copy the browser is served
(web/static/vocabulary/): written once, so the two can never drift apart."""

import json
from importlib.resources import files
from typing import Any


def read(name: str) -> Any:
    """One of the shared data files, parsed."""
    path = files("unspoken") / "web" / "static" / "vocabulary" / name
    return json.loads(path.read_text(encoding="utf-8"))
