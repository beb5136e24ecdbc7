"""The command line: thin, with clear errors."""

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspoken.cli import main
from unspoken.settings import DatabaseURLError, database_path


def test_serve_help_lists_its_options() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--database"):
        assert option in result.output


def test_postgresql_is_refused_clearly_for_now() -> None:
    result = CliRunner().invoke(main, ["serve", "--database", "postgresql://db/unspoken"])
    assert result.exit_code == 2
    assert "PostgreSQL is not supported yet" in result.output


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("./var/unspoken.db", Path("var/unspoken.db")),
        ("sqlite:///var/unspoken.db", Path("var/unspoken.db")),
        ("sqlite:////srv/unspoken.db", Path("/srv/unspoken.db")),
    ],
)
def test_database_paths_and_urls(value: str, path: Path) -> None:
    assert database_path(value) == path


@pytest.mark.parametrize(
    "value", ["sqlite://", "sqlite:///:memory:", "mysql://x/y", "postgres://x"]
)
def test_unservable_databases_are_refused(value: str) -> None:
    with pytest.raises(DatabaseURLError):
        database_path(value)


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "unspoken", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "serve" in done.stdout
