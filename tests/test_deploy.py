"""What operators run: the image's entry command (outside a container, since no engine runs
here), the packaged files it needs, and the example configuration."""

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from tooling import uv
from unspoken.cli import main

REPO = Path(__file__).resolve().parents[1]
CONTAINERFILE = (REPO / "Containerfile").read_text(encoding="utf-8")


def _instruction(name: str) -> str:
    """One instruction of the Containerfile, continuation lines joined."""
    joined = CONTAINERFILE.replace("\\\n", " ")
    match = re.search(rf"^{name} (.+)$", joined, flags=re.M)
    assert match, f"the Containerfile has no {name}"
    return match.group(1)


def test_the_wheel_carries_the_browser_client_and_the_migrations(tmp_path: Path) -> None:
    subprocess.run(  # noqa: S603 - the project's own uv on our own source tree
        [uv(), "build", "--wheel", "--quiet", "--out-dir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("unspoken-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "unspoken/web/index.html",
        "unspoken/web/static/js/app.js",
        "unspoken/web/static/gentle/rules.json",
        "unspoken/store/migrations/versions/0001_initial.py",
        "unspoken/store/migrations/env.py",
    ):
        assert needed in names, needed


def test_the_images_entry_command_serves_with_the_images_environment(
    live_server_factory: Callable[..., Any],
) -> None:
    env = dict(re.findall(r"(UNSPOKEN_\w+)=(\S+)", _instruction("ENV")))
    assert env["UNSPOKEN_DATABASE"] == "/var/lib/unspoken/unspoken.db"
    assert json.loads(_instruction("ENTRYPOINT")) == ["unspoken", "serve"]
    assert Path(sys.executable).with_name("unspoken").exists()  # the console script
    # Here, not in a container: the fixture's flags put it on loopback, a free port and a
    # temporary database; the rest of the image's environment applies as it is.
    server = live_server_factory(env=env)
    page = httpx.get(f"{server.url}/")
    assert page.status_code == 200 and "<main" in page.text
    assert httpx.get(f"{server.url}/static/js/app.js").status_code == 200
    server.stop()
    lines = server.log().splitlines()
    assert lines and all(json.loads(line)["level"] for line in lines)  # UNSPOKEN_LOG_FORMAT=json


def test_the_example_configuration_checks_out() -> None:
    path = REPO / "deploy" / "unspoken.toml"
    result = CliRunner().invoke(main, ["config", "check", "--config", str(path)], env={})
    assert result.exit_code == 0, result.output
    assert "log_format = 'json'  (file)" in result.output


def test_the_image_is_pinned_by_digest_and_installs_from_the_lock() -> None:
    bases = {
        name: value for name, value in re.findall(r"^ARG (\w+)=(\S+)$", CONTAINERFILE, flags=re.M)
    }
    for image in re.findall(r"^FROM (\S+)", CONTAINERFILE, flags=re.M):
        image = bases.get(image.strip("${}"), image)
        assert re.search(r"@sha256:[0-9a-f]{64}$", image), f"{image} is not pinned by digest"
    runs = " ".join(re.findall(r"^RUN (.+)$", CONTAINERFILE.replace("\\\n", " "), flags=re.M))
    assert "--require-hashes --no-deps -r tools/uv-requirements.txt" in runs  # uv, hash-pinned
    assert "uv sync --frozen" in runs  # every other package from uv.lock, as locked
    assert "pip install ." not in runs and "pip install '." not in runs
