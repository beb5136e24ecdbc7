"""The project's own tools, as `make` installs them: uv from tools/uv-requirements.txt."""

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def uv() -> str:
    """The uv that `make` installed into build/uv/ (or UNSPOKEN_UV, or one on PATH)."""
    for candidate in (os.environ.get("UNSPOKEN_UV"), str(REPO / "build" / "uv" / "bin" / "uv")):
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("uv")
    if found is None:
        pytest.fail("uv is not installed: `make test` installs it into build/uv/", pytrace=False)
    return found
