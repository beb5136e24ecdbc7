"""Revocations that sign their epoch (v2) against the shared vectors; v1 ones still verify."""

import json
from pathlib import Path
from typing import Any

import pytest

from unspoken.protocol import devices
from unspoken.protocol.keys import DeviceKey

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "protocol-v2-revocations.json").read_text(
        "utf-8"
    )
)
DEVICE = DeviceKey.from_seed(bytes.fromhex(VECTORS["device_seed_hex"]))
NB, MEMBER = VECTORS["notebook_id"], VECTORS["member_id"]


def test_the_device_is_the_vectors() -> None:
    assert DEVICE.public.hex() == VECTORS["device_public_hex"]


@pytest.mark.parametrize("case", VECTORS["signed"], ids=lambda c: str(c["epoch"]))
def test_a_revocation_signs_its_epoch_as_in_the_vectors(case: dict[str, Any]) -> None:
    gone, epoch = case["revoked_device_id"], case["epoch"]
    assert devices.revoke_message_v2(NB, MEMBER, gone, epoch).hex() == case["message_hex"]
    sig = devices.sign_revocation_v2(DEVICE, NB, MEMBER, gone, epoch)
    assert sig.hex() == case["sig_hex"]
    assert devices.revocation_signs_epoch(DEVICE.public, NB, MEMBER, gone, epoch, sig) is True


@pytest.mark.parametrize("case", VECTORS["verify"], ids=lambda c: c["why"])
def test_what_a_revocation_signature_proves(case: dict[str, Any]) -> None:
    sig = bytes.fromhex(case["sig_hex"])
    got = devices.revocation_signs_epoch(
        DEVICE.public, NB, MEMBER, case["revoked_device_id"], case["epoch"], sig
    )
    assert got is case["signs_epoch"]
