"""The `unspoken` command: a thin layer over the library."""

import logging
import sys

import click
import uvicorn

from unspoken.settings import DatabaseURLError, Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _settings(database: str) -> Settings:
    try:
        return Settings.from_database(database)
    except DatabaseURLError as exc:
        raise click.BadParameter(str(exc), param_hint="--database") from None


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
    help="A SQLite file path or sqlite:/// URL.",
)
def serve(host: str, port: int, database: str) -> None:
    """Serve the API, the live stream and the browser client."""
    settings = _settings(database)
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
