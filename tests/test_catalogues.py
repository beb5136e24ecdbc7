"""The browser's message catalogues (static/i18n/<lang>/<area>.json), checked without a browser.

Every language says everything English says, with the same placeholders and plural forms;
every key the scripts name exists, and every key in a catalogue is used by something.
"""

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from unspoken.client.templates import AFTER_A_FIGHT
from unspoken.rules import Refusal

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "unspoken"
WEB = SRC / "web"
STATIC = WEB / "static"
CATALOGUES = STATIC / "i18n"
SCRIPTS = STATIC / "js"
I18N_JS = (SCRIPTS / "i18n.js").read_text(encoding="utf-8")
RECORDS: dict[str, Any] = json.loads((STATIC / "vocabulary" / "records.json").read_text("utf-8"))

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLURAL_FORMS = {"zero", "one", "two", "few", "many", "other"}
# Keys made at run time from a server problem's type and from a verification reason; each
# family is checked against its source below instead of by name.
DYNAMIC = ("problems.", "trust.")


def _js_list(name: str) -> list[str]:
    found = re.search(rf"export const {name} = \[(.*?)\];", I18N_JS, re.S)
    assert found, name
    return re.findall(r'"([\w-]+)"', found.group(1))


def _js_languages() -> list[str]:
    found = re.search(r"export const LANGUAGES = \{(.*?)\};", I18N_JS, re.S)
    assert found
    return re.findall(r"(\w+):", found.group(1))


AREAS = _js_list("AREAS")
LANGUAGES = _js_languages()
OTHERS = [lang for lang in LANGUAGES if lang != "en"]
Text = str | dict[str, str]


def catalogue(lang: str) -> dict[str, Text]:
    merged: dict[str, Text] = {}
    for area in AREAS:
        merged |= json.loads((CATALOGUES / lang / f"{area}.json").read_text(encoding="utf-8"))
    return merged


def forms(value: Text) -> Iterator[str]:
    yield from (value.values() if isinstance(value, dict) else [value])


def placeholders(value: Text) -> set[str]:
    return {name for text in forms(value) for name in PLACEHOLDER.findall(text)}


def scripts() -> dict[str, str]:
    """Every module of the page, and the service worker (it words the notifications)."""
    paths = [*sorted(SCRIPTS.rglob("*.js")), WEB / "sw.js"]
    return {str(path.relative_to(WEB)): path.read_text(encoding="utf-8") for path in paths}


def record_kinds() -> set[str]:
    """The kinds of the notebook's records ("pen.passed"), from their one data file."""
    return set(RECORDS["kinds"])


def keys_named_in_scripts() -> set[str]:
    """Every string literal in the scripts that has the shape of a key of a known area (a
    record kind such as "pause.started" has that shape too, and is not a key)."""
    pattern = re.compile(rf"""["'`]((?:{"|".join(AREAS)})\.[a-z0-9_]+)["'`]""")
    named = {key for source in scripts().values() for key in pattern.findall(source)}
    return named - record_kinds()


def test_languages_and_areas_have_one_file_each() -> None:
    assert LANGUAGES[0] == "en" and OTHERS, LANGUAGES
    for lang in LANGUAGES:
        files = {path.stem for path in (CATALOGUES / lang).glob("*.json")}
        assert files == set(AREAS), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_lives_in_its_own_area(lang: str) -> None:
    for area in AREAS:
        data = json.loads((CATALOGUES / lang / f"{area}.json").read_text(encoding="utf-8"))
        assert data, f"{lang}/{area} is empty"
        strays = [key for key in data if not re.fullmatch(rf"{area}\.[a-z0-9_]+", key)]
        assert strays == [], f"{lang}/{area}"


