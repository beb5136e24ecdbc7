"""The command line: thin, with clear errors."""

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspoken.cli import main
from unspoken.settings import DatabaseURLError, Settings, database_path


def test_serve_help_lists_its_options() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--database"):
        assert option in result.output


def test_serve_help_lists_the_broker() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "--broker" in result.output and "redis://" in result.output


def test_postgresql_urls_and_brokers_are_accepted() -> None:
    settings = Settings.from_database("postgresql://db/unspoken", "redis://127.0.0.1:6379/0")
    assert settings.database == "postgresql://db/unspoken"
    assert settings.broker == "redis://127.0.0.1:6379/0"
    assert Settings.from_database("var/x.db").broker == "memory"


def test_an_unknown_broker_is_refused_clearly() -> None:
    result = CliRunner().invoke(main, ["serve", "--broker", "kafka://x"])
    assert result.exit_code == 2 and "--broker" in result.output


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


def test_serve_freezes_the_startup_heap_before_serving(tmp_path: Path) -> None:
    """`serve` builds the app, then moves what start-up made out of the collector's reach and
    raises the young generation's threshold (unspoken/heap.py), before uvicorn takes over."""
    probe = (
        "import gc, sys, uvicorn\n"
        "from unspoken import heap\n"
        "from unspoken.cli import main\n"
        "def run(app, **_):\n"
        "    print(gc.get_freeze_count(), gc.get_threshold()[0], heap.YOUNG_THRESHOLD)\n"
        "    sys.exit(0)\n"
        "uvicorn.run = run\n"
        f"main(['serve', '--database', {str(tmp_path / 'x.db')!r}])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    frozen, young, expected = (int(n) for n in done.stdout.split())
    assert frozen > 50_000, "the modules and the app's tables should be frozen"
    assert young == expected
