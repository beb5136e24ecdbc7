"""Online backup and restore of the embedded store, with SQLite's own backup API.

A backup copies pages under SQLite's locks, so it is consistent even while the server writes
(WAL included). PostgreSQL has its own tools for this; the CLI points to them.
"""

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_STEP = 1024


class BackupError(RuntimeError):
    """The backup or restore could not be made; nothing was overwritten."""


@dataclass(frozen=True)
class Copied:
    path: Path
    notebooks: int
    records: int
    bytes: int


def backup(database: Path, target: Path) -> Copied:
    """Copy a live database to `target` (which must not exist yet), then check the copy."""
    if not database.exists():
        raise BackupError(f"There is no database at {database}.")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file for the backup.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(_open(database)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy, pages=PAGES_PER_STEP)
        copy.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
    _check(partial)
    _fsync(partial)
    partial.rename(target)
    return _describe(target)


def restore(source: Path, database: Path) -> Copied:
    """Bring a backup back as the database. Stop the server first: it must not be writing."""
    if not source.exists():
        raise BackupError(f"There is no backup at {source}.")
    _check(source)
    database.parent.mkdir(parents=True, exist_ok=True)
    with closing(_open(source)) as backup_db, closing(sqlite3.connect(database)) as live:
        backup_db.backup(live, pages=PAGES_PER_STEP)
    _check(database)
    return _describe(database)


def _open(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _check(path: Path) -> None:
    with closing(_open(path)) as conn:
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a SQLite database.") from exc
    if verdict != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check.")
    if "alembic_version" not in tables or "records" not in tables:
        raise BackupError(f"{path} is not an Unspoken database.")


def _describe(path: Path) -> Copied:
    with closing(_open(path)) as conn:
        notebooks = conn.execute("SELECT count(*) FROM notebooks").fetchone()[0]
        records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
    return Copied(path, notebooks, records, path.stat().st_size)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
