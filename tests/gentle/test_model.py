"""The model half of the gentle check: its file, its shared vectors, and what serving needs."""

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from unspoken.gentle.draft import check_draft, stretches
from unspoken.gentle.features import features, fold, tokens
from unspoken.gentle.matcher import check
from unspoken.gentle.model import default_model, model_path, parse_model, read_model

MODEL_VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "gentle-model.json"
CASES: list[dict[str, Any]] = json.loads(MODEL_VECTORS.read_text(encoding="utf-8"))


def test_the_model_file_is_one_small_gzip_file_for_both_languages() -> None:
    raw = model_path().read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    assert len(raw) <= 1_000_000
    data = json.loads(gzip.decompress(raw))
    assert set(data["languages"]) == {"en", "fr"}
    for language in data["languages"].values():
        assert len(language["weights"]) >= 1000
        assert all(len(w) == 4 for w in language["weights"].values())
        # whole numbers, so both runtimes add them up exactly
        assert all(isinstance(x, int) for w in language["weights"].values() for x in w)
        assert all(isinstance(x, int) for x in language["bias"] + language["threshold"])
        assert set(language["rewrites"]) == set(data["categories"])


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    data = json.loads(gzip.decompress(model_path().read_bytes()))
    with pytest.raises(ValueError):
        parse_model({**data, "format": 99})
    with pytest.raises(ValueError):
        parse_model({**data, "scale": 100})
    plain = tmp_path / "model.json"
    plain.write_text(json.dumps(data), encoding="utf-8")
    assert read_model(plain).languages["en"].threshold == tuple(
        data["languages"]["en"]["threshold"]
    )


def test_the_vectors_cover_both_languages_every_category_and_clean_text() -> None:
    assert {c["language"] for c in CASES} == {"en", "fr"}
    said = {f["category"] for c in CASES for f in c["findings"]}
    assert said == {"criticism", "contempt", "defensiveness", "stonewalling"}
    assert any(f["rule"] == "model" for c in CASES for f in c["findings"])
    assert sum(1 for c in CASES if not c["findings"]) >= 10


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['language']}:{c['text'][:30]}")
def test_python_gives_the_vector_scores_features_and_findings(case: dict[str, Any]) -> None:
    folded = fold(case["text"])
    lm = default_model().languages[case["language"]]
    assert [list(item) for item in sorted(features(folded).items())] == case["features"]
    assert lm.score_text(folded) == case["scores"]
    assert lm.scores(features(folded)) == case["scores"]  # the cached sum is the plain one
    got = [f.to_dict() for f in check_draft(case["text"], case["language"])]
    assert got == case["findings"]


def test_folding_keeps_every_index_and_reads_french_capitals() -> None:
    text = "ÉTÉ À L’ÉCOLE « Œuvre » \u0130\u017f\u212a 🏳️‍🌈"  # İ, long s, kelvin: kept as they are
    assert len(fold(text)) == len(text)
    assert tokens(fold(text)) == ["été", "à", "l'école", "œuvre"]
    assert fold("ÀÉÎÕÜ×Þ") == "àéîõü×þ"


def test_a_long_draft_is_read_in_stretches_of_three_sentences() -> None:
    text = "One. Two! Three? Four… Five\nSix. Seven"
    parts = list(stretches(fold(text)))
    assert [len(p[2]) for p in parts] == [3, 3, 1]
    assert text[parts[1][0] : parts[1][1]] == "Four… Five\nSix."


def test_the_model_adds_findings_the_rules_miss_and_confirms_the_rules() -> None:
    only_model = "Your sister manages to hold down a job, why can't you?"
    found = check_draft(only_model)
    assert found and all(f.rule == "model" for f in found)
    assert all(only_model[f.start : f.end] == f.text for f in found)
    both = check_draft("You never listen to me. Whatever.")
    assert {(f.category, f.rule, f.text) for f in both} == {
        ("criticism", "criticism.you-never", "You never listen to me"),
        ("stonewalling", "stonewalling.whatever", "Whatever"),
    }


def test_a_rule_finding_the_model_does_not_confirm_is_dropped() -> None:
    """Praise with "always" that the rules' guards let through: the model reads it whole."""
    text = "You always bring me tea in bed on Sundays."
    assert [f.rule for f in check(text)] == ["criticism.you-always"]
    assert check_draft(text) == []


def test_a_rule_finding_is_confirmed_in_its_own_sentence() -> None:
    """A long calm stretch does not hide a closed door at its head."""
    text = "Whatever. Your sister at least calls back when she says she will."
    whole = lm_says(text)
    assert "stonewalling" not in whole  # the stretch alone does not say it...
    found = {(f.category, f.rule, f.text) for f in check_draft(text)}
    assert ("stonewalling", "stonewalling.whatever", "Whatever") in found  # ...its sentence does


def lm_says(text: str) -> list[str]:
    from unspoken.gentle.draft import _rule_features

    lm = default_model().languages["en"]
    folded = fold(text)
    return list(lm.says(lm.score_text(folded, _rule_features(check(text), 0, len(text)))))


@pytest.mark.parametrize(
    "text",
    [
        "And I'm not leaving",
        "And I’m not leaving",
        "So did I, all of them",
        "Heard",
        "Okay,",
        # The app's own answers to a pause, typed (en50)
        "I'll be here",
        "I’ll be here.",
        "I'm ready to talk",
        "im ready to talk now",
    ],
)
def test_kind_short_lines_raise_nothing(text: str) -> None:
    assert check_draft(text) == []


def test_french_is_read_by_the_french_model_and_never_by_the_english_rules() -> None:
    found = check_draft("Laisse tomber. Whatever.", "fr")
    assert all(f.rule == "model" for f in found)
    assert check_draft("T'es vraiment égoïste, tu penses qu'à toi.", "fr-CA")
    assert check_draft("Whatever.", "de") == []  # neither rules nor model read German


def test_serving_needs_neither_numpy_nor_scikit_learn() -> None:
    script = (
        "import sys\n"
        "sys.modules['numpy'] = None\n"
        "sys.modules['sklearn'] = None\n"
        "from unspoken.gentle.draft import check_draft\n"
        "print(len(check_draft('You are so selfish, honestly.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 1


def test_the_service_worker_keeps_the_model_for_offline_use() -> None:
    from unspoken.api.shell import ShellCache

    web = model_path().parents[2]
    shell = ShellCache(web).shell()
    assert "/static/gentle/model.json.gz" in shell.files
    assert "/static/js/gentle/draft.js" in shell.files
    assert "/static/js/gentle/model.js" in shell.files
    assert "/static/js/gentle/features.js" in shell.files
