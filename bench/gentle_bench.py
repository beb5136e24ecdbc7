"""Times unspoken.gentle.check on 1,000-character drafts and writes bench/results/gentle.json.

    .venv/bin/python bench/gentle_bench.py

Two kinds of draft, both cut to exactly 1,000 characters and all different from one another:
"story" drafts are windows of the seed story (prose, mostly gentle); "dense" drafts are strung
from the labelled set, where three sentences in four are one of the four patterns, so the
guards and rewrites run on nearly every sentence: a worst case. Each kind is timed warm (the
dispatch table has seen the words before) and cold (its memory cleared before every call).
"""

import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from unspoken.gentle import check, default_rules

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT.parent / "shared" / "seeds" / "the-sound-of-goodbye.txt"
LABELLED = ROOT / "tests" / "data" / "gentle-labelled.jsonl"
RESULTS = ROOT / "bench" / "results" / "gentle.json"
LENGTH = 1000
DRAFTS = 200
ROUNDS = 5


def story_drafts() -> list[str]:
    if not STORY.is_file():
        return []
    text = " ".join(STORY.read_text(encoding="utf-8").split())
    step = max(1, (len(text) - LENGTH) // DRAFTS)
    return [text[i : i + LENGTH] for i in range(0, len(text) - LENGTH, step)][:DRAFTS]


def dense_drafts() -> list[str]:
    rows = [json.loads(line)["text"] for line in LABELLED.read_text("utf-8").splitlines()]
    drafts = []
    for n in range(DRAFTS):
        parts, i = [], n * 7
        while sum(len(p) + 1 for p in parts) < LENGTH:
            parts.append(rows[(i * 37) % len(rows)])
            i += 1
        drafts.append(" ".join(parts)[:LENGTH])
    return drafts


def time_each(drafts: list[str], before: Callable[[], None]) -> list[float]:
    """Microseconds per call, every draft checked ROUNDS times."""
    times = []
    for _ in range(ROUNDS):
        for draft in drafts:
            before()
            started = time.perf_counter()
            check(draft)
            times.append((time.perf_counter() - started) * 1e6)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_us": round(statistics.median(ordered), 1),
        "p95_us": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "calls": len(ordered),
    }


def main() -> int:
    seen = default_rules().dispatch.seen
    results: dict[str, object] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "draft_characters": LENGTH,
    }
    for name, drafts in (("story", story_drafts()), ("dense", dense_drafts())):
        if not drafts:
            continue
        check(drafts[0])
        results[f"{name}_warm"] = summary(time_each(drafts, lambda: None))
        results[f"{name}_cold"] = summary(time_each(drafts, seen.clear))
        findings = sum(len(check(d)) for d in drafts) / len(drafts)
        results[f"{name}_findings_per_draft"] = round(findings, 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
