"""The database is checked at start-up: on a damaged file the server refuses to start."""

import hashlib
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from store.helpers import NOW, chain, make_notebook
from unspoken.server import writes
from unspoken.store import SqliteStore
from unspoken.store.sqlite import DatabaseDamaged

PAGE = 4096


async def _database(path: Path) -> None:
    """A real notebook with enough entries to span many pages, checkpointed into one file."""
    store = SqliteStore(path)
    await store.open()
    notebook_id, member_id = await make_notebook(store)
    for entry in chain(40):
        await store.write(writes.append_entry(notebook_id, member_id, entry, NOW))
    await store.close()  # the last connection to close checkpoints the WAL into the file


def _damage(path: Path) -> str:
    """Overwrite two pages in the middle (never page 1, the header); return the file's hash."""
    data = bytearray(path.read_bytes())
    middle = len(data) // PAGE // 2
    data[middle * PAGE : (middle + 2) * PAGE] = b"\xff" * (2 * PAGE)
    path.write_bytes(bytes(data))
    return hashlib.sha256(data).hexdigest()


async def test_a_damaged_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "unspoken.db"
    await _database(path)
    assert not (tmp_path / "unspoken.db-wal").exists()
    digest = _damage(path)
    store = SqliteStore(path)
    with pytest.raises(DatabaseDamaged, match="failed SQLite's integrity check") as refused:
        await store.open()
    await store.close()
    assert "unspoken restore" in str(refused.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


async def test_a_healthy_database_passes_the_check(tmp_path: Path) -> None:
    path = tmp_path / "unspoken.db"
    await _database(path)
    store = SqliteStore(path)
    await store.open()
    await store.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("damage", ["pages", "not-a-database"])
async def test_the_server_will_not_start_on_a_damaged_file(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "unspoken.db"
    if damage == "pages":
        await _database(path)
        _damage(path)
    else:
        path.write_bytes(b"this was never a database " * 400)
    command = [sys.executable, "-m", "unspoken", "serve", "--port", str(_free_port())]
    ran = subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [*command, "--database", str(path)], capture_output=True, text=True, timeout=120
    )
    assert ran.returncode != 0
    assert f"The database {path} failed SQLite's integrity check" in ran.stderr
    assert "The server will not start on it" in ran.stderr
