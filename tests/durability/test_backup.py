"""`unspoken backup` copies a live database; `unspoken restore` brings exactly that back."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from unspoken.client import Notebook


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "unspoken", *args], capture_output=True, text=True, timeout=60
    )


async def _entries(url: str, notebook: Notebook) -> list[tuple[int, str]]:
    headers = {"Authorization": f"Bearer {notebook._api.token}"}
    async with httpx.AsyncClient(base_url=url) as http:
        page = (await http.get(f"/v1/notebooks/{notebook.id}/records", headers=headers)).json()
    return [(r["seq"], r["hash"]) for r in page["records"] if r["kind"] == "entry"]


async def test_a_backup_of_a_live_database_restores_exactly(
    live_server_factory: Any, tmp_path: Path
) -> None:
    server = live_server_factory()
    james = await Notebook.create(server.url, name="James")
    ella = await Notebook.join(james.invite_link, name="Ella")
    await james.approve_partner()
    for line in ("I never meant for things to end this way", "I thought I could handle it"):
        await james.write(line)
    before = await _entries(server.url, james)

    copy = tmp_path / "backup.db"
    made = _cli("backup", str(copy), "--database", str(server.database))  # server still running
    assert made.returncode == 0, made.stderr
    assert "1 notebooks" in made.stdout
    await james.write("written after the backup")
    assert len(await _entries(server.url, james)) == 3
    await james.close()
    await ella.close()
    server.stop()

    refused = _cli("backup", str(copy), "--database", str(server.database))
    assert refused.returncode != 0 and "already exists" in refused.stderr
    restored = _cli("restore", str(copy), "--database", str(server.database))
    assert restored.returncode == 0, restored.stderr

    again = live_server_factory(database=server.database, log_name="again.log")
    assert await _entries(again.url, james) == before
    assert b"I never meant" not in copy.read_bytes()


def test_restore_refuses_what_is_not_an_unspoken_database(tmp_path: Path) -> None:
    stray = tmp_path / "stray.db"
    stray.write_bytes(b"not a database at all" * 100)
    answer = _cli("restore", str(stray), "--database", str(tmp_path / "live.db"))
    assert answer.returncode != 0
    assert "not a SQLite database" in answer.stderr
    assert not (tmp_path / "live.db").exists()


def test_backup_of_postgresql_points_to_its_tools(tmp_path: Path) -> None:
    answer = _cli("backup", str(tmp_path / "x"), "--database", "postgresql://127.0.0.1/test")
    assert answer.returncode != 0
    assert "pg_dump" in answer.stderr
