"""unspoken.gentle.check: the Python API and the behaviour the issue asks for."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspoken.gentle import CATEGORIES, Finding, check

from .conftest import labelled_texts


def categories(text: str) -> list[str]:
    return [f.category for f in check(text)]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("You always leave your dishes in the sink.", "criticism"),
        ("You never listen to me.", "criticism"),
        ("What's wrong with you?", "criticism"),
        ("You're so selfish.", "criticism"),
        ("Oh, poor you.", "contempt"),
        ("Wow, real mature.", "contempt"),
        ("You're pathetic.", "contempt"),
        ("It's not my fault.", "defensiveness"),
        ("Yes, but you said it was fine.", "defensiveness"),
        ("What about the time you forgot my birthday?", "defensiveness"),
        ("Whatever.", "stonewalling"),
        ("Fine.", "stonewalling"),
        ("I'm done talking.", "stonewalling"),
        ("Leave me alone.", "stonewalling"),
    ],
)
def test_the_issues_examples_are_found(text: str, category: str) -> None:
    assert categories(text) == [category]


@pytest.mark.parametrize(
    "text",
    [
        "You always make me laugh.",
        "I never want to lose you.",
        "I'm feeling overwhelmed, can we take twenty minutes and come back to this?",
        "It's not your fault.",
        'When you said "whatever" and walked away, I felt shut out.',
        "I'm not saying you're selfish, I'm saying I felt alone.",
        "Do you always take the bus on Tuesdays?",
        "I'm done. Let's talk again at eight.",
        "Fine, let's try.",
    ],
)
def test_near_misses_are_left_alone(text: str) -> None:
    assert check(text) == []


def test_a_finding_is_frozen_and_carries_the_antidote() -> None:
    (finding,) = check("You never call when you say you will.")
    assert isinstance(finding, Finding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 3  # type: ignore[misc]
    assert finding.antidote.startswith("A gentle start-up")
    assert finding.suggestion
    assert finding.rewrite == "I feel … about this, and I need you to call when you say you will."


def test_spans_count_code_points_so_emoji_count_once() -> None:
    text = "😀 You always do this."
    (finding,) = check(text)
    assert (finding.start, finding.end) == (2, 20)
    assert text[finding.start : finding.end] == finding.text == "You always do this"


def test_findings_come_in_reading_order_without_overlap() -> None:
    found = check("Whatever. You never listen. It's not my fault you forgot.")
    assert [f.category for f in found] == ["stonewalling", "criticism", "defensiveness"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_a_question_asking_why_still_counts() -> None:
    assert categories("Why do you always take the bus?") == ["criticism"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(labelled_texts()),
            st.text(max_size=40),
            st.sampled_from(["😀", "\n", '"', "“", "’", "İ", "ſ", "…", "?", ". "]),
        ),
        max_size=8,
    ).map("".join)
)
def test_any_text_gives_well_formed_findings(text: str) -> None:
    end = 0
    for finding in check(text):
        assert finding.category in CATEGORIES
        assert end <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
        end = finding.end
