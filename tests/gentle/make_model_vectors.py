"""Writes tests/vectors/gentle-model.json from Python: review the diff before keeping it.

    .venv/bin/python tests/gentle/make_model_vectors.py

For each text and language: the model's four scores for the whole text (no rule features; whole
numbers, units of 1/10000), the features it holds with their counts, and the whole check's
findings. The browser must agree exactly. Regenerate after training a new model.
"""

import json
from pathlib import Path

from unspoken.gentle.draft import check_draft
from unspoken.gentle.features import features, fold
from unspoken.gentle.model import default_model

OUT = Path(__file__).resolve().parents[1] / "vectors" / "gentle-model.json"
CORPUS = Path(__file__).resolve().parents[1] / "data" / "gentle"

TEXTS = {
    "en": [
        "",
        "You never listen to me. Whatever.",
        "Oh well done, you managed to load the dishwasher, do you want a medal?",
        "How could you tell your mother before me?",
        "Your sister manages to hold down a job, why can't you?",
        "If you'd reminded me I wouldn't have forgotten.",
        "It's not a big deal, you're overreacting.",
        "Okay sweetie, whatever you say. 🙄",
        "I feel hurt when plans change. Can we talk at eight?",
        "You always make me laugh, even on the worst days.",
        "ÉLLA SAID “WHATEVER” — AND LEFT… 🏳️‍🌈 İſK",
        "u never text back when it matters\nfine. bye",
        "First sentence. Second one! Third? Fourth, with a clause; and more: yes — no – maybe.",
        "   ",
        "!!!???",
        "don't’t can't'',, l'homme ''quoted''",
    ],
    "fr": [
        "T'es vraiment égoïste, tu penses qu'à toi.",
        "Comment tu as pu oublier l'anniversaire de ma mère ?",
        "Oh bravo, tu as vidé le lave-vaisselle, tu veux une médaille ?",
        "C'est pas ma faute, tu ne m'as jamais dit que la date avait changé.",
        "Laisse tomber.",
        "Je me sens blessée quand les plans changent. On en parle à vingt heures ?",
        "ÇA SUFFIT, ŒUVRE ÉTÉ À L’ÉCOLE « BREF »",
    ],
}


def corpus_sample(language: str, count: int) -> list[str]:
    lines = (CORPUS / language / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines[:count]]


def main() -> None:
    model = default_model()
    cases = []
    for language, texts in TEXTS.items():
        lm = model.languages[language]
        for text in texts + corpus_sample(language, 40):
            folded = fold(text)
            cases.append(
                {
                    "language": language,
                    "text": text,
                    "features": [list(item) for item in sorted(features(folded).items())],
                    "scores": lm.score_text(folded),
                    "findings": [f.to_dict() for f in check_draft(text, language)],
                }
            )
    OUT.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
