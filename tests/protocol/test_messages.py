import pytest

from unspoken.protocol import chain, keys, messages
from unspoken.protocol.encoding import b64encode, new_id
from unspoken.protocol.errors import ProtocolError

NOTEBOOK = new_id()
CK = keys.content_key(bytes(32), NOTEBOOK)


def _record(signed: messages.Signed, entry_id: str, device: keys.DeviceKey, prev: bytes) -> dict:
    return {
        "id": entry_id,
        "chapter": 1,
        "device": device.id,
        "prev": b64encode(prev),
        **signed.wire(),
    }


def test_an_entry_opens_for_its_reader() -> None:
    ella, entry_id = keys.DeviceKey.generate(), new_id()
    signed = messages.seal_entry(CK, ella, (NOTEBOOK, 1, entry_id, chain.GENESIS), "Nor did I")
    text, digest = messages.open_entry(
        CK, ella.public, NOTEBOOK, _record(signed, entry_id, ella, chain.GENESIS)
    )
    assert (text, digest) == ("Nor did I", signed.hash)


@pytest.mark.parametrize("field", ["id", "chapter", "prev", "device"])
def test_an_entry_moved_elsewhere_is_refused(field: str) -> None:
    ella, entry_id = keys.DeviceKey.generate(), new_id()
    signed = messages.seal_entry(CK, ella, (NOTEBOOK, 1, entry_id, chain.GENESIS), "Nor did I")
    record = _record(signed, entry_id, ella, chain.GENESIS)
    record[field] = {
        "id": new_id(),
        "chapter": 2,
        "prev": b64encode(bytes([1]) * 32),
        "device": keys.DeviceKey.generate().id,
    }[field]
    with pytest.raises(ProtocolError):
        messages.open_entry(CK, ella.public, NOTEBOOK, record)


def test_an_entry_in_another_notebook_is_refused() -> None:
    ella, entry_id = keys.DeviceKey.generate(), new_id()
    signed = messages.seal_entry(CK, ella, (NOTEBOOK, 1, entry_id, chain.GENESIS), "x")
    with pytest.raises(ProtocolError):
        record = _record(signed, entry_id, ella, chain.GENESIS)
        messages.open_entry(CK, ella.public, new_id(), record)


def test_another_writers_key_is_refused() -> None:
    ella, mallory, entry_id = keys.DeviceKey.generate(), keys.DeviceKey.generate(), new_id()
    signed = messages.seal_entry(CK, ella, (NOTEBOOK, 1, entry_id, chain.GENESIS), "x")
    with pytest.raises(ProtocolError):
        messages.open_entry(
            CK, mallory.public, NOTEBOOK, _record(signed, entry_id, ella, chain.GENESIS)
        )


def test_the_joiner_mac_binds_the_key() -> None:
    invite = keys.InviteKeys.from_secret(bytes(32), "invite")
    ella, mallory = keys.DeviceKey.generate(), keys.DeviceKey.generate()
    mac = invite.joiner_mac("invite", ella.public)
    assert invite.verify_joiner_mac("invite", ella.public, mac)
    assert not invite.verify_joiner_mac("invite", mallory.public, mac)


def test_a_bundle_opens_only_with_the_invites_key() -> None:
    invite = keys.InviteKeys.from_secret(bytes(32), "invite")
    sealed = messages.Bundle(NOTEBOOK, bytes(32), bytes(32)).seal(invite.wrap, "invite")
    assert messages.Bundle.open(invite.wrap, "invite", sealed).notebook_id == NOTEBOOK
    with pytest.raises(ProtocolError):
        messages.Bundle.open(invite.mac, "invite", sealed)
    with pytest.raises(ProtocolError):
        messages.Bundle.open(invite.wrap, "another", sealed)
