"""The `unspoken` command: a thin layer over the library."""

import logging
import sys
from dataclasses import replace
from pathlib import Path

import click
import uvicorn

from unspoken.settings import DatabaseURLError, Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _settings(database: str, broker: str) -> Settings:
    try:
        return Settings.from_database(database, broker)
    except DatabaseURLError as exc:
        hint = "--broker" if "--broker" in str(exc) else "--database"
        raise click.BadParameter(str(exc), param_hint=hint) from None


@click.group()
@click.version_option(package_name="unspoken")
def main() -> None:
    """Unspoken: an end-to-end encrypted notebook for two."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--database",
    default="./var/unspoken.db",
    show_default=True,
    help="A SQLite file path, a sqlite:/// URL or a postgresql://user@host/db URL.",
)
@click.option(
    "--broker",
    default="memory",
    show_default=True,
    help="Live events: 'memory' for one process, redis://host:port for several.",
)
@click.option(
    "--rate-limits/--no-rate-limits",
    default=True,
    show_default=True,
    help="Limit invite claims and new notebooks per address, and writes per device.",
)
@click.option(
    "--metrics-token",
    envvar="UNSPOKEN_METRICS_TOKEN",
    default=None,
    help="Serve Prometheus metrics at /metrics to this bearer token (off when unset).",
)
def serve(
    host: str, port: int, database: str, broker: str, rate_limits: bool, metrics_token: str | None
) -> None:
    """Serve the API, the live stream and the browser client."""
    settings = replace(
        _settings(database, broker), rate_limits=rate_limits, metrics_token=metrics_token
    )
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format=LOG_FORMAT)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from unspoken.app import create_app  # import late: `--help` stays quick

    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=None,
        access_log=False,  # unspoken.access logs requests without headers or bodies
        timeout_graceful_shutdown=5,
    )


def _sqlite_file(database: str, action: str) -> Path:
    try:
        target = Settings.from_database(database).database
    except DatabaseURLError as exc:
        raise click.BadParameter(str(exc), param_hint="--database") from None
    if not isinstance(target, Path):
        tool = "pg_dump --format=custom --file PATH" if action == "backup" else "pg_restore"
        raise click.UsageError(f"For PostgreSQL, use its own tools: {tool} (docs/durability.md).")
    return target


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--database", default="./var/unspoken.db", show_default=True,
              help="The SQLite file to copy; the server may keep running.")
def backup(path: Path, database: str) -> None:
    """Make a consistent copy of the database at PATH, while the server runs."""
    from unspoken.store import backup as store_backup

    try:
        copied = store_backup.backup(_sqlite_file(database, "backup"), path)
    except store_backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up {copied.notebooks} notebooks ({copied.records} records, "
               f"{copied.bytes} bytes) to {copied.path}.")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--database", default="./var/unspoken.db", show_default=True,
              help="The SQLite file to bring back; stop the server first.")
def restore(path: Path, database: str) -> None:
    """Bring the backup at PATH back as the database. Stop the server first."""
    from unspoken.store import backup as store_backup

    try:
        copied = store_backup.restore(path, _sqlite_file(database, "restore"))
    except store_backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {copied.notebooks} notebooks ({copied.records} records) "
               f"into {copied.path}.")
