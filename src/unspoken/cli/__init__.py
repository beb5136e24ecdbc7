"""The `unspoken` command: a thin layer over the library."""

from dataclasses import replace
from pathlib import Path

import click
import uvicorn

from unspoken import heap, logs
from unspoken.cli import config
from unspoken.settings import DEFAULT_PUSH_SERVICES, DatabaseURLError, Settings

# How long an idle connection is kept open (uvicorn's default, stated): clients must let theirs
# go sooner, as the SDK does (client/api.py, IDLE_CONNECTION_SECONDS), or race this close.
KEEP_ALIVE_SECONDS = 5


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


def _load_config(ctx: click.Context, _param: click.Parameter, path: Path | None) -> Path | None:
    """Eager: the file's [serve] table becomes the defaults, so flags and UNSPOKEN_* still win."""
    try:
        ctx.default_map = config.load(path)
    except config.ConfigError as exc:
        raise click.BadParameter(
            f"{exc} Run `unspoken config check` for details.", param_hint="--config"
        ) from None
    return path


CONFIG_OPTION = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="UNSPOKEN_CONFIG",
    is_eager=True,
    expose_value=False,
    callback=_load_config,
    help="A TOML file with a [serve] table (flags and UNSPOKEN_* variables win over it).",
)


@main.command()
@CONFIG_OPTION
@click.option(
    "--host",
    envvar="UNSPOKEN_HOST",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on.",
)
@click.option(
    "--port",
    envvar="UNSPOKEN_PORT",
    default=8000,
    show_default=True,
    type=int,
    help="Port to listen on.",
)
@click.option(
    "--database",
    envvar="UNSPOKEN_DATABASE",
    default="./var/unspoken.db",
    show_default=True,
    help="A SQLite file path, a sqlite:/// URL or a postgresql://user@host/db URL.",
)
@click.option(
    "--broker",
    envvar="UNSPOKEN_BROKER",
    default="memory",
    show_default=True,
    help="Live events: 'memory' for one process, redis://host:port for several.",
)
@click.option(
    "--rate-limits/--no-rate-limits",
    envvar="UNSPOKEN_RATE_LIMITS",
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
@click.option(
    "--log-format",
    envvar="UNSPOKEN_LOG_FORMAT",
    default="text",
    show_default=True,
    type=click.Choice(config.LOG_FORMATS),
    help="Log lines as text or as JSON.",
)
@click.option(
    "--vapid-key",
    envvar="UNSPOKEN_VAPID_KEY",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The VAPID key for Web Push (made on first start; default: vapid.pem beside "
    "the SQLite file).",
)
@click.option(
    "--push-contact",
    envvar="UNSPOKEN_PUSH_CONTACT",
    default="mailto:unspoken@localhost",
    show_default=True,
    help="A mailto: or https:// contact push services may use.",
)
@click.option(
    "--push-services",
    envvar="UNSPOKEN_PUSH_SERVICES",
    default="",
    help="Push-service origins to allow besides the browsers' own, space-separated.",
)
@click.option(
    "--public-origin",
    envvar="UNSPOKEN_PUBLIC_ORIGIN",
    default=None,
    help="The origin browsers reach this server at (https://host[:port]); their Origin must "
    "be exactly it. Unset: the request's own scheme, host and port.",
)
def serve(
    host: str,
    port: int,
    database: str,
    broker: str,
    rate_limits: bool,
    metrics_token: str | None,
    log_format: str,
    vapid_key: Path | None,
    push_contact: str,
    push_services: str,
    public_origin: str | None,
) -> None:
    """Serve the API, the live stream and the browser client."""
    problems = config.check_push(push_contact, push_services)
    if problems:
        raise click.BadParameter(" ".join(problems), param_hint="--push-contact/--push-services")
    problems = config.check_public_origin(public_origin)
    if problems:
        raise click.BadParameter(" ".join(problems), param_hint="--public-origin")
    settings = replace(
        _settings(database, broker),
        rate_limits=rate_limits,
        metrics_token=metrics_token,
        vapid_key=vapid_key,
        push_contact=push_contact,
        push_services=DEFAULT_PUSH_SERVICES + tuple(push_services.split()),
        public_origin=public_origin,
    )
    logs.configure(log_format)
    from unspoken.app import create_app  # import late: `--help` stays quick

    app = create_app(settings)
    heap.settle_for_serving()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,  # unspoken.access logs requests without headers or bodies
        timeout_graceful_shutdown=5,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


@main.group(name="config")
def config_group() -> None:
    """Check a configuration before serving with it."""


@config_group.command()
@click.option(
    "--config",
    "path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="UNSPOKEN_CONFIG",
    default=None,
    help="The TOML file to check.",
)
def check(path: Path | None) -> None:
    """Explain, in plain words, what `unspoken serve` would run with, or what is wrong."""
    try:
        resolved = config.resolve(config.load(path))
    except config.ConfigError as exc:
        click.echo("The configuration has problems:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1) from None
    click.echo("The configuration is good. `unspoken serve` would run with:")
    for key, value in resolved.values.items():
        shown = "(set)" if key == "metrics_token" and value else value
        click.echo(f"  {key} = {shown!r}  ({resolved.sources[key]})")


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
@click.option(
    "--database",
    default="./var/unspoken.db",
    show_default=True,
    help="The SQLite file to copy; the server may keep running.",
)
def backup(path: Path, database: str) -> None:
    """Make a consistent copy of the database at PATH, while the server runs."""
    from unspoken.store import backup as store_backup

    try:
        copied = store_backup.backup(_sqlite_file(database, "backup"), path)
    except store_backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Backed up {copied.notebooks} notebooks ({copied.records} records, "
        f"{copied.bytes} bytes) to {copied.path}."
    )


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--database",
    default="./var/unspoken.db",
    show_default=True,
    help="The SQLite file to bring back; stop the server first.",
)
def restore(path: Path, database: str) -> None:
    """Bring the backup at PATH back as the database. Stop the server first."""
    from unspoken.store import backup as store_backup

    try:
        copied = store_backup.restore(path, _sqlite_file(database, "restore"))
    except store_backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Restored {copied.notebooks} notebooks ({copied.records} records) into {copied.path}."
    )
