"""The token → device cache: a hit needs no query, and no change to a member is ever missed."""

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from store.helpers import NOW, chain, make_notebook, new_device, open_invite
from unspoken.protocol.encoding import new_id
from unspoken.rules import Member
from unspoken.server import reads, writes
from unspoken.store import SqliteStore
from unspoken.store.base import DeviceAuth, Profile
from unspoken.store.tokens import TokenCache


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "unspoken.db")
    await opened.open()
    yield opened
    await opened.close()


async def _joiner(store: SqliteStore, nb: str, creator: str) -> tuple[str, bytes]:
    invite_id, claim = await open_invite(store, nb, creator)
    token, member = os.urandom(32), new_id()
    device = new_device(token)
    await store.write(writes.claim_invite(invite_id, claim, member, device, os.urandom(32), NOW))
    return member, hashlib.sha256(token).digest()


async def test_a_known_token_is_answered_from_memory(store: SqliteStore) -> None:
    token = os.urandom(32)
    await make_notebook(store, token)
    digest = hashlib.sha256(token).digest()
    first = await reads.device_for_token(store, digest)
    assert first is not None and len(store.tokens) == 1
    assert await reads.device_for_token(store, digest) is first


async def test_appends_keep_the_cache_and_other_writes_empty_it(store: SqliteStore) -> None:
    token = os.urandom(32)
    nb, creator = await make_notebook(store, token)
    member, joiner = await _joiner(store, nb, creator)
    pending = await reads.device_for_token(store, joiner)
    assert pending is not None and pending.member.state == "pending"
    assert store.tokens.get(joiner) is None  # only active members are remembered
    await store.write(writes.approve(nb, creator, member, NOW))
    approved = await reads.device_for_token(store, joiner)
    assert approved is not None and approved.member.state == "active" and approved.belongs
    assert store.tokens.get(joiner) is approved
    await store.write(writes.append_entry(nb, creator, chain(1)[0], NOW))
    assert store.tokens.get(joiner) is approved
    profile = Profile(new_id(), b"\x01" + os.urandom(299), os.urandom(64))  # epoch 0
    await store.write(writes.set_profile(nb, member, profile, NOW))
    assert store.tokens.get(joiner) is None


def _auth(notebook_id: str = "nb") -> DeviceAuth:
    return DeviceAuth(notebook_id, "dev", bytes(32), Member("m", "creator", "active"))


def test_a_read_that_raced_a_change_is_not_kept() -> None:
    cache = TokenCache(ttl=60)
    stamp = cache.stamp
    cache.forget_notebook("other")  # any change while the read was under way
    cache.put(b"t", _auth(), stamp)
    assert cache.get(b"t") is None
    cache.put(b"t", _auth(), cache.stamp)
    assert cache.get(b"t") is not None


def test_entries_expire_and_the_oldest_go_first() -> None:
    now = [0.0]
    cache = TokenCache(ttl=5, max_entries=2, clock=lambda: now[0])
    for token in (b"a", b"b", b"c"):
        cache.put(token, _auth(), cache.stamp)
    assert cache.get(b"a") is None and cache.get(b"c") is not None
    now[0] = 5.0
    assert cache.get(b"b") is None and cache.get(b"c") is None and len(cache) == 0
