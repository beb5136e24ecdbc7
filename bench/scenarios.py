"""The benchmark's scenarios: one server and N couples; the scale-out throughput runs."""

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import processes
from bench.conductor import Clients, merge
from bench.stats import summary

SETTLE_SECONDS = 2.0
IDLE_SECONDS = 5.0


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
    clients = Clients([server.url], plan.clients)
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
    out["live"] = {**_latencies(merge(clients.ask_each("live", rates))), **meter.read()}
    out["live"]["client_cpu_percent"] = client_meter.read()["cpu_percent"]
    if throughput:
        out["throughput"] = _blast(clients, [pid], plan)
    return out


def _blast(clients: Clients, pids: list[int], plan: Plan) -> dict[str, Any]:
    meter, client_meter = processes.Meter(pids), processes.Meter(clients.pids)
    per = [{"writers": n, "seconds": plan.seconds} for n in clients.split(plan.writers)]
    result = {**_latencies(merge(clients.ask_each("blast", per))), **meter.read()}
    return {**result, "client_cpu_percent": client_meter.read()["cpu_percent"]}


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
