"""The whole gentle check: the rules (English) and the model (English and French) together.

A draft is read in stretches of up to three sentences, about the size of the messages the model
learned from. Every finding of the rules stands: where they speak they are precise. For each
stretch the model scores the four categories, reading the rules' findings in it as features too
(one per category and one per rule). When it says a category that the rules found nothing of in
that stretch, the clause of the stretch that scores highest for the category is shown, with the
category's general wording in the draft's language. So the rules keep their precision and the
model adds recall.

Findings come in reading order and may overlap (one clause can be both criticism and contempt);
the highlighter draws the first of overlapping ones. The same steps are in
static/js/gentle/draft.js; shared vectors keep the two equal.
"""

from collections.abc import Iterator

from unspoken.gentle.features import CLAUSE, SENTENCE, fold, spans
from unspoken.gentle.finding import CATEGORIES, Finding
from unspoken.gentle.matcher import check
from unspoken.gentle.model import LanguageModel, Model, default_model
from unspoken.gentle.rules import Rules, default_rules

STRETCH = 3  # sentences per stretch
MODEL_RULE = "model"


def stretches(folded: str) -> Iterator[tuple[int, int, list[tuple[int, int]]]]:
    """(start, end, sentences) for consecutive runs of up to STRETCH sentences."""
    sentences = list(spans(SENTENCE, folded))
    for i in range(0, len(sentences), STRETCH):
        part = sentences[i : i + STRETCH]
        yield part[0][0], part[-1][1], part


def _rule_features(findings: list[Finding], start: int, end: int) -> set[str]:
    found = set()
    for f in findings:
        if start <= f.start < end:
            found.add("r:" + f.category)
            found.add("r:" + f.rule)
    return found


def _clauses(
    folded: str,
    sentences: list[tuple[int, int]],
    lm: LanguageModel,
    rule_findings: list[Finding],
) -> list[tuple[int, int, set[str]]]:
    """Each clause of a stretch with the features it holds (rule findings inside it too)."""
    found = []
    for s_start, s_end in sentences:
        for start, end in spans(CLAUSE, folded[s_start:s_end], s_start):
            extra = _rule_features(rule_findings, start, end)
            found.append((start, end, lm.known_features(folded[start:end], extra)))
    return found


def _best_clause(
    clauses: list[tuple[int, int, set[str]]], lm: LanguageModel, index: int
) -> tuple[int, int]:
    """The clause scoring highest for one category (the first, on a tie)."""
    best, best_score = clauses[0], lm.score_known(clauses[0][2], index)
    for clause in clauses[1:]:
        score = lm.score_known(clause[2], index)
        if score > best_score:
            best, best_score = clause, score
    return best[0], best[1]


def check_draft(
    text: str,
    language: str = "en",
    rules: Rules | None = None,
    model: Model | None = None,
) -> list[Finding]:
    """Findings for a draft in the given language ("en", "fr"), in reading order."""
    lm = (model or default_model()).for_language(language)
    english = language.split("-")[0].lower() == "en"
    rules = rules or default_rules()
    rule_findings = check(text, rules) if english else []
    if lm is None:
        return rule_findings
    folded = fold(text)
    found = {(f.category, f.start, f.end): f for f in rule_findings}
    for start, end, sentences in stretches(folded):
        scores = lm.score_text(folded[start:end], _rule_features(rule_findings, start, end))
        clauses: list[tuple[int, int, set[str]]] = []
        for category in lm.says(scores):
            if any(f.category == category and start <= f.start < end for f in rule_findings):
                continue
            index = CATEGORIES.index(category)
            clauses = clauses or _clauses(folded, sentences, lm, rule_findings)
            c_start, c_end = _best_clause(clauses, lm, index)
            words = rules.categories[category]
            found.setdefault(
                (category, c_start, c_end),
                Finding(
                    category=category,
                    start=c_start,
                    end=c_end,
                    text=text[c_start:c_end],
                    rule=MODEL_RULE,
                    antidote=words.antidote,
                    suggestion=words.suggestion,
                    rewrite=lm.rewrites.get(category),
                ),
            )
    return sorted(found.values(), key=lambda f: (f.start, -f.end, CATEGORIES.index(f.category)))


def categories(text: str, language: str = "en") -> frozenset[str]:
    """The categories the check says for a text (what the evaluation scores)."""
    return frozenset(f.category for f in check_draft(text, language))
