"""`unspoken serve` from flags, UNSPOKEN_* variables and a TOML file; `config check` explains."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from unspoken.cli import main


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "unspoken.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_explains_each_mistake_in_plain_words(tmp_path: Path) -> None:
    path = _write(tmp_path, '[serve]\nprot = 8000\nport = "eighty"\nlog_format = "xml"\n[x]\n')
    result = CliRunner().invoke(main, ["config", "check", "--config", str(path)])
    assert result.exit_code == 1
    assert "'prot' is not a setting. Did you mean 'port'?" in result.output
    assert "'port' must be a whole number, not 'eighty'." in result.output
    assert "'log_format' must be 'text' or 'json'" in result.output
    assert "[x] is not" in result.output


def test_check_says_where_each_value_comes_from(tmp_path: Path) -> None:
    path = _write(tmp_path, f'[serve]\nport = 8123\ndatabase = "{tmp_path / "u.db"}"\n')
    result = CliRunner().invoke(
        main, ["config", "check", "--config", str(path)], env={"UNSPOKEN_PORT": "9000"}
    )
    assert result.exit_code == 0, result.output
    assert "port = '9000'  (environment)" in result.output
    assert "(file)" in result.output and "host = '127.0.0.1'  (default)" in result.output


def test_check_shows_the_public_origin_and_refuses_one_that_is_not_an_origin(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, '[serve]\npublic_origin = "https://notebook.example"\n')
    result = CliRunner().invoke(main, ["config", "check", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "public_origin = 'https://notebook.example'  (file)" in result.output
    path = _write(tmp_path, '[serve]\npublic_origin = "https://notebook.example/app"\n')
    result = CliRunner().invoke(main, ["config", "check", "--config", str(path)])
    assert result.exit_code == 1
    assert "'public_origin'" in result.output and "https://host" in result.output
    result = CliRunner().invoke(
        main, ["serve", "--public-origin", "notebook.example"], env={"UNSPOKEN_CONFIG": ""}
    )
    assert result.exit_code == 2 and "--public-origin" in result.output


def test_check_refuses_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["config", "check", "--config", str(tmp_path / "no")])
    assert result.exit_code == 1
    assert "There is no configuration file" in result.output


def test_serve_takes_the_file_and_a_flag_wins_over_it(tmp_path: Path) -> None:
    port = _free_port()
    path = _write(
        tmp_path, f'[serve]\nport = 1\ndatabase = "{tmp_path / "u.db"}"\nlog_format = "json"\n'
    )
    command = [
        sys.executable,
        "-m",
        "unspoken",
        "serve",
        "--config",
        str(path),
        "--port",
        str(port),
    ]
    log_path = tmp_path / "server.log"
    with log_path.open("ab") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        _wait(f"http://127.0.0.1:{port}/healthz")
        assert (tmp_path / "u.db").exists()  # the database came from the file
    finally:
        server.terminate()
        server.wait(timeout=15)
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any(line["logger"] == "unspoken.access" for line in lines)


def test_a_bad_file_stops_serve_before_it_starts(tmp_path: Path) -> None:
    path = _write(tmp_path, "[serve]\nport = true\n")
    result = CliRunner().invoke(main, ["serve", "--config", str(path)], env=dict(os.environ))
    assert result.exit_code == 2
    assert "'port' must be a whole number" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")
