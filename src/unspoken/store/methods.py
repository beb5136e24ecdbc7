"""The store's named operations, written once for every backend.

A backend supplies only how a write and a read run (`write(fn)`, `read(fn)`: SQLite's single
writer with group commit, PostgreSQL's per-notebook writer threads) and its token cache; what
each operation does lives in operations.py and reads.py.
"""

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TypeVar

from sqlalchemy import Connection

from unspoken.rules import Entry, Record
from unspoken.store import operations, reads, tokens
from unspoken.store.base import (
    Appended,
    Claimed,
    Committed,
    DeviceAuth,
    NewDevice,
    NewInvite,
    NotebookView,
    Profile,
    RecordPage,
)

T = TypeVar("T")


class StoreMethods:
    tokens: tokens.TokenCache

    async def write(self, fn: Callable[[Connection], T]) -> T:
        raise NotImplementedError

    async def read(self, fn: Callable[[Connection], T]) -> T:
        raise NotImplementedError

    async def create_notebook(
        self, notebook_id: str, member_id: str, device: NewDevice, profile: Profile, now: datetime
    ) -> Committed[None]:
        return await self.write(
            partial(
                operations.create_notebook,
                notebook_id=notebook_id,
                member_id=member_id,
                device=device,
                profile=profile,
                now=now,
            )
        )

    async def open_invite(
        self, notebook_id: str, actor: str, invite: NewInvite, now: datetime
    ) -> Committed[None]:
        return await self.write(
            partial(
                operations.open_invite, notebook_id=notebook_id, actor=actor, invite=invite, now=now
            )
        )

    async def revoke_invite(self, notebook_id: str, actor: str, invite_id: str) -> Committed[None]:
        return await self.write(
            partial(
                operations.revoke_invite, notebook_id=notebook_id, actor=actor, invite_id=invite_id
            )
        )

    async def claim_invite(
        self,
        invite_id: str,
        claim: bytes,
        member_id: str,
        device: NewDevice,
        key_mac: bytes,
        now: datetime,
    ) -> Committed[Claimed]:
        return await self.write(
            partial(
                operations.claim_invite,
                invite_id=invite_id,
                claim=claim,
                member_id=member_id,
                device=device,
                key_mac=key_mac,
                now=now,
            )
        )

    async def set_profile(
        self, notebook_id: str, actor: str, profile: Profile, now: datetime
    ) -> Committed[None]:
        return await self.write(
            partial(
                operations.set_profile,
                notebook_id=notebook_id,
                actor=actor,
                profile=profile,
                now=now,
            )
        )

    async def approve(
        self, notebook_id: str, actor: str, member_id: str, now: datetime
    ) -> Committed[NotebookView]:
        return await self.write(
            partial(
                operations.approve,
                notebook_id=notebook_id,
                actor=actor,
                member_id=member_id,
                now=now,
            )
        )

    async def decline(
        self, notebook_id: str, actor: str, member_id: str, now: datetime
    ) -> Committed[NotebookView]:
        return await self.write(
            partial(
                operations.decline,
                notebook_id=notebook_id,
                actor=actor,
                member_id=member_id,
                now=now,
            )
        )

    async def append_entry(
        self, notebook_id: str, actor: str, entry: Entry, now: datetime
    ) -> Committed[Appended]:
        return await self.write(
            partial(
                operations.append_entry, notebook_id=notebook_id, actor=actor, entry=entry, now=now
            )
        )

    async def pass_pen(
        self, notebook_id: str, actor: str, now: datetime
    ) -> Committed[NotebookView]:
        return await self.write(
            partial(operations.pass_pen, notebook_id=notebook_id, actor=actor, now=now)
        )

    async def device_for_token(self, token_hash: bytes) -> DeviceAuth | None:
        found = self.tokens.get(token_hash)
        if found is None:
            stamp = self.tokens.stamp
            found = await self.read(partial(reads.device_for_token, token_hash=token_hash))
            self.tokens.put(token_hash, found, stamp)
        return found

    async def notebook(self, notebook_id: str) -> NotebookView | None:
        return await self.read(partial(reads.view, notebook_id=notebook_id))

    async def records(self, notebook_id: str, after: int, limit: int) -> list[Record]:
        return await self.read(
            partial(reads.records_after, notebook_id=notebook_id, after=after, limit=limit)
        )

    async def page(self, notebook_id: str, after: int, limit: int) -> RecordPage:
        return await self.read(
            partial(reads.page, notebook_id=notebook_id, after=after, limit=limit)
        )
