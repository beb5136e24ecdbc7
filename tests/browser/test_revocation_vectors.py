"""The browser's revocations (static/js/protocol/devices.js) against the shared v2 vectors."""

from typing import Any

import pytest
from playwright.sync_api import Browser

from .helpers import in_harness, vectors

VECTORS = vectors("protocol-v2-revocations.json")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def js(browser: Browser, static_url: str) -> Any:
    return in_harness(browser, static_url, "revocations_harness.js:run", VECTORS)


def test_a_revocation_signs_its_epoch_as_in_python(js: Any) -> None:
    for case, got in zip(VECTORS["signed"], js["signed"], strict=True):
        assert got["message_hex"] == case["message_hex"], case["epoch"]
        assert got["sig_hex"] == case["sig_hex"], case["epoch"]
        assert got["signs_epoch"] is True, case["epoch"]


def test_what_a_revocation_signature_proves_as_in_python(js: Any) -> None:
    whys = [case["why"] for case in VECTORS["verify"]]
    expected = [case["signs_epoch"] for case in VECTORS["verify"]]
    assert dict(zip(whys, js["verify"], strict=True)) == dict(zip(whys, expected, strict=True))
