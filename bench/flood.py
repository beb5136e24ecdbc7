"""`python -m bench.flood`: a member's requests while a flood of made-up tokens hits the server.

The server runs with its rate limits on. A member (a real SDK couple, from 127.0.0.1) asks for
the notebook every 20 ms: alone, then while another address (127.0.0.2) sends `--tokens` writes
as fast as it can with ONE made-up token, then the same number with a DIFFERENT made-up token
each. Any flood costs the server CPU per request; what distinct tokens must not add is anything
more: the member's median during the distinct flood should be within noise of the one-token
flood, and the server's memory flat (docs/performance.md, "A flood of made-up tokens").
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench import processes
from bench.report import RESULTS
from bench.stats import summary
from unspoken.client import Notebook


async def _member_latency(nb: Notebook, token: str, url: str, seconds: float) -> list[float]:
    """GET the notebook every 20 ms from 127.0.0.1; milliseconds each."""
    samples: list[float] = []
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.1")
    async with httpx.AsyncClient(base_url=url, transport=transport) as http:
        headers = {"Authorization": f"Bearer {token}"}
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            answer = await http.get(f"/v1/notebooks/{nb.id}", headers=headers)
            samples.append((time.perf_counter() - start) * 1000)
            assert answer.status_code == 200, answer.text
            await asyncio.sleep(0.02)
    return samples


async def _flood(url: str, tokens: int, connections: int, distinct: bool) -> dict[str, int]:
    """`tokens` POSTs from 127.0.0.2, each with its own made-up token if `distinct`."""
    statuses: dict[str, int] = {}
    counter = iter(range(tokens))
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=url, transport=transport, limits=limits) as http:

        async def one_connection() -> None:
            for n in counter:
                try:
                    answer = await http.post(
                        "/v1/notebooks/AAAAAAAAAAAAAAAAAAAAAA/pen/pass",
                        headers={"Authorization": f"Bearer made-up-{n if distinct else 0:08d}"},
                    )
                    said = str(answer.status_code)
                except httpx.TransportError:  # a kept-alive connection closed as it was reused
                    said = "transport-error"
                statuses[said] = statuses.get(said, 0) + 1

        await asyncio.gather(*(one_connection() for _ in range(connections)))
    return dict(sorted(statuses.items()))


async def _run(url: str, pid: int, args: argparse.Namespace) -> dict[str, Any]:
    ella = await Notebook.create(url, name="Ella")
    james = await Notebook.join(ella.invite_link, name="James")
    await ella.approve_partner()
    token = ella._api.token or ""  # the member's own device token, as its app holds it
    quiet = await _member_latency(ella, token, url, args.seconds)
    floods: dict[str, Any] = {}
    for name, distinct in (("one_token", False), ("distinct_tokens", True)):
        rss_before = processes.rss_mb(pid)
        flood = asyncio.create_task(_flood(url, args.tokens, args.connections, distinct))
        started = time.perf_counter()
        during: list[float] = []
        while not flood.done():
            during += await _member_latency(ella, token, url, 2.0)
        floods[name] = {
            "member_ms": summary(during),
            "seconds": time.perf_counter() - started,
            "statuses": await flood,
            "server_rss_mb": {"before": rss_before, "after": processes.rss_mb(pid)},
        }
    after = await _member_latency(ella, token, url, args.seconds)
    await ella.close()
    await james.close()
    one, distinct = floods["one_token"]["member_ms"], floods["distinct_tokens"]["member_ms"]
    return {
        "tokens": args.tokens,
        "member_ms_quiet": summary(quiet),
        "floods": floods,
        "member_ms_after": summary(after),
        "median_ratio_distinct_to_one_token": distinct["p50"] / one["p50"],
        "median_ratio_distinct_to_quiet": distinct["p50"] / statistics.median(quiet),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flood", description=__doc__)
    parser.add_argument("--tokens", type=int, default=200_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="unspoken-flood-") as tmp:
        workdir = Path(tmp)
        command = processes.start_command(str(workdir / "unspoken.db"), "memory", limits=True)
        server = processes.start_with(command, workdir / "server.log")
        try:
            processes.wait_ready(server)
            out = asyncio.run(_run(server.url, server.pid, args))
        finally:
            server.stop()
    out["command"] = " ".join(["python -m bench.flood", *(argv or sys.argv[1:])])
    out["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "flood.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
