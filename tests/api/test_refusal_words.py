"""The one table from a rule's refusal code to what the API says: complete, and consistent with
the problem types the browser and the SDK know."""

from datetime import UTC, datetime

import pytest

from unspoken.api.problems import slug
from unspoken.api.refusals import WORDS, said
from unspoken.rules import Refusal, RuleViolation

# What fills the blanks of the explanations that have any.
SAYS = {
    Refusal.NEW_KEYS: {"epoch": 4},
    Refusal.NOT_THE_NEXT_EPOCH: {"next": 3},
    Refusal.WRONG_CHAPTER: {"chapter": 2},
    Refusal.WRONG_CHAPTER_FOR_DRAFT: {"chapter": 2},
    Refusal.NOT_THE_LATEST_CHAPTER: {"chapter": 2},
    Refusal.NOT_THE_NEXT_CHAPTER: {"next": 3},
    Refusal.CHAPTER_CLOSED: {"chapter": 2},
    Refusal.TOO_MANY_DRAFT_FRAMES: {"per_second": 5},
    Refusal.ASKED_RECENTLY: {"minutes": 3},
    Refusal.SAME_MODE: {"mode": "open"},
    Refusal.PARTNER_ASKED_FOR_TIME: {"until": datetime(2026, 11, 22, 7, 5, tzinfo=UTC)},
    Refusal.ALREADY_ANSWERED: {"state": "acknowledged"},
    Refusal.ALREADY_MARKED: {"state": "kept"},
}


def test_every_code_has_words() -> None:
    assert sorted(set(Refusal) - set(WORDS)) == []


@pytest.mark.parametrize("code", list(Refusal))
def test_the_type_is_the_code_and_the_title_says_it(code: Refusal) -> None:
    words = said(RuleViolation(code, **SAYS.get(code, {})))
    assert words.type == code.type == slug(words.title)
    assert 400 <= words.status < 500
    assert words.detail.endswith(".") and "{" not in words.detail


def test_blanks_are_filled_from_what_the_refusal_says() -> None:
    paused = said(
        RuleViolation(Refusal.PARTNER_ASKED_FOR_TIME, **SAYS[Refusal.PARTNER_ASKED_FOR_TIME])
    )
    assert paused.detail.startswith("Your partner asked for time until 07:05 UTC.")
    assert said(RuleViolation(Refusal.ASKED_RECENTLY, minutes=1)).detail == (
        "You can ask again in 1 minute."
    )
    assert said(RuleViolation(Refusal.ASKED_RECENTLY, minutes=4)).detail == (
        "You can ask again in 4 minutes."
    )


def test_one_type_may_be_explained_in_several_ways() -> None:
    found = said(RuleViolation(Refusal.NO_PROMISE))
    assert (found.type, found.status, found.title) == ("not-found", 404, "Not found")
    assert found.detail == "There is no such promise in this notebook."
