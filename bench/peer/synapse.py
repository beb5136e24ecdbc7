"""Synapse, the Matrix reference homeserver, as the peer: installed into a throw-away folder,
configured for a benchmark (rate limits and presence off), and driven over its client API:
`PUT …/send` for the writer, a long-polling `/sync` per partner.
"""

import asyncio
import itertools
import json
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from bench.processes import STARTUP_SECONDS, Server, free_port

VERSION = "1.163.2"
HOME = Path(__file__).resolve().parents[2] / "build" / "peer"
UNLIMITED = {"per_second": 1_000_000, "burst_count": 1_000_000}
# Only the room's timeline: no presence, typing, receipts or account data in each answer.
SYNC_FILTER = json.dumps(
    {
        "presence": {"not_types": ["*"]},
        "account_data": {"not_types": ["*"]},
        "room": {
            "timeline": {"limit": 100},
            "state": {"lazy_load_members": True},
            "ephemeral": {"not_types": ["*"]},
            "account_data": {"not_types": ["*"]},
        },
    },
    separators=(",", ":"),
)


def install(postgres: bool) -> Path:
    """A venv of its own with Synapse (and psycopg2 for PostgreSQL); its python."""
    venv = HOME / f"synapse-{VERSION}"
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        packages = [f"matrix-synapse=={VERSION}", "psycopg2-binary"]
        subprocess.run(  # noqa: S603 - pip into the throw-away venv
            [str(python), "-m", "pip", "install", "-qq", *packages], check=True
        )
        marker.touch()
    del postgres  # psycopg2 is always installed: one venv serves both variants
    return python


def _config(folder: Path, port: int, database: dict[str, Any]) -> Path:
    limits = {
        "rc_message": UNLIMITED,
        "rc_registration": UNLIMITED,
        "rc_login": {"address": UNLIMITED, "account": UNLIMITED, "failed_attempts": UNLIMITED},
        "rc_joins": {"local": UNLIMITED, "remote": UNLIMITED},
        "rc_joins_per_room": UNLIMITED,
        "rc_invites": {"per_room": UNLIMITED, "per_user": UNLIMITED, "per_issuer": UNLIMITED},
        "rc_room_creation": UNLIMITED,
        "rc_presence": {"per_user": UNLIMITED},
    }
    settings = {
        "server_name": "localhost",
        "pid_file": str(folder / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": database,
        "media_store_path": str(folder / "media"),
        "enable_registration": True,
        "enable_registration_without_verification": True,
        "presence": {"enabled": False},
        "report_stats": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "url_preview_enabled": False,
        **limits,
    }
    path = folder / "bench.yaml"
    path.write_text(json.dumps(settings, indent=2))  # YAML is a superset of JSON
    return path


def start(python: Path, folder: Path, database: dict[str, Any]) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / "homeserver.yaml"
    if not base.exists():  # keys, secrets and the log configuration
        subprocess.run(  # noqa: S603 - the throw-away Synapse
            [str(python), "-m", "synapse.app.homeserver", "--server-name", "localhost",
             "--config-path", str(base), "--generate-config", "--report-stats=no",
             "--data-directory", str(folder)],
            check=True, cwd=folder, capture_output=True,
        )  # fmt: skip
        log_config = folder / "localhost.log.config"
        if log_config.exists():  # warnings only: its own logging must not load the machine
            log_config.write_text(log_config.read_text().replace("level: INFO", "level: WARNING"))
    port = free_port()
    overrides = _config(folder, port, database)
    log_path = folder / "synapse.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - the throw-away Synapse
            [str(python), "-m", "synapse.app.homeserver", "-c", str(base), "-c", str(overrides)],
            stdout=log, stderr=subprocess.STDOUT, cwd=folder,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + STARTUP_SECONDS * 2
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{server.url}/health", timeout=1.0).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"Synapse did not start; see {log_path}")


@dataclass
class Member:
    client: httpx.AsyncClient
    user_id: str


async def _register(url: str, name: str) -> Member:
    client = httpx.AsyncClient(base_url=url, timeout=60.0)
    body = {"username": name, "password": secrets.token_urlsafe(12),
            "auth": {"type": "m.login.dummy"}}  # fmt: skip
    answer = await client.post("/_matrix/client/v3/register", json=body)
    answer.raise_for_status()
    account = answer.json()
    client.headers["Authorization"] = f"Bearer {account['access_token']}"
    return Member(client, account["user_id"])


class SynapseCouple:
    _txn = itertools.count()

    def __init__(self, writer: Member, reader: Member, room: str) -> None:
        self.writer, self.reader, self.room = writer, reader, room
        self._send = f"/_matrix/client/v3/rooms/{quote(room)}/send/m.room.message/"

    @classmethod
    async def make(cls, url: str, n: int) -> "SynapseCouple":
        tag = secrets.token_hex(3)
        writer = await _register(url, f"w{n}_{tag}")
        reader = await _register(url, f"r{n}_{tag}")
        created = await writer.client.post(
            "/_matrix/client/v3/createRoom",
            json={"preset": "private_chat", "invite": [reader.user_id]},
        )
        created.raise_for_status()
        room = created.json()["room_id"]
        joined = await reader.client.post(f"/_matrix/client/v3/join/{quote(room)}", json={})
        joined.raise_for_status()
        return cls(writer, reader, room)

    async def send(self, text: str) -> None:
        answer = await self.writer.client.put(
            f"{self._send}b{next(self._txn)}", json={"msgtype": "m.text", "body": text}
        )
        answer.raise_for_status()

    async def follow(self, heard: Callable[[str], None], ready: asyncio.Event) -> None:
        since: str | None = None
        while True:
            params = {"filter": SYNC_FILTER, "timeout": "0" if since is None else "30000"}
            if since is not None:
                params["since"] = since
            answer = await self.reader.client.get(
                "/_matrix/client/v3/sync", params=params, timeout=60.0
            )
            answer.raise_for_status()
            body = answer.json()
            if since is not None:  # the first answer is the replay: nothing in it is timed
                room = body.get("rooms", {}).get("join", {}).get(self.room, {})
                for event in room.get("timeline", {}).get("events", []):
                    if event.get("type") == "m.room.message":
                        heard(event["content"].get("body", ""))
            since = body["next_batch"]
            ready.set()

    async def close(self) -> None:
        await self.writer.client.aclose()
        await self.reader.client.aclose()
