"""Token → device, remembered in process memory: every request's first step, without a query.

Only a *positive* answer for an *active* member whose device still belongs is kept, so a
cached answer can only ever be "let in" for someone who was let in a moment ago. Entries are
dropped:

- on any committed write to the entry's notebook made through this process's store, except
  plain appends (which change no member or device) — so approve, decline, leave, goodbye,
  erasure, knocks, pen and pauses take effect at once for the next request here;
- after `ttl` seconds at most — the bound on how long a change made by *another* process
  (PostgreSQL + Redis) can go unseen here. SQLite has one process writing, so its TTL only
  guards against a write that reached the file some other way.

A write whose notebook is found only inside its transaction (claiming an invite or a device
link) clears every entry. Each unit of work says which of these it is (store/work.py).
See docs/performance.md.
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from unspoken.store.base import DeviceAuth
from unspoken.store.work import Forget, Work

MAX_ENTRIES = 20_000


class TokenCache:
    def __init__(
        self,
        ttl: float,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[bytes, tuple[DeviceAuth, float]] = OrderedDict()
        self._by_notebook: dict[str, set[bytes]] = {}
        self._stamp = 0  # moves on every forget: see put()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token_hash: bytes) -> DeviceAuth | None:
        found = self._entries.get(token_hash)
        if found is None:
            return None
        auth, expires = found
        if self._clock() >= expires:
            self._drop(token_hash)
            return None
        self._entries.move_to_end(token_hash)
        return auth

    @property
    def stamp(self) -> int:
        """Take this before reading a token from the database and hand it to `put`."""
        return self._stamp

    def put(self, token_hash: bytes, auth: DeviceAuth | None, stamp: int) -> None:
        """Remember `auth` if it may be remembered and nothing was forgotten since `stamp`
        was taken: a read that raced a decline must not be kept after the decline."""
        if auth is None or not auth.belongs or auth.member.state != "active":
            return
        if auth.device_state != "active":
            return
        if stamp != self._stamp:
            return
        self._drop(token_hash)
        self._entries[token_hash] = (auth, self._clock() + self.ttl)
        self._by_notebook.setdefault(auth.notebook_id, set()).add(token_hash)
        while len(self._entries) > self._max:
            self._drop(next(iter(self._entries)))

    def forget_notebook(self, notebook_id: str) -> None:
        self._stamp += 1
        for token_hash in self._by_notebook.pop(notebook_id, set()):
            self._entries.pop(token_hash, None)

    def clear(self) -> None:
        self._stamp += 1
        self._entries.clear()
        self._by_notebook.clear()

    def _drop(self, token_hash: bytes) -> None:
        found = self._entries.pop(token_hash, None)
        if found is not None:
            tokens = self._by_notebook.get(found[0].notebook_id)
            if tokens is not None:
                tokens.discard(token_hash)
                if not tokens:
                    del self._by_notebook[found[0].notebook_id]


def after_write(cache: TokenCache, work: "Work[Any]", value: object = None) -> None:
    """Forget what a write may have changed (called whether it succeeded or not: a COMMIT
    that failed with an I/O error may still have happened)."""
    forgets, notebook = work.forgets, work.notebook
    if forgets is Forget.NOTHING and value is not None:
        return  # a plain append (or its replay) that committed: no member, no device changed
    if notebook is not None and forgets is not Forget.EVERYTHING:
        cache.forget_notebook(notebook)
    else:
        cache.clear()
