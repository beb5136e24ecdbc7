"""Regenerate protocol-v1.json from fixed inputs: `python tests/vectors/generate.py`.

The JSON file is the contract both implementations are tested against; regenerate it only when
the protocol itself changes, and review the diff.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from unspoken.protocol import box, chain, items, keys, messages, safety
from unspoken.protocol.encoding import b64encode, lp

OUT = Path(__file__).with_name("protocol-v1.json")


def _fixed(label: str, size: int) -> bytes:
    """Deterministic 'random' bytes, so the vectors never change by accident."""
    out = b""
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{label}:{counter}".encode()).digest()
        counter += 1
    return out[:size]


def _id(label: str) -> str:
    return b64encode(_fixed(label, 16))


def _encoding() -> dict[str, Any]:
    samples = [b"", b"\x00", b"\xff\xfe", b"any carnal pleas", _fixed("b64", 33)]
    return {
        "b64": [{"hex": s.hex(), "text": b64encode(s)} for s in samples],
        "b64_invalid": ["QQ==", "Q", "QR", "a+b/", "a b", "QUJD\n", "ab.c"],
        "lp": [
            {"parts_hex": [], "out_hex": ""},
            {"parts_hex": [b"".hex(), b"ab".hex()], "out_hex": lp(b"", b"ab").hex()},
        ],
    }


def _derivations() -> dict[str, Any]:
    ikm = _fixed("ikm", 32)
    notebook_key = _fixed("notebook-key", 32)
    notebook_id = _id("notebook")
    return {
        "derive": [
            {"ikm_hex": ikm.hex(), "label": label, "context": context,
             "out_hex": keys.derive(ikm, label, context).hex()}
            for label, context in [("content", "n"), ("invite-claim", ""), ("é", "ünïcode")]
        ],
        "content_key": [{
            "notebook_key_hex": notebook_key.hex(), "notebook_id": notebook_id,
            "out_hex": keys.content_key(notebook_key, notebook_id).hex(),
        }],
    }


def _devices() -> list[dict[str, str]]:
    out = []
    for name in ("james", "ella"):
        device = keys.DeviceKey.from_seed(_fixed(f"seed-{name}", 32))
        out.append({"name": name, "seed_hex": device.seed().hex(),
                    "public_hex": device.public.hex(), "device_id": device.id})
    return out


def _padding() -> list[dict[str, Any]]:
    return [{"plaintext_len": n, "padded_len": len(box.pad(bytes(n)))}
            for n in (0, 1, 254, 255, 256, 1000, 65279)]


def _invite() -> dict[str, Any]:
    secret, invite_id = _fixed("invite-secret", 32), _id("invite")
    invite = keys.InviteKeys.from_secret(secret, invite_id)
    creator = keys.DeviceKey.from_seed(_fixed("seed-james", 32))
    joiner = keys.DeviceKey.from_seed(_fixed("seed-ella", 32))
    bundle = messages.Bundle(_id("notebook"), _fixed("notebook-key", 32), creator.public)
    nonce = _fixed("nonce-invite", 12)
    return {
        "secret": b64encode(secret), "invite_id": invite_id,
        "claim_hex": invite.claim.hex(), "wrap_hex": invite.wrap.hex(),
        "mac_hex": invite.mac.hex(), "claim_hash_hex": invite.claim_hash.hex(),
        "joiner_device_key_hex": joiner.public.hex(),
        "key_mac_hex": invite.joiner_mac(invite_id, joiner.public).hex(),
        "bundle": {"notebook_id": bundle.notebook_id,
                   "notebook_key": b64encode(bundle.notebook_key),
                   "creator_device_key": b64encode(bundle.creator_device_key)},
        "nonce_hex": nonce.hex(),
        "aad_hex": chain.invite_aad(invite_id).hex(),
        "box_hex": bundle.seal(invite.wrap, invite_id, nonce).hex(),
    }


def _entries() -> list[dict[str, Any]]:
    notebook_id = _id("notebook")
    ck = keys.content_key(_fixed("notebook-key", 32), notebook_id)
    writers = [keys.DeviceKey.from_seed(_fixed(f"seed-{n}", 32)) for n in ("james", "ella")]
    texts = ["I never meant for things to end this way", "Nor did I", "ünïcode ✍️ and\nlines"]
    prev, out = chain.GENESIS, []
    for i, text in enumerate(texts):
        device, entry_id, nonce = writers[i % 2], _id(f"entry-{i}"), _fixed(f"nonce-{i}", 12)
        signed = messages.seal_entry(ck, device, (notebook_id, 1, entry_id, prev), text, nonce)
        out.append({
            "notebook_id": notebook_id, "chapter": 1, "entry_id": entry_id,
            "device_seed_hex": device.seed().hex(), "device_id": device.id,
            "ck_hex": ck.hex(), "prev_hex": prev.hex(), "text": text,
            "plaintext_hex": json.dumps({"type": "text", "text": text}, ensure_ascii=False,
                                        separators=(",", ":")).encode().hex(),
            "nonce_hex": nonce.hex(), "aad_hex": signed.aad.hex(), "box_hex": signed.box.hex(),
            "signed_hex": chain.signed_message(signed.aad, signed.box).hex(),
            "sig_hex": signed.sig.hex(), "hash_hex": signed.hash.hex(),
        })
        prev = signed.hash
    return out


def _profile() -> dict[str, Any]:
    notebook_id = _id("notebook")
    ck = keys.content_key(_fixed("notebook-key", 32), notebook_id)
    device = keys.DeviceKey.from_seed(_fixed("seed-ella", 32))
    profile = {"name": "Ella", "hand": {"font": "dancing", "ink": "#7a2e3b"}}
    nonce = _fixed("nonce-profile", 12)
    signed = messages.seal_profile(ck, device, notebook_id, profile, nonce)
    return {"notebook_id": notebook_id, "device_seed_hex": device.seed().hex(),
            "device_id": device.id, "ck_hex": ck.hex(), "profile": profile,
            "nonce_hex": nonce.hex(), "aad_hex": signed.aad.hex(),
            "box_hex": signed.box.hex(), "sig_hex": signed.sig.hex()}


def _items() -> list[dict[str, Any]]:
    """One item box per kind a rule uses (protocol.md, "Protocol v1 — the rules")."""
    notebook_id = _id("notebook")
    ck = keys.content_key(_fixed("notebook-key", 32), notebook_id)
    promise_id = _id("item-promise")
    cases: list[tuple[str, str, str, str, dict[str, Any]]] = [
        ("ella", "pause-note", _id("item-pause"), "", {"text": "I need time"}),
        ("james", "here-note", _id("item-here"), "", {"text": "I'll be here"}),
        ("james", "promise", promise_id, "",
         {"text": "I'll never keep anything from you again"}),
        ("ella", "promise-note", _id("item-mark"), promise_id, {"text": "You did."}),
        ("ella", "agreement", _id("item-agreement"), "", {"text": "Let's try."}),
        ("james", "chapter", _id("item-chapter"), "2",
         {"title": "After the bar", "template": "after-a-fight", "mirror": True}),
    ]
    out = []
    for name, kind, item_id, ref, body in cases:
        device = keys.DeviceKey.from_seed(_fixed(f"seed-{name}", 32))
        place = items.Place(notebook_id, kind, item_id, ref)
        nonce = _fixed(f"nonce-item-{kind}", 12)
        signed = items.seal_item(ck, device, place, body, nonce)
        out.append({
            "notebook_id": notebook_id, "kind": kind, "item_id": item_id, "ref": ref,
            "device_seed_hex": device.seed().hex(), "device_id": device.id, "ck_hex": ck.hex(),
            "body": body, "nonce_hex": nonce.hex(), "aad_hex": signed.aad.hex(),
            "box_hex": signed.box.hex(),
            "signed_hex": chain.signed_message(signed.aad, signed.box).hex(),
            "sig_hex": signed.sig.hex(),
        })
    return out


def _drafts() -> list[dict[str, Any]]:
    notebook_id = _id("notebook")
    ck = keys.content_key(_fixed("notebook-key", 32), notebook_id)
    device = keys.DeviceKey.from_seed(_fixed("seed-james", 32))
    draft_id, out = _id("draft"), []
    for n, text in enumerate(["I never", "I never meant for things"]):
        nonce = _fixed(f"nonce-draft-{n}", 12)
        signed = items.seal_draft(ck, device, (notebook_id, 1, draft_id, n), text, nonce)
        out.append({
            "notebook_id": notebook_id, "chapter": 1, "draft_id": draft_id, "n": n,
            "device_seed_hex": device.seed().hex(), "device_id": device.id, "ck_hex": ck.hex(),
            "text": text, "nonce_hex": nonce.hex(), "aad_hex": signed.aad.hex(),
            "box_hex": signed.box.hex(), "sig_hex": signed.sig.hex(),
        })
    return out


def _safety() -> list[dict[str, str]]:
    a = keys.DeviceKey.from_seed(_fixed("seed-james", 32)).public
    b = keys.DeviceKey.from_seed(_fixed("seed-ella", 32)).public
    c = keys.DeviceKey.from_seed(_fixed("seed-mallory", 32)).public
    notebook_id = _id("notebook")
    return [{"notebook_id": notebook_id, "key_a_hex": x.hex(), "key_b_hex": y.hex(),
             "phrase": safety.safety_phrase(notebook_id, x, y)}
            for x, y in [(a, b), (b, a), (a, c)]]


def build() -> dict[str, Any]:
    return {
        "protocol": 1,
        "words": list(safety.WORDS),
        **_encoding(),
        **_derivations(),
        "devices": _devices(),
        "padding": _padding(),
        "invite": _invite(),
        "entries": _entries(),
        "profile": _profile(),
        "safety": _safety(),
        "items": _items(),
        "drafts": _drafts(),
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}")
