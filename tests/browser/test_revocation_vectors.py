"""The browser's revocations (static/js/protocol/devices.js) against the shared v2 vectors."""

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "protocol-v2-revocations.json").read_text(
        "utf-8"
    )
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def js(browser: Browser, static_url: str) -> Any:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{static_url}/blank")
    script = "async (v) => (await import('/tests/revocations_harness.js')).run(v)"
    result = page.evaluate(script, VECTORS)
    context.close()
    return result


def test_a_revocation_signs_its_epoch_as_in_python(js: Any) -> None:
    for case, got in zip(VECTORS["signed"], js["signed"], strict=True):
        assert got["message_hex"] == case["message_hex"], case["epoch"]
        assert got["sig_hex"] == case["sig_hex"], case["epoch"]
        assert got["signs_epoch"] is True, case["epoch"]


def test_what_a_revocation_signature_proves_as_in_python(js: Any) -> None:
    whys = [case["why"] for case in VECTORS["verify"]]
    expected = [case["signs_epoch"] for case in VECTORS["verify"]]
    assert dict(zip(whys, js["verify"], strict=True)) == dict(zip(whys, expected, strict=True))
