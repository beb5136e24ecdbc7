"""The one way a rule says no."""

from collections.abc import Mapping
from typing import Any


class RuleViolation(Exception):
    """A command the rules refuse; carries what the HTTP layer needs to explain it.

    `retry_after` (seconds) is set when asking again later will work (a rate limit).
    """

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        extra: Mapping[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail
        self.extra: Mapping[str, Any] = dict(extra or {})
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"RuleViolation({self.status}, {self.title!r})"
