"""The one vocabulary of records (web/static/vocabulary/records.json) and of safety words, as
Python reads them; the browser reads the same files (tests/browser/test_log_vectors.py)."""

import json
import re
from pathlib import Path

import pytest

from unspoken.protocol import items, records, safety

SRC = Path(__file__).resolve().parents[2] / "src" / "unspoken"
VECTORS = json.loads((SRC.parents[1] / "tests" / "vectors" / "protocol-v1.json").read_text())


def test_each_kind_is_a_constant_named_after_it() -> None:
    from unspoken.protocol.records import PAUSE_STARTED, PEN_ASKED

    assert (PAUSE_STARTED, PEN_ASKED) == ("pause.started", "pen.asked")
    assert all(getattr(records, records.constant_name(kind)) == kind for kind in records.KINDS)


def test_a_misspelt_kind_fails_at_once() -> None:
    with pytest.raises(ImportError):
        from unspoken.protocol.records import PAUSE_STRATED  # noqa: F401
    with pytest.raises(AttributeError):
        _ = records.PEN_PASED


def test_every_kind_but_entries_is_written_by_a_rule() -> None:
    rules = "\n".join(path.read_text("utf-8") for path in (SRC / "rules").glob("*.py"))
    code = re.sub(r"from unspoken\.protocol\.records import (\([^)]*\)|[^\n]*)", "", rules)
    named = {records.constant_name(kind): kind for kind in records.KINDS}
    written = {named[name] for name in re.findall(r"\b[A-Z][A-Z_]+\b", code) if name in named}
    assert written == set(records.KINDS) - {records.ENTRY}


def test_sealed_fields_hold_known_item_kinds() -> None:
    sealed = {kind for info in records.KINDS.values() for kind in info.sealed.values()}
    assert sealed and sealed <= set(items.ITEM_KINDS)


def test_the_safety_words_are_the_pinned_ones() -> None:
    assert list(safety.WORDS) == VECTORS["words"]
    assert len(set(safety.WORDS)) == 256
