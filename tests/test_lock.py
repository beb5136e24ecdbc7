"""uv.lock holds every Python dependency pyproject.toml asks for, each with its sha256 hashes."""

import shutil
import subprocess
import tomllib
from pathlib import Path

from tooling import REPO, uv


def _check(folder: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the project's own uv on the project's own files
        [uv(), "lock", "--check", "--project", str(folder), *flags],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_lock_agrees_with_pyproject() -> None:
    result = _check(REPO, "--offline")  # a lock that matches is known without the network
    assert result.returncode == 0, result.stderr


def test_a_pyproject_the_lock_does_not_match_is_caught(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(REPO / name, tmp_path / name)
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text("utf-8")
    assert '  "click>=8.1",\n' in text
    pyproject.write_text(text.replace('  "click>=8.1",\n', ""), "utf-8")  # a dependency dropped
    result = _check(tmp_path)  # to know it no longer matches, uv resolves (from PyPI or its cache)
    assert result.returncode != 0
    assert "needs to be updated" in result.stderr, result.stderr


def test_every_locked_download_carries_a_sha256() -> None:
    lock = tomllib.loads((REPO / "uv.lock").read_text("utf-8"))
    packages = [p for p in lock["package"] if p["name"] != "unspoken"]
    assert len(packages) > 50  # runtime, postgres, redis, test and bench together
    for package in packages:
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert files, package["name"]
        for file in files:
            assert file["hash"].startswith("sha256:"), (package["name"], file)
