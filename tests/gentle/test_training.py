"""The model file is what the trainer makes from the corpus, byte for byte (needs the train
extra, scikit-learn; skipped without it, since serving never needs it)."""

from pathlib import Path

import pytest

from unspoken.gentle.model import model_path

pytest.importorskip("sklearn")

REPO = Path(__file__).resolve().parents[2]


def test_training_reproduces_the_committed_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.syspath_prepend(str(REPO))
    from tools.train_gentle import main

    out = tmp_path / "model.json.gz"
    assert main(["--out", str(out)]) == 0
    assert out.read_bytes() == model_path().read_bytes()


def test_the_trainer_reads_a_message_as_the_check_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thresholds are chosen on the trainer's reading of each message: it must say what
    check_draft says, or the thresholds would be chosen for another check."""
    monkeypatch.chdir(REPO)
    monkeypatch.syspath_prepend(str(REPO))
    from tools.train_gentle import CORPUS, best_scores, load, stretch_features

    from unspoken.gentle.draft import check_draft
    from unspoken.gentle.finding import CATEGORIES
    from unspoken.gentle.model import default_model

    for language in ("en", "fr"):
        lm = default_model().languages[language]
        weights = {feature: list(w) for feature, w in lm.weights.items()}
        rows = load(CORPUS / language / "dev.jsonl")[:150]
        for row in rows + [load(CORPUS / language / "train.jsonl")[-1]]:
            best = best_scores(weights, list(lm.bias), stretch_features(row.text, language))
            said = {c for c, b, t in zip(CATEGORIES, best, lm.threshold, strict=True) if b >= t}
            assert said == {f.category for f in check_draft(row.text, language)}, row.text
