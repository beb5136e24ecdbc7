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


def _revoked_v2(by: keys.DeviceKey, gone: str, epoch: int) -> dict[str, Any]:
    return _revoked(by, gone, epoch) | {
        "sig": b64encode(devices.sign_revocation_v2(by, NB, ELLA, gone, epoch))
    }


def _started(device: keys.DeviceKey, epoch: int, member: str = ELLA) -> dict[str, Any]:
    return {"kind": "epoch.started", "member": member, "device": device.id, "epoch": epoch}


def test_a_v2_revocation_signs_its_epoch_and_a_v1_one_is_marked(pair: Any) -> None:
    registry, ella, _ = pair
    phone, tablet = keys.DeviceKey.generate(), keys.DeviceKey.generate()
    registry.apply(_added(ella, phone))
    registry.apply(_added(ella, tablet))
    assert registry.apply(_revoked_v2(ella, phone.id, 1)).revoked_epoch_signed is True
    assert registry.apply(_revoked(ella, tablet.id, 2)).revoked_epoch_signed is False


def test_a_v2_revocation_with_its_epoch_moved_is_refused(pair: Any) -> None:
    registry, ella, _ = pair
    phone = keys.DeviceKey.generate()
    registry.apply(_added(ella, phone))
    with pytest.raises(ProtocolError, match="did not sign"):
        registry.apply(_revoked_v2(ella, phone.id, 1) | {"epoch": 3})
    assert registry.get(phone.id).revoked_epoch is None  # type: ignore[union-attr]


def test_an_epoch_key_comes_only_from_the_device_that_began_it_trusted(pair: Any) -> None:
    registry, ella, james = pair
    phone = keys.DeviceKey.generate()
    registry.apply(_added(ella, phone))
    registry.apply(_started(phone, 1))
    assert registry.wrapper(1, phone.id) == phone.public
    with pytest.raises(ProtocolError, match="did not begin"):
        registry.wrapper(1, ella.id)
    registry.apply(_revoked_v2(ella, phone.id, 2))
    registry.apply(_started(ella, 2))
    assert registry.wrapper(1, phone.id) == phone.public  # it was trusted when epoch 1 began
    with pytest.raises(ProtocolError, match="no trusted device began"):
        registry.wrapper(3, phone.id)  # a made-up epoch
    with pytest.raises(ProtocolError, match="do not trust"):
        registry.apply(_started(phone, 3))  # a revoked device begins nothing
    with pytest.raises(ProtocolError, match="two devices"):
        registry.apply(_started(james, 2, member=JAMES))


def test_a_link_package_carries_where_signing_began_and_refuses_a_bad_place() -> None:
    link = devices.LinkKeys.from_secret(b"s" * 32, "link")
    anchors = {ELLA: b"a" * 32}

    def round_trip(signed_from: object) -> devices.Package:
        package = devices.Package(NB, ELLA, anchors, {0: b"k" * 32}, signed_from)  # type: ignore[arg-type]
        return devices.Package.open(link.wrap, "link", package.seal(link.wrap, "link"))

    assert round_trip(7).signed_from == 7
    assert round_trip(None).signed_from is None
    for bad in (-1, True, "7"):
        with pytest.raises(ProtocolError, match="where signing began"):
            round_trip(bad)
