"""The SDK's log against the shared log-following vectors (tests/vectors/log-following.json):
the browser's log is run against the same file in tests/browser/test_log_vectors.py."""

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from unspoken.client.errors import TamperError
from unspoken.client.keyring import Keyring
from unspoken.client.log import Log
from unspoken.client.models import Ink
from unspoken.protocol.devices import DeviceRegistry
from unspoken.protocol.records import REFUSALS

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "log-following.json").read_text("utf-8")
)
CASES = VECTORS["cases"]


def _log(now: str | None = None) -> Log:
    notebook_id = VECTORS["notebook_id"]
    held = {int(n): bytes.fromhex(key) for n, key in VECTORS["notebook_keys_hex"].items()}
    registry = DeviceRegistry(notebook_id)
    for device in VECTORS["devices"]:
        registry.anchor(device["member"], bytes.fromhex(device["public_hex"]))
    if now is None:
        return Log(notebook_id, Keyring(notebook_id, held), registry)
    at = datetime.fromisoformat(now.replace("Z", "+00:00"))
    return Log(notebook_id, Keyring(notebook_id, held), registry, clock=lambda: at)


def _follow(log: Log, records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Take records as the notebook does (one seen already is skipped); the first refusal."""
    for record in records:
        if log.place(record) == "old":
            continue
        try:
            log.take(record)
        except TamperError as exc:
            assert exc.reason is not None and REFUSALS[exc.reason] in str(exc)
            return {"seq": record["seq"], "reason": exc.reason}
    return None


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_log_reaches_the_expected_state_or_refusal(case: dict[str, Any]) -> None:
    log = _log(case.get("now"))  # this device's clock, when the case sets it
    log.signed_from = case.get("signed_from", 0)
    refused = _follow(log, case["records"])
    expect = case["expect"]
    assert [entry.text for entry in log.entries] == expect["entries"]
    if "refused" in expect:
        assert refused == expect["refused"]
    else:
        assert refused is None
        assert (log.seq, log.pen, log.chapter) == (expect["seq"], expect["pen"], expect["chapter"])
        assert (log.mode, log.chapter_open, sorted(log.left)) == (
            expect["mode"],
            expect["chapter_open"],
            expect["left"],
        )
        assert (None if log.pause is None else asdict(log.pause)) == expect["pause"]
        assert sorted(log.crossed) == expect["crossed"]
        assert (None if log.mirror is None else asdict(log.mirror)) == expect["mirror"]
    if "ink" in expect:  # lines written by hand: their strokes, as the writer wrote them
        assert [_lists(entry.ink) for entry in log.entries] == expect["ink"]


def _lists(ink: Ink | None) -> list[list[list[int]]] | None:
    return None if ink is None else [[list(point) for point in stroke] for stroke in ink]


# Refused when a listing (the promises page) disagrees with the log, not while following the
# log: tried by tests/hostile/test_acts.py and tests/browser/test_hostile_acts.py instead.
LISTING_REFUSALS = {"left_out"}


def test_every_refusal_is_tried_by_some_vector() -> None:
    tried = {case["expect"]["refused"]["reason"] for case in CASES if "refused" in case["expect"]}
    assert tried == set(REFUSALS) - LISTING_REFUSALS
    assert LISTING_REFUSALS <= set(REFUSALS)
