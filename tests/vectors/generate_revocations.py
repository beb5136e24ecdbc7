"""Regenerate protocol-v2-revocations.json from fixed inputs:
`python tests/vectors/generate_revocations.py`.

A revocation signed over its epoch (docs/protocol.md, "Revoking a device, and new epochs"):
the v2 message and signature, a v1 one that still verifies without its epoch, and a v2 one with
its epoch moved that verifies as neither. The Python and browser implementations are both
tested against this file.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from unspoken.protocol import devices
from unspoken.protocol.encoding import b64encode
from unspoken.protocol.keys import DeviceKey

OUT = Path(__file__).with_name("protocol-v2-revocations.json")


def _fixed(label: str, size: int) -> bytes:
    return hashlib.sha256(f"revocations:{label}".encode()).digest()[:size]


def _id(label: str) -> str:
    return b64encode(_fixed(label, 16))


SEED = _fixed("device-seed", 32)
DEVICE = DeviceKey.from_seed(SEED)
NOTEBOOK, ELLA = _id("notebook"), _id("ella")
PHONE, TABLET = _id("phone"), _id("tablet")


def _case(revoked: str, epoch: int) -> dict[str, Any]:
    message = devices.revoke_message_v2(NOTEBOOK, ELLA, revoked, epoch)
    sig = devices.sign_revocation_v2(DEVICE, NOTEBOOK, ELLA, revoked, epoch)
    return {
        "revoked_device_id": revoked,
        "epoch": epoch,
        "message_hex": message.hex(),
        "sig_hex": sig.hex(),
    }


def vectors() -> dict[str, Any]:
    v1 = devices.sign_revocation(DEVICE, NOTEBOOK, ELLA, PHONE)
    moved = devices.sign_revocation_v2(DEVICE, NOTEBOOK, ELLA, PHONE, 1)
    return {
        "device_seed_hex": SEED.hex(),
        "device_public_hex": DEVICE.public.hex(),
        "notebook_id": NOTEBOOK,
        "member_id": ELLA,
        "signed": [_case(PHONE, 1), _case(TABLET, 12), _case(PHONE, 4096)],
        # What a verifier answers: true (v2, the epoch signed), false (v1), null (neither).
        "verify": [
            {
                "why": "v2",
                "revoked_device_id": PHONE,
                "epoch": 1,
                "sig_hex": moved.hex(),
                "signs_epoch": True,
            },
            {
                "why": "v1, no epoch",
                "revoked_device_id": PHONE,
                "epoch": 3,
                "sig_hex": v1.hex(),
                "signs_epoch": False,
            },
            {
                "why": "v2, epoch moved",
                "revoked_device_id": PHONE,
                "epoch": 2,
                "sig_hex": moved.hex(),
                "signs_epoch": None,
            },
            {
                "why": "v2, another device",
                "revoked_device_id": TABLET,
                "epoch": 1,
                "sig_hex": moved.hex(),
                "signs_epoch": None,
            },
        ],
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(vectors(), indent=2) + "\n", encoding="utf-8")
