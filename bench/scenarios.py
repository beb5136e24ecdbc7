"""The benchmark's scenarios: one server and N couples; the scale-out throughput runs."""

import math
import resource
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import processes
from bench.conductor import Clients, merge
from bench.stats import summary

SETTLE_SECONDS = 2.0
IDLE_SECONDS = 16.0  # longer than the 15 s heartbeat: idle CPU includes every stream's comment
SOCKETS_PER_COUPLE = 3  # the writer's connection, the partner's stream and its other calls


@dataclass(frozen=True)
class Plan:
    rate: float  # entries per second, all couples together
    seconds: float  # each measured phase
    writers: int  # couples writing flat out in the throughput phase
    clients: int  # client processes
    workdir: Path


def _started(databases: list[str], broker: str, plan: Plan, name: str) -> list[processes.Server]:
    servers = [
        processes.start(db, broker, plan.workdir / f"{name}-{k}.log")
        for k, db in enumerate(databases)
    ]
    for server in servers:
        processes.wait_ready(server)
    return servers


def client_processes(couples: int, wanted: int) -> int:
    """`wanted`, or more when one process could not hold every couple's sockets."""
    _, limit = resource.getrlimit(resource.RLIMIT_NOFILE)
    return max(wanted, math.ceil(couples * SOCKETS_PER_COUPLE / (0.9 * limit)))


def _latencies(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "append_ms": summary(result.get("append_ms", [])),
        "delivery_ms": summary(result.get("delivery_ms", [])),
        "appends": len(result.get("append_ms", [])),
        "appends_per_second": len(result.get("append_ms", [])) / result["seconds"],
        "errors": len(result.get("errors", [])),
        "error_kinds": dict(Counter(result.get("errors", []))),
        "undelivered": result.get("undelivered", 0),
    }


def one_process(couples: int, plan: Plan, throughput: bool) -> dict[str, Any]:
    """SQLite, one server process: memory per idle stream, latency at a set rate, throughput."""
    database = str(plan.workdir / f"sqlite-{couples}.db")
    (server,) = _started([database], "memory", plan, f"sqlite-{couples}")
    clients = Clients([server.url], client_processes(couples, plan.clients))
    try:
        return _measure(server.pid, couples, clients, plan, throughput)
    finally:
        clients.stop()
        server.stop()


def _measure(
    pid: int, couples: int, clients: Clients, plan: Plan, throughput: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {"couples": couples}
    setup = merge(clients.ask_each("setup", [{"couples": n} for n in clients.split(couples)]))
    out["setup_seconds"] = setup["seconds"]
    time.sleep(SETTLE_SECONDS)
    before = processes.rss_mb(pid)
    out["watch_seconds"] = merge(clients.ask("watch"))["seconds"]
    time.sleep(SETTLE_SECONDS)
    idle = processes.Meter([pid])
    time.sleep(IDLE_SECONDS)
    out["idle"] = idle.read()
    out["rss_before_streams_mb"] = before
    out["kb_per_idle_stream"] = (out["idle"]["rss_mb"] - before) * 1024 / couples
    meter, client_meter = processes.Meter([pid]), processes.Meter(clients.pids)
    rates = [{"rate": plan.rate / clients.count, "seconds": plan.seconds}] * clients.count
    live = _latencies(merge(clients.ask_each("live", rates)))
    used = meter.read()
    out["live"] = {**live, **used, **_costs(live, used, client_meter)}
    if throughput:
        out["throughput"] = _blast(clients, [pid], plan)
    return out


def _blast(clients: Clients, pids: list[int], plan: Plan) -> dict[str, Any]:
    meter, client_meter = processes.Meter(pids), processes.Meter(clients.pids)
    per = [{"writers": n, "seconds": plan.seconds} for n in clients.split(plan.writers)]
    result = _latencies(merge(clients.ask_each("blast", per)))
    used = meter.read()
    return {**result, **used, **_costs(result, used, client_meter)}


def _costs(
    result: dict[str, Any], server: dict[str, float], client: processes.Meter
) -> dict[str, float]:
    """CPU per append, server and clients apart: unlike latency, it barely moves when other
    work shares the machine, so runs on a busy machine still compare."""
    appends, client_used = max(1, result["appends"]), client.read()
    return {
        "client_cpu_percent": client_used["cpu_percent"],
        "server_cpu_ms_per_append": server["cpu_seconds"] * 1000 / appends,
        "client_cpu_ms_per_append": client_used["cpu_seconds"] * 1000 / appends,
    }


def scale_out(
    postgres_url: str, redis_url: str, servers: int, couples: int, plan: Plan
) -> dict[str, Any]:
    """PostgreSQL + Redis with `servers` app processes: throughput with live streams on."""
    started = _started([postgres_url] * servers, redis_url, plan, f"pg-{servers}")
    clients = Clients([s.url for s in started], plan.clients)
    try:
        split = [{"couples": n} for n in clients.split(couples)]
        out: dict[str, Any] = {"servers": servers, "couples": couples}
        out["setup_seconds"] = merge(clients.ask_each("setup", split))["seconds"]
        clients.ask("watch")
        out["throughput"] = _blast(clients, [s.pid for s in started], plan)
        return out
    finally:
        clients.stop()
        for server in started:
            server.stop()
