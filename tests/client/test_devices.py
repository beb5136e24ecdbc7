"""A second device for one partner, revocation and key epochs, through the SDK and a real server."""

import asyncio
import sqlite3
from contextlib import aclosing
from typing import Any

import pytest

from unspoken.client import Notebook, TamperError, UnspokenError
from unspoken.protocol import box, keys, messages
from unspoken.protocol.encoding import b64decode
from unspoken.protocol.errors import ProtocolError


async def _kinds(
    notebook: Notebook, until: str, seen: list[str], heard: asyncio.Event | None = None
) -> None:
    """The kinds of the records the stream brings, until `until`; `heard` is set at the first."""
    async with aclosing(notebook.events()) as stream:
        async for event in stream:
            seen.append(event.kind)
            if heard is not None:
                heard.set()
            if event.kind == until:
                return


async def _link(ella: Notebook) -> Notebook:
    link = await ella.link_device()
    adding = asyncio.create_task(Notebook.add_device(link))
    await ella.approve_device()
    return await asyncio.wait_for(adding, 30)


async def _entry_records(notebook: Notebook) -> list[dict[str, Any]]:
    _, page = await notebook._api.call("GET", f"/v1/notebooks/{notebook.id}/records?limit=500")
    return [r for r in page["records"] if r["kind"] == "entry"]


async def test_the_whole_story_of_a_second_device(couple: tuple[Notebook, Notebook]) -> None:
    ella, james = couple
    await ella.write("I never meant for things to end this way")
    await ella.pass_pen()
    await james.write("Nor did I")
    await james.pass_pen()
    phrase_before = james.safety_phrase
    told: list[str] = []
    listening = asyncio.create_task(_kinds(james, "epoch.started", told))

    phone = await _link(ella)
    assert phone.member_id == ella.member_id
    assert [e.text for e in await phone.read()] == [
        "I never meant for things to end this way",
        "Nor did I",
    ]
    written = await phone.write("From my phone, the same hand")
    assert written.author == "Ella"
    assert [e.text for e in await james.read()][-1] == "From my phone, the same hand"
    assert set(james.devices[ella.member_id]) == {ella._device.id, phone._device.id}
    await ella.read()
    assert james.safety_phrase == ella.safety_phrase == phone.safety_phrase != phrase_before

    phone_stream: list[str] = []
    phone_heard = asyncio.Event()
    phone_listening = asyncio.create_task(_kinds(phone, "never", phone_stream, phone_heard))
    # A record made after the phone began listening: once it has it, its stream is open.
    await james.ask_for_pen()
    await asyncio.wait_for(phone_heard.wait(), 15)
    epoch = await ella.revoke_device(phone._device.id)
    assert epoch == 1
    with pytest.raises(UnspokenError) as cut:  # its live stream ends, and it may not come back
        await asyncio.wait_for(phone_listening, 15)
    assert cut.value.status == 401 and "signed out" in cut.value.detail
    with pytest.raises(UnspokenError) as refused:
        await phone.read()
    assert refused.value.status == 401

    await asyncio.wait_for(listening, 15)
    assert "device.added" in told and told[-2:] == ["device.revoked", "epoch.started"]
    assert james.safety_phrase == ella.safety_phrase == phrase_before  # back to two devices

    await ella.write("After the phone was lost")
    last = (await _entry_records(ella))[-1]
    assert box.epoch_of(b64decode(last["ct"])) == 1
    with pytest.raises(ProtocolError, match="no key for epoch 1"):
        messages.open_entry(phone.keyring.content, ella._device.public, ella.id, last)
    await ella.pass_pen()
    await james.write("I read it")
    everything = [e.text for e in await james.read()]
    assert everything == [
        "I never meant for things to end this way",
        "Nor did I",
        "From my phone, the same hand",
        "After the phone was lost",
        "I read it",
    ]
    assert [e.text for e in await ella.read()] == everything
    fresh = await james.session()  # a new session of a remaining device reads every epoch
    assert [e.text for e in await fresh.read()] == everything
    await fresh.close()
    await phone.close()


async def test_a_declined_joiner_cannot_open_what_follows(live_server: Any) -> None:
    james = await Notebook.create(live_server.url, name="James")
    mallory = await Notebook.join(james.invite_link, name="Mallory")
    assert await james.decline_partner() == 1
    ella = await Notebook.join(await james.new_invite(), name="Ella")
    await james.approve_partner()
    await james.write("Only for you")
    assert [e.text for e in await ella.read()] == ["Only for you"]
    record = (await _entry_records(james))[-1]
    assert box.epoch_of(b64decode(record["ct"])) == 1
    with pytest.raises(ProtocolError):
        messages.open_entry(mallory.keyring.content, james._device.public, james.id, record)
    for notebook in (james, mallory, ella):
        await notebook.close()


async def test_a_key_swapped_by_the_server_during_linking_is_refused(
    couple: tuple[Notebook, Notebook], live_server: Any
) -> None:
    ella, _ = couple
    link = await ella.link_device()
    adding = asyncio.create_task(Notebook.add_device(link, timeout=20))
    for _ in range(100):  # wait for the claim, then play a server that swaps the new key
        with sqlite3.connect(live_server.database, timeout=10) as db:
            pending = db.execute("SELECT id FROM devices WHERE state = 'pending'").fetchone()
        if pending:
            break
        await asyncio.sleep(0.1)
    assert pending
    mallory = keys.DeviceKey.generate()
    with sqlite3.connect(live_server.database, timeout=10) as db:
        db.execute(
            "UPDATE devices SET public_key = ?, id = ? WHERE id = ?",
            (mallory.public, mallory.id, pending[0]),
        )
        db.execute(
            "UPDATE device_links SET device_id = ? WHERE device_id = ?", (mallory.id, pending[0])
        )
    with pytest.raises(TamperError):
        await ella.approve_device()
    with pytest.raises(UnspokenError):
        await adding
    assert ella.devices[ella.member_id] == [ella._device.id]
