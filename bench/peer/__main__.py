"""`python -m bench.peer` (make bench-peer): Unspoken and Synapse, the same pattern, one run.

For each server in turn, alone on the machine: one idle couple writes `--entries` lines
`--interval-ms` apart (delivery: write called → the partner's live view has it); then
`--writers` couples write as fast as each append is durable, partners watching. Synapse runs
on SQLite, and on PostgreSQL too when the machine's PostgreSQL answers.
"""

import argparse
import asyncio
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psycopg

from bench import processes
from bench.peer import pattern, synapse
from bench.peer.ours import UnspokenCouple
from bench.report import RESULTS

MakeCouple = Callable[[str, int], Awaitable[Any]]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__)
    parser.add_argument("--entries", type=int, default=200, help="the idle couple's lines")
    parser.add_argument("--interval-ms", type=float, default=20.0, help="between those lines")
    parser.add_argument("--writers", type=int, default=16, help="couples writing flat out")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of that phase")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true", help="Synapse on SQLite only")
    parser.add_argument("--out", type=Path, default=RESULTS)
    return parser.parse_args(argv)


async def _measure(
    url: str, pid: int, make: MakeCouple, args: argparse.Namespace
) -> dict[str, Any]:
    idle = await make(url, 0)
    couples = [await make(url, n) for n in range(1, args.writers + 1)]
    meter = processes.Meter([pid])
    delivery = await pattern.idle_delivery(idle, args.entries, args.interval_ms / 1000)
    idle_cpu = meter.read()
    meter = processes.Meter([pid])
    blast = await pattern.throughput(couples, args.seconds)
    used = meter.read()
    for couple in [idle, *couples]:
        await couple.close()
    return {
        "idle_delivery_ms": delivery,
        "idle_server_cpu_ms_per_entry": 1000 * idle_cpu["cpu_seconds"] / max(args.entries, 1),
        "throughput": blast,
        "server_cpu_ms_per_append": 1000 * used["cpu_seconds"] / max(blast["appends"], 1),
        "server_cpu_percent": used["cpu_percent"],
        "server_rss_mb": used["rss_mb"],
    }


def _unspoken(workdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    server = processes.start(str(workdir / "unspoken.db"), "memory", workdir / "unspoken.log")
    try:
        processes.wait_ready(server)
        return asyncio.run(_measure(server.url, server.pid, UnspokenCouple.make, args))
    finally:
        server.stop()


def _synapse(
    python: Path, folder: Path, database: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    server = synapse.start(python, folder, database)
    try:
        return asyncio.run(_measure(server.url, server.pid, synapse.SynapseCouple.make, args))
    finally:
        server.stop()


def _postgres_database(url: str) -> str | None:
    """A database of its own for Synapse (it asks for C collation), or None if unreachable."""
    name = f"synapse_bench_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as admin:
            admin.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C' LC_CTYPE 'C'"
            )
    except psycopg.Error as exc:
        _say(f"skipping Synapse on PostgreSQL: {type(exc).__name__}")
        return None
    return name


def _drop_database(url: str, name: str) -> None:
    with psycopg.connect(url, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _ratios(ours: dict[str, Any], peer: dict[str, Any]) -> dict[str, float]:
    return {
        "idle_delivery_p99": peer["idle_delivery_ms"]["p99"] / ours["idle_delivery_ms"]["p99"],
        "idle_delivery_p50": peer["idle_delivery_ms"]["p50"] / ours["idle_delivery_ms"]["p50"],
        "appends_per_second": ours["throughput"]["per_second"] / peer["throughput"]["per_second"],
    }


def _table(out: dict[str, Any]) -> str:
    lines = [
        f"`{out['command']}` — {out['when']}, {out['machine']}",
        "",
        "| server | idle couple delivery p50 / p99 (ms) | appends/s, "
        f"{out['plan']['writers']} writers | server CPU per append (ms) |",
        "|---|---|---|---|",
    ]
    for name, run in out["runs"].items():
        d, t = run["idle_delivery_ms"], run["throughput"]
        lines.append(
            f"| {name} | {d['p50']:.1f} / {d['p99']:.1f} | {t['per_second']:.0f} "
            f"| {run['server_cpu_ms_per_append']:.2f} |"
        )
    lines.append("")
    for name, ratio in out["ratios"].items():
        lines.append(
            f"- Unspoken against {name}: delivery p99 {ratio['idle_delivery_p99']:.1f}× faster, "
            f"appends/s {ratio['appends_per_second']:.1f}× more"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    out: dict[str, Any] = {
        "command": " ".join(["python -m bench.peer", *(argv or sys.argv[1:])]),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "synapse": synapse.VERSION,
        "plan": {k: v for k, v in vars(args).items() if k not in ("out", "postgres")},
        "runs": {},
    }
    _say(f"installing Synapse {synapse.VERSION} under build/peer (once) …")
    python = synapse.install(postgres=not args.no_postgres)
    with tempfile.TemporaryDirectory(prefix="unspoken-peer-") as tmp:
        workdir = Path(tmp)
        _say("Unspoken (SQLite) …")
        out["runs"]["Unspoken (SQLite)"] = _unspoken(workdir, args)
        _say(json.dumps(out["runs"]["Unspoken (SQLite)"]["idle_delivery_ms"]))
        _say("Synapse (SQLite) …")
        sqlite = {"name": "sqlite3", "args": {"database": str(workdir / "synapse.db")}}
        out["runs"]["Synapse (SQLite)"] = _synapse(python, workdir / "synapse-sqlite", sqlite, args)
        if not args.no_postgres and (name := _postgres_database(args.postgres)) is not None:
            _say("Synapse (PostgreSQL) …")
            database = {"name": "psycopg2", "args": {"user": "postgres", "host": "127.0.0.1",
                        "port": 5432, "database": name, "cp_min": 5, "cp_max": 10}}  # fmt: skip
            try:
                out["runs"]["Synapse (PostgreSQL)"] = _synapse(
                    python, workdir / "synapse-postgres", database, args
                )
            finally:
                _drop_database(args.postgres, name)
    ours = out["runs"]["Unspoken (SQLite)"]
    out["ratios"] = {
        name: _ratios(ours, run) for name, run in out["runs"].items() if name.startswith("Synapse")
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"peer-{stamp}.json").write_text(json.dumps(out, indent=2) + "\n")
    (args.out / "peer-latest.md").write_text(_table(out))
    print(_table(out))
    return 0


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def _say(text: str) -> None:
    print(f"[bench-peer] {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
