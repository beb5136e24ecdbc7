"""The README's Python example runs exactly as shown, against a real server."""

import re
import subprocess
import sys
from pathlib import Path

from conftest import LiveServer

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_sdk_example_runs_as_shown(live_server: LiveServer, tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert len(blocks) == 1, "the README has one Python example"
    example = blocks[0]
    assert "http://127.0.0.1:8000" in example  # what `make serve` serves
    script = tmp_path / "two.py"
    script.write_text(example.replace("http://127.0.0.1:8000", live_server.url), "utf-8")
    done = subprocess.run(  # noqa: S603 - the README's own example
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['I never meant for things to end this way']"


def test_every_screen_the_readme_shows_is_in_docs_screens() -> None:
    """The tour's pictures are the ones `make screenshots` takes: none is missing or misnamed."""
    shown = re.findall(r'<img src="(docs/screens/[^"]+)"', README)
    assert len(shown) >= 20
    root = Path(__file__).resolve().parents[1]
    assert [path for path in shown if not (root / path).is_file()] == []