@pytest.mark.parametrize("lang", OTHERS)
def test_every_language_has_exactly_the_english_keys(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    assert sorted(set(english) - set(other)) == [], "missing"
    assert sorted(set(other) - set(english)) == [], "not in English"


@pytest.mark.parametrize("lang", OTHERS)
def test_texts_keep_the_english_placeholders_and_plural_forms(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    for key, value in english.items():
        theirs = other[key]
        assert isinstance(theirs, dict) == isinstance(value, dict), key
        assert placeholders(theirs) == placeholders(value), key
        if isinstance(value, dict):
            for text in theirs.values():
                assert set(PLACEHOLDER.findall(text)) == placeholders(value), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_is_empty_and_plurals_have_real_forms(lang: str) -> None:
    for key, value in catalogue(lang).items():
        if isinstance(value, dict):
            assert "other" in value and set(value) <= PLURAL_FORMS, key
            assert "count" in placeholders(value), key
        assert all(isinstance(text, str) and text.strip() for text in forms(value)), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quotes_and_apostrophes_are_curly(lang: str) -> None:
    """What a person reads never has a typewriter's quote or apostrophe, in any language."""
    straight = [
        key
        for key, value in catalogue(lang).items()
        if any("'" in text or '"' in text for text in forms(value))
    ]
    assert straight == []


def _gentle_words() -> dict[str, list[str]]:
    """What the gentle check shows in its own words, by language: the rules' rewrites and their
    categories' words (English), and the model's rewrites (each language it reads)."""
    rules = json.loads((STATIC / "gentle" / "rules.json").read_text(encoding="utf-8"))
    english = [p["rewrite"] for p in rules["patterns"] if p.get("rewrite")]
    english += [text for words in rules["categories"].values() for text in words.values()]
    shown = {"en": english}
    with gzip.open(STATIC / "gentle" / "model.json.gz", "rt", encoding="utf-8") as model:
        for lang, data in json.load(model)["languages"].items():
            shown.setdefault(lang, []).extend(data["rewrites"].values())
    return shown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_gentle_checks_own_words_are_curly(lang: str) -> None:
    """A rewrite is shown (“Perhaps: “…””) and may be put into the draft: curly like the rest,
    and in French with a narrow no-break space before ? ! : ;. ({1}, the writer's own words,
    is left as they typed it.)"""
    shown = _gentle_words()[lang]
    assert shown
    assert [text for text in shown if "'" in text or '"' in text] == []
    if lang == "fr":
        assert [text for text in shown if re.search(r"[^\u202f][?!;:»](?:\s|$)", text)] == []


def test_french_reads_as_french_is_printed() -> None:
    """Typographic apostrophes, and a narrow no-break space before ? ! : ; and inside « »."""
    for key, value in catalogue("fr").items():
        for text in forms(value):
            assert "'" not in text and '"' not in text, key
            assert not re.search(r"[^\u202f][?!;:»](?:\s|$)", text), key
            assert not re.search(r"«[^\u202f]", text), key


def test_every_key_the_scripts_name_exists_in_english() -> None:
    english = catalogue("en")
    kinds = record_kinds()
    assert {"pause.started", "pen.passed", "notebook.created"} <= kinds
    assert sorted(kinds & set(english)) == [], "a key that reads as a record kind"
    assert sorted(keys_named_in_scripts() - set(english)) == []
    # t("…") with a key of no known area would slip past the pattern above.
    called = {key for source in scripts().values() for key in re.findall(r'\bt\("([^"]+)"', source)}
    assert sorted(called - set(english)) == []


def test_no_key_goes_unused() -> None:
    named = keys_named_in_scripts()
    unused = [key for key in catalogue("en") if key not in named and not key.startswith(DYNAMIC)]
    assert unused == ["common.noscript"]  # used by index.html, checked below
    frame = scripts()["static/js/views/frame.js"]
    for family in DYNAMIC:
        assert f"`{family}${{" in frame, family


def _slug(text: str, joiner: str = "_") -> str:
    return re.sub(r"[^a-z0-9]+", joiner, text.lower()).strip(joiner)


def server_problem_types() -> set[str]:
    """The type of every problem the server sends: each code the rules refuse with, and the
    slug of each title the HTTP layer and the store's faults name themselves."""
    calls = re.compile(
        r'Problem\(\s*\d{3},\s*"([^"]+)"'
        r'|Fault\(\s*"([^"]+)"|problem_response\(\s*\d{3},\s*"([^"]+)"'
    )
    types = {refusal.type for refusal in Refusal}
    for path in SRC.rglob("*.py"):
        for match in calls.finditer(path.read_text(encoding="utf-8")):
            types.add(_slug(next(group for group in match.groups() if group), "-"))
    return types


def test_every_server_problem_has_words_and_no_other_does() -> None:
    types = server_problem_types()
    assert {"not-your-turn", "invite-used", "disk-full", "invalid-request"} <= types
    expected = {f"problems.{_slug(kind)}" for kind in types}
    found = {key for key in catalogue("en") if key.startswith("problems.")}
    assert sorted(expected - found) == [], "a problem the browser cannot put in words"
    assert sorted(found - expected) == [], "words for a problem the server never raises"


def verification_reasons() -> set[str]:
    """The plain (non-template) reasons the scripts give when something does not verify, and
    the refusals of a record of the log (static/vocabulary/records.json).

    Vendored modules (js/vendor/, kept byte for byte as published) are not ours: their errors
    are a library's own and are no verification reasons."""
    thrown = re.compile(r'(?:Protocol)?Error\("([^"]+)"\)|problems\.push\("([^"]+)"\)')
    reasons = set()
    for path, source in scripts().items():
        if path.startswith("static/js/vendor/"):
            continue
        for match in thrown.finditer(source):
            reasons.add(match.group(1) or match.group(2))
    return reasons | set(RECORDS["refusals"].values())


def test_every_verification_reason_has_words_and_no_other_does() -> None:
    reasons = verification_reasons()
    assert "it is out of place in the chain" in reasons
    english = catalogue("en")
    expected = {f"trust.{_slug(reason)}": reason for reason in reasons}
    found = {key for key in english if key.startswith("trust.")}
    assert sorted(set(expected) - found) == []
    assert sorted(found - set(expected)) == []
    # The reason's own words, with the apostrophes a reader sees (the code's are typed plain).
    assert all(english[key] == reason.replace("'", "’") for key, reason in expected.items())


def test_english_gentle_words_are_the_rules_file_words() -> None:
    rules: dict[str, Any] = json.loads((STATIC / "gentle" / "rules.json").read_text("utf-8"))
    english = catalogue("en")
    for category, words in rules["categories"].items():
        assert english[f"gentle.{category}_suggestion"] == words["suggestion"], category
        assert english[f"gentle.{category}_antidote"] == words["antidote"], category
        assert f"gentle.{category}_label" in english, category


def test_english_chapter_steps_are_the_python_templates_words() -> None:
    english = catalogue("en")
    for step, prompt in AFTER_A_FIGHT:
        assert english[f"chapters.step_{step}_prompt"] == prompt, step


def test_noscript_says_the_catalogue_words_in_every_language() -> None:
    page = (WEB / "index.html").read_text(encoding="utf-8")
    noscript = re.search(r"<noscript>(.*?)</noscript>", page, re.S)
    assert noscript
    said = dict(re.findall(r'<p lang="(\w+)">(.*?)</p>', noscript.group(1)))
    assert said == {lang: catalogue(lang)["common.noscript"] for lang in LANGUAGES}
