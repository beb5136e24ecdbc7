"""What a hostile operator tries with keys and revocations, holding a revoked device's
signing key (a stolen phone its owner revoked): the partner's device must refuse every key it
hands out and never seal a word under one (docs/threat-model.md)."""

import asyncio
import secrets

import pytest

from hostile.operator import Operator, Record
from unspoken.client import Notebook, TamperError
from unspoken.protocol import box, exchange
from unspoken.protocol.encoding import b64decode, b64encode

Couple = tuple[Notebook, Notebook]


async def _stolen_and_revoked(james: Notebook) -> Notebook:
    """James links a phone, then revokes it (epoch 1): the thief keeps its signing key."""
    link = await james.link_device()
    adding = asyncio.create_task(Notebook.add_device(link))
    await james.approve_device()
    phone = await asyncio.wait_for(adding, 30)
    await james.revoke_device(phone._device.id)
    await phone.close()
    return phone


def _wrap_for(ella: Notebook, thief: Notebook, epoch: int, key: bytes) -> Record:
    """A key of the operator's choosing, wrapped for Ella's device and signed by the thief."""
    place = (ella.id, epoch, ella._device.id)
    made = exchange.wrap_epoch_key(thief._device, place, ella.exchange_key.public, key)
    return {
        "epoch": epoch,
        "device": ella._device.id,
        "by": thief._device.id,
        "wrap": b64encode(made.wrap),
        "sig": b64encode(made.sig),
    }


def _after_the_last(forged: Record, seen_by: str):  # type: ignore[no-untyped-def]
    """A play that adds `forged` right after the newest record `seen_by` is shown."""

    def play(who: str, record: Record) -> list[Record]:
        if who == seen_by and record["kind"] == "epoch.started" and record["epoch"] == 1:
            return [record, forged | {"seq": record["seq"] + 1, "at": record["at"]}]
        return [record]

    return play


async def test_a_key_from_a_revoked_device_for_a_made_up_epoch_is_never_sealed_under(
    operator: Operator, couple: Couple
) -> None:
    ella, james = couple
    thief = await _stolen_and_revoked(james)
    chosen = secrets.token_bytes(32)
    operator.play_wraps(
        lambda who, wraps: (
            [*wraps, _wrap_for(ella, thief, 2, chosen)] if who == ella.member_id else wraps
        )
    )
    await ella.read()
    assert 2 not in ella.keyring and ella.keyring.epoch == 1
    await ella.write("Sealed under a key only our devices hold")
    _, page = await ella._api.call("GET", f"/v1/notebooks/{ella.id}/records?limit=500")
    last = next(r for r in reversed(page["records"]) if r["kind"] == "entry")
    assert box.epoch_of(b64decode(last["ct"])) == 1


async def test_a_new_epoch_announced_for_a_revoked_device_is_refused(
    operator: Operator, couple: Couple
) -> None:
    ella, james = couple
    thief = await _stolen_and_revoked(james)
    chosen = secrets.token_bytes(32)
    started = {"kind": "epoch.started", "member": james.member_id, "epoch": 2}
    started |= {"device": thief._device.id, "reason": "renewed"}
    operator.play(_after_the_last(started, ella.member_id))
    operator.play_wraps(lambda who, wraps: [*wraps, _wrap_for(ella, thief, 2, chosen)])
    with pytest.raises(TamperError):
        await ella.read()
    assert 2 not in ella.keyring


async def test_a_key_wrapped_by_another_than_who_began_the_epoch_is_refused(
    operator: Operator, couple: Couple
) -> None:
    ella, james = couple
    thief = await _stolen_and_revoked(james)
    started = {"kind": "epoch.started", "member": james.member_id, "epoch": 2}
    started |= {"device": james._device.id, "reason": "renewed"}  # James's own, trusted device
    operator.play(_after_the_last(started, ella.member_id))
    operator.play_wraps(
        lambda who, wraps: [*wraps, _wrap_for(ella, thief, 2, secrets.token_bytes(32))]
    )
    with pytest.raises(TamperError, match="did not begin"):
        await ella.read()
    assert 2 not in ella.keyring


async def test_a_revocation_with_its_epoch_moved_is_refused(
    operator: Operator, couple: Couple
) -> None:
    ella, james = couple

    def move(who: str, record: Record) -> list[Record]:
        if who == ella.member_id and record["kind"] == "device.revoked":
            return [{**record, "epoch": record["epoch"] + 1}]  # its boxes of epoch 1 would pass
        return [record]

    operator.play(move)
    await _stolen_and_revoked(james)
    with pytest.raises(TamperError, match="did not sign"):
        await ella.read()
