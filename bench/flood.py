"""`python -m bench.flood`: a member's requests while a flood of made-up tokens hits the server.

The server runs with its rate limits on. A member (a real SDK couple, from 127.0.0.1) asks for
the notebook every 20 ms: alone, then during four floods of `--tokens` writes each, sent as fast
as the generator can:

- from one address (127.0.0.2), with ONE made-up token, then with a DIFFERENT one each: the
  address's own limit answers most of them 429 before any token is read;
- spread over `--addresses` loopback addresses (a new connection from the next address every
  `--per-address` writes, so each address stays under its limit), with ONE made-up token, then a
  DIFFERENT one each: every write reaches authentication, and the limiter's table of addresses
  is filled past its bound (`MAX_BUCKETS`), so it must evict as it goes.

Any flood costs the server CPU per request; what distinct tokens must not add is anything more:
the member's median during a distinct flood should be within noise of the one-token flood sent
the same way, and the server's memory flat (docs/performance.md, "A flood of made-up tokens").
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


def _request(notebook: str, n: int, host: str) -> bytes:
    token = f"made-up-{n:08d}"
    return (
        f"POST /v1/notebooks/{notebook}/pen/pass HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: 0\r\n\r\n"
    ).encode()


async def _answers(reader: asyncio.StreamReader, count: int, statuses: dict[str, int]) -> None:
    """Read `count` pipelined answers off one connection, counting their status codes."""
    for _ in range(count):
        head = await reader.readuntil(b"\r\n\r\n")
        status = head.split(b" ", 2)[1].decode()
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        statuses[status] = statuses.get(status, 0) + 1


def _address(k: int) -> str:
    """The k-th flooding address in 127.1.0.1 onwards (loopback: 127.0.0.0/8 is all local)."""
    return f"127.{1 + k // (256 * 254)}.{(k // 254) % 256}.{1 + k % 254}"


async def _flood(
    url: str, tokens: int, connections: int, distinct: bool, per_address: int = 0, depth: int = 32
) -> dict[str, int]:
    """`tokens` POSTs, each with its own made-up token if `distinct`: from 127.0.0.2 when
    `per_address` is 0, else from a new address (and a new connection) every `per_address`.

    Plain sockets with HTTP/1.1 pipelining (`depth` requests written before their answers are
    read): an HTTP client library spends more CPU per request than the server it floods, and
    on a small machine the generator, not the server, would set the pace.
    """
    parts = httpx.URL(url)
    host, port = parts.host, parts.port or 80
    statuses: dict[str, int] = {}
    counter = iter(range(tokens))
    addresses = iter(range(tokens))
    size = min(depth, per_address) if per_address else depth

    async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        source = _address(next(addresses)) if per_address else "127.0.0.2"
        return await asyncio.open_connection(host, port, local_addr=(source, 0))

    async def one_connection() -> None:
        reader, writer = await connect()
        sent = 0
        try:
            while True:
                batch = [n if distinct else 0 for _, n in zip(range(size), counter, strict=False)]
                if not batch:
                    return
                if per_address and sent >= per_address:
                    writer.close()
                    reader, writer = await connect()
                    sent = 0
                writer.write(b"".join(_request("AAAAAAAAAAAAAAAAAAAAAA", n, host) for n in batch))
                await writer.drain()
                sent += len(batch)
                try:
                    await _answers(reader, len(batch), statuses)
                except (asyncio.IncompleteReadError, ConnectionError):
                    # The server closed the connection: what was unanswered is counted, and a
                    # new connection takes the rest.
                    statuses["closed"] = statuses.get("closed", 0) + 1
                    writer.close()
                    reader, writer = await connect()
                    sent = 0
        finally:
            writer.close()

    await asyncio.gather(*(one_connection() for _ in range(connections)))
    return dict(sorted(statuses.items()))


async def _run(url: str, pid: int, args: argparse.Namespace) -> dict[str, Any]:
    ella = await Notebook.create(url, name="Ella")
    james = await Notebook.join(ella.invite_link, name="James")
    await ella.approve_partner()
    token = ella._api.token or ""  # the member's own device token, as its app holds it
    quiet = await _member_latency(ella, token, url, args.seconds)
    floods: dict[str, Any] = {}
    spread = args.per_address
    for name, distinct, per_address in (
        ("one_token", False, 0),
        ("distinct_tokens", True, 0),
        ("one_token_spread", False, spread),
        ("distinct_tokens_spread", True, spread),
    ):
        rss_before = processes.rss_mb(pid)
        flood = asyncio.create_task(
            _flood(url, args.tokens, args.connections, distinct, per_address)
        )
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
    p50 = {name: flood["member_ms"]["p50"] for name, flood in floods.items()}
    return {
        "tokens": args.tokens,
        "addresses_spread": -(-args.tokens // spread),
        "member_ms_quiet": summary(quiet),
        "floods": floods,
        "member_ms_after": summary(after),
        "median_ratio_distinct_to_one_token": p50["distinct_tokens"] / p50["one_token"],
        "median_ratio_distinct_to_one_token_spread": (
            p50["distinct_tokens_spread"] / p50["one_token_spread"]
        ),
        "median_ratio_distinct_to_quiet": p50["distinct_tokens"] / statistics.median(quiet),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flood", description=__doc__)
    parser.add_argument("--tokens", type=int, default=200_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--per-address",
        type=int,
        default=3,
        help="writes per address in the spread floods (200,000 tokens / 3 = 66,667 addresses,"
        " a third past the limiter's bound of 50,000)",
    )
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
