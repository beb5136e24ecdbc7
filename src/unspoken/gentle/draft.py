"""The whole gentle check: the rules (English) and the model (English and French) together.

A draft is read in stretches of up to three sentences, about the size of the messages the model
learned from. For each stretch the model scores the four categories, reading the rules' findings
in it as features too (one per category and one per rule), and decides: the rules are evidence,
weighed by how often each was right in the training corpus, not a verdict. When the model says a
category, the rules' findings of it in that stretch are shown (their span and their rewrite);
if the rules found none, the clause of the stretch that scores highest for the category is
shown, with the category's general wording in the draft's language. A rule finding the model
does not confirm is dropped: on the training corpus a few rules ("you always", "drop it")
were wrong in a quarter to nearly half of their findings.

Findings come in reading order and may overlap (one clause can be both criticism and contempt);
the highlighter draws the first of overlapping ones. The same steps are in
static/js/gentle/draft.js; shared vectors keep the two equal.
"""

from collections.abc import Iterator

from unspoken.gentle.features import CLAUSE, SENTENCE, fold, spans
from unspoken.gentle.finding import CATEGORIES, Category, Finding
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
) -> list[tuple[int, int, list[int]]]:
    """Each clause of a stretch with its scores (reading rule findings inside it too)."""
    found = []
    for s_start, s_end in sentences:
        for start, end in spans(CLAUSE, folded[s_start:s_end], s_start):
            extra = _rule_features(rule_findings, start, end)
            found.append((start, end, lm.score_text(folded[start:end], extra)))
    return found


def _best_clause(clauses: list[tuple[int, int, list[int]]], index: int) -> tuple[int, int]:
    """The clause scoring highest for one category (the first, on a tie)."""
    best = clauses[0]
    for clause in clauses[1:]:
        if clause[2][index] > best[2][index]:
            best = clause
    return best[0], best[1]


def _confirmed_in_sentence(
    folded: str,
    sentences: list[tuple[int, int]],
    lm: LanguageModel,
    here: list[Finding],
    said: list[Category],
) -> Iterator[Finding]:
    """Rule findings of categories the stretch did not say, which the model says when it
    reads their own sentence alone ("Whatever." at the head of a long, calm stretch). A
    stretch of one sentence has been read already."""
    if len(sentences) < 2:
        return
    for s_start, s_end in sentences:
        inside = [f for f in here if s_start <= f.start < s_end and f.category not in said]
        if inside:
            scores = lm.score_text(folded[s_start:s_end], _rule_features(here, s_start, s_end))
            confirmed = lm.says(scores)
            yield from (f for f in inside if f.category in confirmed)


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
    found: dict[tuple[str, int, int], Finding] = {}
    for start, end, sentences in stretches(folded):
        here = [f for f in rule_findings if start <= f.start < end]
        said = lm.says(lm.score_text(folded[start:end], _rule_features(here, start, end)))
        clauses: list[tuple[int, int, list[int]]] = []
        for category in said:
            own = [f for f in here if f.category == category]
            if own:  # the rules' own words for it: their span and their rewrite
                for f in own:
                    found.setdefault((f.category, f.start, f.end), f)
                continue
            clauses = clauses or _clauses(folded, sentences, lm, here)
            c_start, c_end = _best_clause(clauses, CATEGORIES.index(category))
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
        for f in _confirmed_in_sentence(folded, sentences, lm, here, said):
            found.setdefault((f.category, f.start, f.end), f)
    return sorted(found.values(), key=lambda f: (f.start, -f.end, CATEGORIES.index(f.category)))


def categories(text: str, language: str = "en") -> frozenset[str]:
    """The categories the check says for a text (what the evaluation scores)."""
    return frozenset(f.category for f in check_draft(text, language))
