"""The PNG: how latency, memory and throughput grow with the number of couples."""

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def plot(out: dict[str, Any], path: Path) -> Path:
    runs = out["sqlite"]
    n = [r["couples"] for r in runs]
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    for key, ax, title in (
        ("delivery_ms", axes[0][0], "delivery latency (append → partner's stream)"),
        ("append_ms", axes[0][1], "append latency (durable)"),
    ):
        for p in ("p50", "p95", "p99"):
            ax.plot(n, [r["live"][key][p] for r in runs], marker="o", label=p)
        ax.set(xscale="log", xlabel="couples (= live streams)", ylabel="ms", title=title)
        ax.legend()
    ax = axes[1][0]
    ax.plot(n, [r["idle"]["rss_mb"] for r in runs], marker="o", label="server RSS, MB")
    ax.plot(n, [r["kb_per_idle_stream"] for r in runs], marker="s", label="KB per idle stream")
    ax.set(xscale="log", yscale="log", xlabel="couples (= live streams)", title="memory")
    ax.legend()
    ax = axes[1][1]
    names, values = [], []
    for run in runs:
        if "throughput" in run:
            names.append("SQLite\n1 proc")
            values.append(run["throughput"]["appends_per_second"])
    for run in out.get("scale_out", []):
        names.append(f"PG+Redis\n{run['servers']} proc")
        values.append(run["throughput"]["appends_per_second"])
    ax.bar(names, values, color="#27324a")
    ax.set(ylabel="durable appends/s", title="sustained throughput, live streams on")
    fig.suptitle(f"Unspoken bench — {out['machine']['cpu']}, {out['machine']['cores']} cores")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
