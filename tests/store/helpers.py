"""Building blocks for store tests: a notebook with its creator, and chains of entries."""

import hashlib
import os
from datetime import UTC, datetime, timedelta

from unspoken.protocol.encoding import new_id
from unspoken.rules import Entry
from unspoken.server import writes
from unspoken.store import Store
from unspoken.store.base import NewDevice, NewInvite, Profile

NOW = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)


def new_device(token: bytes = b"") -> NewDevice:
    return NewDevice(new_id(), os.urandom(32), hashlib.sha256(token or os.urandom(32)).digest())


async def make_notebook(store: Store, token: bytes = b"") -> tuple[str, str]:
    notebook_id, member_id = new_id(), new_id()
    device = new_device(token)
    profile = Profile(device.id, b"\x01" + os.urandom(300), os.urandom(64))
    await store.write(writes.create_notebook(notebook_id, member_id, device, profile, NOW))
    return notebook_id, member_id


async def open_invite(store: Store, notebook_id: str, creator: str) -> tuple[str, bytes]:
    """An open invite and the claim that redeems it."""
    invite_id, claim = new_id(), os.urandom(32)
    invite = NewInvite(
        invite_id, hashlib.sha256(claim).digest(), os.urandom(100), NOW + timedelta(hours=24)
    )
    await store.write(writes.open_invite(notebook_id, creator, invite, NOW))
    return invite_id, claim


def chain(count: int, device: str = "dev", start: bytes = bytes(32)) -> list[Entry]:
    entries, prev = [], start
    for _ in range(count):
        digest = os.urandom(32)
        box = b"\x01" + os.urandom(399)  # a version 1 box: epoch 0
        entries.append(Entry(new_id(), 1, device, prev, digest, box, os.urandom(64)))
        prev = digest
    return entries
