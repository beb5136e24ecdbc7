"""The browser's model (static/js/gentle/model.js, draft.js) in real Chromium: the shared vectors,
and parity with Python on the corpus and on mixtures of it, in both languages."""

import json
import random
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from unspoken.gentle.draft import check_draft

pytestmark = pytest.mark.browser

MODEL_VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "gentle-model.json"
CORPUS = Path(__file__).resolve().parents[1] / "data" / "gentle"
RUN = """async ([cases, withFeatures]) => {
    const features = await import('/static/js/gentle/features.js');
    const model = await import('/static/js/gentle/model.js');
    const draft = await import('/static/js/gentle/draft.js');
    const check = await import('/static/js/gentle/check.js');
    const [rules, loaded] = await Promise.all([check.loadRules(), model.loadModel()]);
    return cases.map(([language, text]) => {
        const folded = features.fold(text);
        const lm = model.forLanguage(loaded, language);
        return {
            features: withFeatures ? [...features.features(folded)] : null,
            scores: model.scoreText(lm, folded),
            findings: draft.checkDraft(text, { rules, model: loaded, language }),
        };
    });
}"""


def corpus_texts(language: str) -> list[str]:
    texts = []
    for split in ("train", "dev", "test"):
        lines = (CORPUS / language / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def mixtures(texts: list[str], count: int) -> list[str]:
    pick = random.Random(20261206)
    glue = ["", " ", "\n", " 😀 ", "… ", " “", "” ", " 🏳️‍🌈 ", " İſK ", ", ", "; "]
    return [pick.choice(glue).join(pick.sample(texts, pick.randint(2, 8))) for _ in range(count)]


def test_browser_gives_the_model_vectors(page: Any) -> None:
    cases = json.loads(MODEL_VECTORS.read_text(encoding="utf-8"))
    got = page.evaluate(RUN, [[[c["language"], c["text"]] for c in cases], True])
    for case, js in zip(cases, got, strict=True):
        # Features (with their counts) are compared in code-point order, as Python sorts them.
        assert sorted(js["features"]) == case["features"], case["text"]
        assert js["scores"] == case["scores"], case["text"]
        assert js["findings"] == case["findings"], case["text"]
    assert page.errors == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_browser_and_python_agree_on_the_corpus_and_mixtures(page: Any, language: str) -> None:
    texts = corpus_texts(language)
    texts += mixtures(texts, 300)
    got = page.evaluate(RUN, [[[language, t] for t in texts], False])
    differ = [
        t
        for t, js in zip(texts, got, strict=True)
        if js["findings"] != [f.to_dict() for f in check_draft(t, language)]
    ]
    assert differ == []


def attach_in(page: Any, language: str) -> None:
    page.evaluate(
        """async (language) => {
            await (await import('/static/js/i18n.js')).startLanguage(language);
            const { attachGentleCheck } = await import('/static/js/gentle/hints.js');
            const { loadRules } = await import('/static/js/gentle/check.js');
            const { loadModel } = await import('/static/js/gentle/model.js');
            const [rules, model] = await Promise.all([loadRules(), loadModel()]);
            window.gentle = attachGentleCheck(document.getElementById('draft'),
                                              { rules, model, delay: 50 });
        }""",
        language,
    )


def test_the_check_reads_a_french_page_in_french(page: Any) -> None:
    attach_in(page, "fr")
    text = "T'es vraiment égoïste, tu penses qu'à toi."
    page.locator("#draft").fill(text)
    hint = page.locator(".gentle__hint--criticism")
    expect(hint).to_have_count(1)
    assert "Je me sens" in hint.inner_text()  # the wording is French too
    expected = [f.text for f in check_draft(text, "fr")]
    assert page.locator(".gentle__mark").all_text_contents() == expected[:1]
    assert page.errors == []


def test_the_model_may_be_given_as_the_file_s_json(page: Any) -> None:
    page.evaluate(
        """async () => {
            await (await import('/static/js/i18n.js')).startLanguage('fr');
            const { attachGentleCheck } = await import('/static/js/gentle/hints.js');
            const response = await fetch('/static/gentle/model.json.gz');
            let bytes = new Uint8Array(await response.arrayBuffer());
            if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
                const gunzip = new DecompressionStream('gzip');
                const stream = new Blob([bytes]).stream().pipeThrough(gunzip);
                bytes = new Uint8Array(await new Response(stream).arrayBuffer());
            }
            const model = JSON.parse(new TextDecoder().decode(bytes));
            window.gentle = attachGentleCheck(document.getElementById('draft'),
                                              { model, delay: 50 });
        }"""
    )
    text = "T'es vraiment égoïste, tu penses qu'à toi."
    page.locator("#draft").fill(text)
    expect(page.locator(".gentle__hint--criticism")).to_have_count(1)
    assert page.errors == []


def test_overlapping_findings_draw_one_highlight_and_every_hint(page: Any) -> None:
    attach_in(page, "en")
    text = next(
        t
        for t in corpus_texts("en")
        if len({(f.start, f.end) for f in check_draft(t)}) < len(check_draft(t))
    )
    page.locator("#draft").fill(text)
    expect(page.locator(".gentle__hint")).to_have_count(len(check_draft(text)))
    mirror = page.locator(".gentle__mirror").inner_text().replace("\u200b", "")
    assert mirror == text  # no word drawn twice
