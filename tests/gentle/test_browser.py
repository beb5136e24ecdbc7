"""The browser's check (static/js/gentle) in real Chromium: the shared vectors, parity with
Python on many texts, and the hints shown while writing."""

import random
from typing import Any

import pytest
from playwright.sync_api import expect

from unspoken.gentle import check

from .conftest import labelled_texts, load_vectors

pytestmark = pytest.mark.browser

CHECK = "/static/js/gentle/check.js"
HINTS = "/static/js/gentle/hints.js"


def run_check(page: Any, texts: list[str]) -> list[list[dict[str, Any]]]:
    script = f"""async (texts) => {{
        const gentle = await import('{CHECK}');
        const rules = await gentle.loadRules();
        return texts.map((text) => gentle.check(text, rules));
    }}"""
    result: list[list[dict[str, Any]]] = page.evaluate(script, texts)
    return result


def mixtures(count: int) -> list[str]:
    rows = labelled_texts()
    pick = random.Random(20240611)
    glue = ["", " ", "\n", " 😀 ", "… ", " “", "” ", " 🏳️‍🌈 ", " İſK "]
    return [pick.choice(glue).join(pick.sample(rows, pick.randint(1, 6))) for _ in range(count)]


def test_browser_gives_the_vector_findings(page: Any) -> None:
    vectors = load_vectors()
    got = run_check(page, [case["text"] for case in vectors])
    for case, findings in zip(vectors, got, strict=True):
        assert findings == case["findings"], case["text"]
    assert page.errors == []


def test_browser_and_python_agree_on_every_labelled_sentence_and_mixtures(page: Any) -> None:
    texts = labelled_texts() + mixtures(400)
    got = run_check(page, texts)
    differ = [t for t, js in zip(texts, got, strict=True) if js != [f.to_dict() for f in check(t)]]
    assert differ == []


def test_utf16_range_slices_the_same_words(page: Any) -> None:
    text = "🏳️‍🌈 Ella 💔 you never listen. Fine."
    script = f"""async (text) => {{
        const gentle = await import('{CHECK}');
        const rules = await gentle.loadRules();
        return gentle.check(text, rules).map((f) => {{
            const [s, e] = gentle.utf16Range(text, f);
            return text.slice(s, e) === f.text;
        }});
    }}"""
    assert page.evaluate(script, text) == [True, True]


def test_a_thousand_characters_check_quickly_in_the_browser(page: Any) -> None:
    text = " ".join(labelled_texts())[:1000]
    script = f"""async (text) => {{
        const gentle = await import('{CHECK}');
        const rules = await gentle.loadRules();
        gentle.check(text, rules);
        const started = performance.now();
        for (let i = 0; i < 50; i += 1) gentle.check(text, rules);
        return (performance.now() - started) / 50;
    }}"""
    # Generous: it takes about a millisecond; what matters is no lag between keystrokes.
    assert page.evaluate(script, text) < 16


def attach(page: Any) -> None:
    page.evaluate(
        f"""async () => {{
            await (await import('/static/js/i18n.js')).startLanguage('en');
            const {{ attachGentleCheck }} = await import('{HINTS}');
            const {{ loadRules }} = await import('{CHECK}');
            const rules = await loadRules();
            window.gentle = attachGentleCheck(document.getElementById('draft'),
                                              {{ rules, delay: 50 }});
        }}"""
    )


def test_hints_highlight_the_draft_while_writing(page: Any) -> None:
    attach(page)
    page.locator("#draft").press_sequentially("Whatever. You never listen to me.", delay=5)
    # Checks run while typing too (debounced), so wait for the one after the last key.
    expect(page.locator(".gentle__mark")).to_have_text(["Whatever", "You never listen to me"])
    hints = page.locator(".gentle__hint")
    expect(hints).to_have_count(2)
    assert "Ask for a break" in hints.nth(0).inner_text()
    assert "gentle start-up" in hints.nth(1).inner_text()
    assert page.locator(".gentle__hints").is_visible()
    assert page.errors == []  # includes any Content-Security-Policy violation


def test_a_suggested_wording_can_be_taken(page: Any) -> None:
    attach(page)
    page.locator("#draft").fill("You never call when you say you will.")
    page.locator(".gentle__use").click()
    value = page.locator("#draft").input_value()
    assert value == "I feel … about this, and I need you to call when you say you will."
    selected = page.evaluate(
        "() => { const d = document.getElementById('draft');"
        " return d.value.slice(d.selectionStart, d.selectionEnd); }"
    )
    assert selected == "…"


def test_a_hint_can_be_left_and_the_check_turned_off_for_oneself(page: Any) -> None:
    attach(page)
    draft = page.locator("#draft")
    draft.fill("Fine. It's not my fault.")
    page.locator(".gentle__hint").first.wait_for()
    page.locator(".gentle__hint--stonewalling .gentle__leave").click()
    assert page.locator(".gentle__mark").all_text_contents() == ["It's not my fault"]
    page.locator(".gentle__toggle").click()
    assert page.locator(".gentle__mark").count() == 0
    assert page.evaluate("() => localStorage.getItem('unspoken.gentle')") == "off"
    draft.press_sequentially(" Whatever.", delay=5)
    page.wait_for_timeout(150)
    assert page.locator(".gentle__mark").count() == 0
    assert page.locator(".gentle__toggle").inner_text() == "Turn on the gentle check"


def test_it_never_blocks_typing_or_submitting(page: Any) -> None:
    attach(page)
    page.evaluate(
        """() => { window.sent = null; const form = document.querySelector('form');
        form.addEventListener('submit', (e) => { e.preventDefault();
            window.sent = document.getElementById('draft').value; }); }"""
    )
    page.locator("#draft").fill("Whatever.")
    page.locator(".gentle__hint").first.wait_for()
    page.evaluate("() => document.querySelector('form').requestSubmit()")
    assert page.evaluate("() => window.sent") == "Whatever."


def test_detach_puts_the_textarea_back(page: Any) -> None:
    attach(page)
    page.evaluate("() => window.gentle.detach()")
    assert (
        page.evaluate(
            "() => document.getElementById('draft').parentElement.tagName"
            " + document.querySelectorAll('.gentle, .gentle__hints').length"
        )
        == "FORM0"
    )


def test_a_pattern_naming_an_unknown_guard_fails_when_the_rules_compile(page: Any) -> None:
    script = f"""async () => {{
        const gentle = await import('{CHECK}');
        const data = await (await fetch('/static/gentle/rules.json')).json();
        data.patterns[0].guards.push('no-such-guard');
        try {{
            gentle.compileRules(data);
            return null;
        }} catch (error) {{
            return error.message;
        }}
    }}"""
    message = page.evaluate(script)
    assert message is not None and "unknown guard no-such-guard" in message
