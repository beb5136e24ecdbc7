"""The browser's log (static/js/log.js) against the shared log-following vectors, in real
Chromium; the SDK's log is run against the same file in tests/client/test_log_vectors.py.

The browser keeps a refused entry on the page, flagged, and goes on where the SDK stops: so
the entries before the refused one must verify, and the refused one must carry the reason
first, in the words both clients share."""

from typing import Any

import pytest
from playwright.sync_api import Browser

from unspoken.protocol.records import REFUSALS

from .helpers import in_harness, vectors

VECTORS: dict[str, Any] = vectors("log-following.json")
CASES = VECTORS["cases"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def followed(browser: Browser, static_url: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = in_harness(
        browser, static_url, "protocol_harness.js:followLog", VECTORS
    )
    return result


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_the_log_reaches_the_expected_state_or_refusal(
    followed: list[dict[str, Any]], index: int
) -> None:
    got, expect = followed[index], CASES[index]["expect"]
    if "refused" not in expect:
        assert [e["reasons"] for e in got["entries"]] == [[]] * len(expect["entries"])
        assert [e["text"] for e in got["entries"]] == expect["entries"]
        shown = (
            "seq",
            "pen",
            "chapter",
            "mode",
            "chapter_open",
            "pause",
            "left",
            "crossed",
            "mirror",
        )
        assert {key: got[key] for key in shown} == {key: expect[key] for key in shown}
        if "ink" in expect:  # lines written by hand: their strokes, as the writer wrote them
            assert [e["ink"] for e in got["entries"]] == expect["ink"]
        return
    refused = expect["refused"]
    before = [e for e in got["entries"] if e["seq"] < refused["seq"]]
    assert [(e["text"], e["reasons"]) for e in before] == [(t, []) for t in expect["entries"]]
    [flagged] = [e for e in got["entries"] if e["seq"] == refused["seq"]]
    assert flagged["reasons"][0] == refused["reason"]
    if refused["reason"] != "unreadable":  # then the words are the protocol's own, more precise
        assert flagged["problem"].startswith(REFUSALS[refused["reason"]])
