"""The shared vectors, read by Python here and by the browser in test_browser.py."""

from typing import Any

import pytest

from unspoken.gentle import check

from .conftest import load_vectors

VECTORS = load_vectors()


def test_the_vectors_cover_every_category_and_clean_text() -> None:
    seen = {f["category"] for case in VECTORS for f in case["findings"]}
    assert seen == {"criticism", "contempt", "defensiveness", "stonewalling"}
    assert sum(1 for case in VECTORS if not case["findings"]) >= 20
    assert any(any(ord(c) > 0xFFFF for c in case["text"]) and case["findings"] for case in VECTORS)


@pytest.mark.parametrize("case", VECTORS, ids=lambda case: case["text"][:40] or "(empty)")
def test_python_gives_the_vector_findings(case: dict[str, Any]) -> None:
    assert [f.to_dict() for f in check(case["text"])] == case["findings"]
