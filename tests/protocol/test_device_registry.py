"""The devices a client trusts: anchors, certificates, revocations and their epochs."""

from typing import Any

import pytest

from unspoken.protocol import devices, exchange, keys
from unspoken.protocol.encoding import b64encode, new_id
from unspoken.protocol.errors import ProtocolError

NB, ELLA, JAMES = new_id(), new_id(), new_id()


def _added(by: keys.DeviceKey, new: keys.DeviceKey, member: str = ELLA) -> dict[str, Any]:
    kx = exchange.ExchangeKey.generate()
    return {
        "kind": "device.added",
        "member": member,
        "device": new.id,
        "key": b64encode(new.public),
        "by": by.id,
        "cert": b64encode(devices.certify(by, NB, member, new.public)),
        "exchange_key": {
            "key": b64encode(kx.public),
            "sig": b64encode(exchange.sign_exchange_key(new, NB, kx.public)),
        },
    }


def _revoked(by: keys.DeviceKey, gone: str, epoch: int = 1) -> dict[str, Any]:
    sig = devices.sign_revocation(by, NB, ELLA, gone)
    return {
        "kind": "device.revoked",
        "member": ELLA,
        "device": gone,
        "by": by.id,
        "sig": b64encode(sig),
        "epoch": epoch,
    }


@pytest.fixture
def pair() -> tuple[devices.DeviceRegistry, keys.DeviceKey, keys.DeviceKey]:
    ella, james = keys.DeviceKey.generate(), keys.DeviceKey.generate()
    registry = devices.DeviceRegistry(NB)
    registry.anchor(ELLA, ella.public)
    registry.anchor(JAMES, james.public)
    return registry, ella, james


def test_a_certified_device_is_trusted_and_a_revoked_one_only_for_old_epochs(pair: Any) -> None:
    registry, ella, _ = pair
    phone = keys.DeviceKey.generate()
    registry.apply(_added(ella, phone))
    assert registry.key_for(ELLA, phone.id, 0) == phone.public
    assert {d.id for d in registry.active(ELLA)} == {ella.id, phone.id}
    registry.apply(_revoked(ella, phone.id, epoch=3))
    assert registry.key_for(ELLA, phone.id, 2) == phone.public  # what it wrote before
    with pytest.raises(ProtocolError, match="revoked"):
        registry.key_for(ELLA, phone.id, 3)
    assert [d.id for d in registry.active(ELLA)] == [ella.id]


def test_the_partner_cannot_vouch_for_a_device_of_mine(pair: Any) -> None:
    registry, _, james = pair
    with pytest.raises(ProtocolError, match="do not trust"):
        registry.apply(_added(james, keys.DeviceKey.generate(), member=ELLA))


def test_a_forged_certificate_is_refused(pair: Any) -> None:
    registry, ella, _ = pair
    record = _added(ella, keys.DeviceKey.generate())
    record["key"] = b64encode(keys.DeviceKey.generate().public)  # the server's own key
    with pytest.raises(ProtocolError):
        registry.apply(record)


def test_a_revoked_device_vouches_for_nothing(pair: Any) -> None:
    registry, ella, _ = pair
    phone = keys.DeviceKey.generate()
    registry.apply(_added(ella, phone))
    registry.apply(_revoked(ella, phone.id))
    with pytest.raises(ProtocolError, match="do not trust"):
        registry.apply(_added(phone, keys.DeviceKey.generate()))


def test_a_revocation_needs_the_members_signature(pair: Any) -> None:
    registry, ella, james = pair
    phone = keys.DeviceKey.generate()
    registry.apply(_added(ella, phone))
    record = _revoked(ella, phone.id)
    record["sig"] = b64encode(james.sign(b"not this"))
    with pytest.raises(ProtocolError, match="did not sign"):
        registry.apply(record)
