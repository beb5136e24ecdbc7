"""`python -m bench`: the physical floor, then N couples on SQLite, then PostgreSQL + Redis.

Everything runs on loopback and ends on its own; the default run takes a few minutes, and
`--with-10k` adds the 10,000-stream step (several minutes more, mostly setting couples up).
"""

import argparse
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import floor, report, scenarios
from bench.worker import raise_fd_limit


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--couples", type=int, default=1000, help="the headline N")
    parser.add_argument("--scale", default="100,1000", help="the N series (couples = streams)")
    parser.add_argument("--with-10k", action="store_true", help="add N = 10,000 to the series")
    parser.add_argument("--rate", type=float, default=200.0, help="entries per second, in all")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each phase")
    parser.add_argument("--writers", type=int, default=128, help="couples writing flat out")
    parser.add_argument(
        "--clients",
        type=int,
        default=1,
        help="client processes (more only if the server has cores to spare)",
    )
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--no-scale-out", action="store_true", help="skip PostgreSQL + Redis")
    parser.add_argument("--out", type=Path, default=report.RESULTS)
    return parser.parse_args(argv)


def _series(args: argparse.Namespace) -> list[int]:
    series = sorted({int(n) for n in args.scale.split(",") if n} | {args.couples})
    return sorted({*series, 10_000}) if args.with_10k else series


def _machine() -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    import os

    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "kernel": platform.release(), "fd_limit": raise_fd_limit()}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    started = time.monotonic()
    out: dict[str, Any] = {"command": " ".join(["python -m bench", *(argv or sys.argv[1:])])}
    out["machine"] = _machine()
    with tempfile.TemporaryDirectory(prefix="unspoken-bench-") as tmp:
        workdir = Path(tmp)
        plan = scenarios.Plan(args.rate, args.seconds, args.writers, args.clients, workdir)
        out["floor"] = {
            "loopback_rtt_ms": floor.loopback_round_trip_ms(),
            "fsync_ms": floor.fsync_ms(workdir),
            "ed25519_verify_ms": floor.ed25519_verify_ms(),
        }
        _say(f"floor: {out['floor']}")
        out["sqlite"] = []
        for couples in _series(args):
            _say(f"SQLite, one process, {couples} couples …")
            result = scenarios.one_process(couples, plan, throughput=couples == args.couples)
            out["sqlite"].append(result)
            _say(json.dumps(report.brief(result)))
        if not args.no_scale_out:
            out["scale_out"] = _scale_out(args, plan)
    shown = {"out": os.path.relpath(args.out)}  # no machine's absolute path in the results
    out["plan"] = {k: v for k, v in vars(args).items() if k != "out"} | shown
    out["wall_seconds"] = time.monotonic() - started
    paths = report.write(out, args.out)
    _say(f"wrote {', '.join(str(p) for p in paths)}")
    print(report.table(out))
    return 0


def _scale_out(args: argparse.Namespace, plan: scenarios.Plan) -> list[dict[str, Any]]:
    from bench.databases import postgres_schema, reachable

    missing = reachable(args.postgres, args.redis)
    if missing:
        _say(f"skipping PostgreSQL + Redis: {missing} (or pass --no-scale-out)")
        return []
    runs = []
    for servers in (1, 2):
        with postgres_schema(args.postgres, f"bench_{secrets.token_hex(4)}") as url:
            _say(f"PostgreSQL + Redis, {servers} process(es) …")
            result = scenarios.scale_out(url, args.redis, servers, args.writers, plan)
            runs.append(result)
            _say(json.dumps(report.brief(result)))
    return runs


def _say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
