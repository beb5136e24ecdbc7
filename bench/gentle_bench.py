"""Times the gentle check on 1,000-character drafts and writes bench/results/gentle.json.

    .venv/bin/python bench/gentle_bench.py            # Python, then Chromium (if installed)

The rules alone (`check`), and the whole check (`check_draft`: rules and model), in Python;
then the whole check in Chromium (static/js/gentle/draft.js, through Playwright), on the same
drafts. Medians of every call.

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
from unspoken.gentle.draft import check_draft

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


def time_each(
    drafts: list[str],
    before: Callable[[], None],
    run: Callable[[str], object] = check,
    clock: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Microseconds per call, every draft checked ROUNDS times. With clock=time.process_time,
    the CPU time of this process only: on a busy shared machine, wall time also counts the
    waits for a core."""
    times = []
    for _ in range(ROUNDS):
        for draft in drafts:
            before()
            started = clock()
            run(draft)
            times.append((clock() - started) * 1e6)
    return times


BROWSER_RUN = """async ([drafts, rounds]) => {
    const check = await import('/static/js/gentle/check.js');
    const model = await import('/static/js/gentle/model.js');
    const draft = await import('/static/js/gentle/draft.js');
    const [rules, loaded] = await Promise.all([check.loadRules(), model.loadModel()]);
    const times = [];
    for (const text of drafts) draft.checkDraft(text, { rules, model: loaded });
    for (let r = 0; r < rounds; r += 1) {
        for (const text of drafts) {
            const started = performance.now();
            draft.checkDraft(text, { rules, model: loaded, language: 'en' });
            times.push((performance.now() - started) * 1000);
        }
    }
    return times;
}"""


def browser_times(kinds: dict[str, list[str]]) -> dict[str, list[float]]:
    """The whole check in Chromium, timed inside the page (no round trips counted)."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    web = ROOT / "src" / "unspoken" / "web"

    class Quiet(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """No access log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(web)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/static/gentle/rules.json")
            found = {name: page.evaluate(BROWSER_RUN, [d, ROUNDS]) for name, d in kinds.items()}
            browser.close()
            return found
    except Exception as error:  # no browser here: the Python figures still stand
        print(f"(Chromium not timed: {error})")
        return {}
    finally:
        server.shutdown()


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
    kinds = {name: d for name, d in (("story", story_drafts()), ("dense", dense_drafts())) if d}
    for name, drafts in kinds.items():
        check(drafts[0])
        results[f"{name}_warm"] = summary(time_each(drafts, lambda: None))
        results[f"{name}_cold"] = summary(time_each(drafts, seen.clear))
        findings = sum(len(check(d)) for d in drafts) / len(drafts)
        results[f"{name}_findings_per_draft"] = round(findings, 2)
        check_draft(drafts[0])
        results[f"{name}_whole_check"] = summary(time_each(drafts, lambda: None, check_draft))
        results[f"{name}_whole_check_cpu"] = summary(
            time_each(drafts, lambda: None, check_draft, time.process_time)
        )
        findings = sum(len(check_draft(d)) for d in drafts) / len(drafts)
        results[f"{name}_whole_check_findings_per_draft"] = round(findings, 2)
    for name, times in browser_times(kinds).items():
        results[f"{name}_whole_check_chromium"] = summary(times)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
