"""What the benchmark writes: JSON, a PNG plot, a Markdown table (also into the docs)."""

import json
import time
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
RESULTS = Path(__file__).resolve().parent / "results"  # the run docs/performance.md quotes
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def brief(result: dict[str, Any]) -> dict[str, Any]:
    """One line for the console while the run goes on."""
    live, blast = result.get("live", {}), result.get("throughput", {})
    return {
        "couples": result.get("couples"),
        "delivery_p99_ms": live.get("delivery_ms", {}).get("p99"),
        "append_p99_ms": live.get("append_ms", {}).get("p99"),
        "kb_per_idle_stream": result.get("kb_per_idle_stream"),
        "appends_per_second": blast.get("appends_per_second"),
        "errors": live.get("errors", 0) + blast.get("errors", 0),
    }


def _floors(out: dict[str, Any]) -> tuple[float, float, float]:
    rtt, fsync = out["floor"]["loopback_rtt_ms"]["p50"], out["floor"]["fsync_ms"]["p50"]
    return rtt + fsync, 1.5 * rtt + fsync, 1000 / fsync


def _ms(stats: dict[str, float], floor: float) -> str:
    return " / ".join(f"{stats[p]:.1f}" for p in ("p50", "p95", "p99")) + (
        f" ({stats['p99'] / floor:.0f}×)"
    )


def table(out: dict[str, Any]) -> str:
    append_floor, delivery_floor, fsync_ceiling = _floors(out)
    floor = out["floor"]
    lines = [
        f"Floor: loopback round trip p50 {floor['loopback_rtt_ms']['p50'] * 1000:.0f} µs, "
        f"fsync p50 {floor['fsync_ms']['p50']:.2f} ms (p99 {floor['fsync_ms']['p99']:.2f} ms). "
        f"Ratios (×) are p99 ÷ floor: append floor = round trip + fsync = {append_floor:.2f} ms, "
        f"delivery floor = 1.5 round trips + fsync = {delivery_floor:.2f} ms.",
        "",
        "| couples = streams | delivery ms p50 / p95 / p99 | append ms p50 / p95 / p99 "
        "| entries/s | server CPU (ms per append) | client CPU (ms per append) | server RSS MB "
        "| KB per idle stream | idle CPU |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in out["sqlite"]:
        live = run["live"]
        lines.append(
            f"| {run['couples']:,} | {_ms(live['delivery_ms'], delivery_floor)} "
            f"| {_ms(live['append_ms'], append_floor)} | {live['appends_per_second']:.0f} "
            f"| {_cpu(live, 'server')} | {_cpu(live, 'client')} "
            f"| {run['idle']['rss_mb']:.0f} "
            f"| {run['kb_per_idle_stream']:.1f} | {run['idle']['cpu_percent']:.1f} % |"
        )
    lines += [
        "",
        "| sustained durable appends/s (live streams on) | appends/s | × one fsync per append "
        "| append ms p50 / p99 | server CPU (ms per append) | client CPU (ms per append) "
        "| errors |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for name, run in _throughputs(out):
        blast = run["throughput"]
        lines.append(
            f"| {name} | {blast['appends_per_second']:.0f} "
            f"| {blast['appends_per_second'] / fsync_ceiling:.1f} "
            f"| {blast['append_ms']['p50']:.1f} / {blast['append_ms']['p99']:.1f} "
            f"| {_cpu(blast, 'server')} | {_cpu(blast, 'client')} | {blast['errors']} |"
        )
    return "\n".join(lines)


def _cpu(phase: dict[str, Any], side: str) -> str:
    """Share of one core, and CPU milliseconds per append (older results lack the latter)."""
    share = phase.get("cpu_percent" if side == "server" else "client_cpu_percent", 0.0)
    per = phase.get(f"{side}_cpu_ms_per_append")
    return f"{share:.0f} %" + (f" ({per:.2f})" if per is not None else "")


def _throughputs(out: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    rows = [(f"SQLite, 1 process, {r['couples']:,} couples", r) for r in out["sqlite"]
            if "throughput" in r]  # fmt: skip
    for run in out.get("scale_out", []):
        rows.append((f"PostgreSQL + Redis, {run['servers']} process(es)", run))
    return rows


def write(out: dict[str, Any], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    paths = [directory / f"bench-{stamp}.json", directory / "latest.json"]
    for path in paths:
        path.write_text(json.dumps(out, indent=1, default=float))
    (directory / "latest.md").write_text(table(out) + "\n")
    paths.append(directory / "latest.md")
    from bench.plot import plot

    paths.append(plot(out, directory / "latest.png"))
    if directory.resolve() == RESULTS:
        _update_docs(out)  # a run kept elsewhere (--out) is a trial: the docs quote bench/results
    return paths


def _update_docs(out: dict[str, Any]) -> None:
    """Replace the measured block of docs/performance.md, leaving the prose around it."""
    if not DOCS.exists():
        return
    text = DOCS.read_text()
    if BEGIN not in text or END not in text:
        return
    machine = out["machine"]
    block = (
        f"{BEGIN}\nMeasured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
        f"{machine['cpu']}, {machine['cores']} cores, Python {machine['python']}, "
        f"Linux {machine['kernel']}; command `{out['command']}` "
        f"({out['wall_seconds'] / 60:.1f} minutes).\n\n{table(out)}\n\n"
        f"![latest run](../bench/results/latest.png)\n{END}"
    )
    head, rest = text.split(BEGIN, 1)
    DOCS.write_text(head + block + rest.split(END, 1)[1])
