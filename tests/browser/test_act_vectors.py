"""The browser's signed acts (static/js/protocol/acts.js) against the shared v2 vectors."""

from typing import Any

import pytest
from playwright.sync_api import Browser

from .helpers import in_harness, vectors

VECTORS = vectors("protocol-v2-acts.json")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def js(browser: Browser, static_url: str) -> Any:
    return in_harness(browser, static_url, "acts_harness.js:run", VECTORS)


def test_the_device_id_is_the_vectors(js: Any) -> None:
    assert js["device_id"] == VECTORS["device_id"]


def test_every_act_signs_verifies_and_hashes_as_in_python(js: Any) -> None:
    for case, got in zip(VECTORS["acts"], js["signed"], strict=True):
        kind = case["act"]["kind"]
        assert got["message_hex"] == case["message_hex"], kind
        assert got["sig_hex"] == case["sig_hex"], kind
        assert got["verified"] == "accepted", kind
        assert got["hash_hex"] == case["hash_hex"], kind


def test_malformed_and_tampered_acts_are_refused(js: Any) -> None:
    whys = [case["why"] for case in VECTORS["invalid"]]
    assert dict(zip(whys, js["invalid"], strict=True)) == dict.fromkeys(whys, "refused")
    changed = [case["changed"] for case in VECTORS["tampered"]]
    assert dict(zip(changed, js["tampered"], strict=True)) == dict.fromkeys(changed, "refused")


def test_the_log_digest_and_fork_checks_match(js: Any) -> None:
    assert js["digests"] == [step["digest_hex"] for step in VECTORS["log"]["steps"]]
    unsigned = [step for step in VECTORS["log"]["steps"] if "record" in step]
    assert js["records"] == [
        {"canonical": step["canonical"], "hash_hex": step["hash_hex"]} for step in unsigned
    ]
    assert js["noCanonicalForm"] == ["refused"] * len(VECTORS["log"]["no_canonical_form"])
    assert js["fork"] == {
        "agrees_with_itself": True,
        "agrees_at_unapplied": False,
        "agrees_with_other": False,
        "backwards": "refused",
    }
