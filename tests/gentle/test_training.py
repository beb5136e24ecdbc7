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
