"""How often a device may send draft frames: a few a second, per device, in this process."""

import math
from collections import deque
from datetime import datetime, timedelta

from unspoken.rules import Refusal, RuleViolation

FRAMES_PER_SECOND = 5
_WINDOW = timedelta(seconds=1)


class DraftLimiter:
    """A sliding one-second window per device; over the limit is a 429 with Retry-After."""

    def __init__(self, per_second: int = FRAMES_PER_SECOND) -> None:
        self.per_second = per_second
        self._sent: dict[str, deque[datetime]] = {}

    def admit(self, device: str, now: datetime) -> None:
        sent = self._sent.setdefault(device, deque())
        while sent and now - sent[0] >= _WINDOW:
            sent.popleft()
        if len(sent) >= self.per_second:
            wait = (sent[0] + _WINDOW - now).total_seconds()
            raise RuleViolation(
                Refusal.TOO_MANY_DRAFT_FRAMES,
                retry_after=max(1, math.ceil(wait)),
                per_second=self.per_second,
            )
        sent.append(now)
        if len(self._sent) > 10_000:  # forget idle devices rather than grow without end
            self._sent = {d: q for d, q in self._sent.items() if q and now - q[-1] < _WINDOW}
