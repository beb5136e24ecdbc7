"""Regenerate protocol-v1.json from fixed inputs: `python tests/vectors/generate.py`.

The JSON file is the contract both implementations are tested against; regenerate it only when
the protocol itself changes, and review the diff.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from unspoken.protocol import box, chain, devices, exchange, items, keys, messages, safety
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
            {
                "ikm_hex": ikm.hex(),
                "label": label,
                "context": context,
                "out_hex": keys.derive(ikm, label, context).hex(),
            }
            for label, context in [("content", "n"), ("invite-claim", ""), ("é", "ünïcode")]
        ],
        "content_key": [
            {
                "notebook_key_hex": notebook_key.hex(),
                "notebook_id": notebook_id,
                "out_hex": keys.content_key(notebook_key, notebook_id).hex(),
            }
        ],
    }


def _devices() -> list[dict[str, str]]:
    out = []
    for name in ("james", "ella"):
        device = keys.DeviceKey.from_seed(_fixed(f"seed-{name}", 32))
        out.append(
            {
                "name": name,
                "seed_hex": device.seed().hex(),
                "public_hex": device.public.hex(),
                "device_id": device.id,
            }
        )
    return out


def _padding() -> list[dict[str, Any]]:
    return [
        {"plaintext_len": n, "padded_len": len(box.pad(bytes(n)))}
        for n in (0, 1, 254, 255, 256, 1000, 65279)
    ]


def _invite() -> dict[str, Any]:
    secret, invite_id = _fixed("invite-secret", 32), _id("invite")
    invite = keys.InviteKeys.from_secret(secret, invite_id)
    creator = keys.DeviceKey.from_seed(_fixed("seed-james", 32))
    joiner = keys.DeviceKey.from_seed(_fixed("seed-ella", 32))
    bundle = messages.Bundle(_id("notebook"), _fixed("notebook-key", 32), creator.public)
    nonce = _fixed("nonce-invite", 12)
    return {
        "secret": b64encode(secret),
        "invite_id": invite_id,
        "claim_hex": invite.claim.hex(),
        "wrap_hex": invite.wrap.hex(),
        "mac_hex": invite.mac.hex(),
        "claim_hash_hex": invite.claim_hash.hex(),
        "joiner_device_key_hex": joiner.public.hex(),
        "key_mac_hex": invite.joiner_mac(invite_id, joiner.public).hex(),
        "bundle": {
            "notebook_id": bundle.notebook_id,
            "notebook_key": b64encode(bundle.notebook_key),
            "creator_device_key": b64encode(bundle.creator_device_key),
        },
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
        out.append(
            {
                "notebook_id": notebook_id,
                "chapter": 1,
                "entry_id": entry_id,
                "device_seed_hex": device.seed().hex(),
                "device_id": device.id,
                "ck_hex": ck.hex(),
                "prev_hex": prev.hex(),
                "text": text,
                "plaintext_hex": json.dumps(
                    {"type": "text", "text": text}, ensure_ascii=False, separators=(",", ":")
                )
                .encode()
                .hex(),
                "nonce_hex": nonce.hex(),
                "aad_hex": signed.aad.hex(),
                "box_hex": signed.box.hex(),
                "signed_hex": chain.signed_message(signed.aad, signed.box).hex(),
                "sig_hex": signed.sig.hex(),
                "hash_hex": signed.hash.hex(),
            }
        )
        prev = signed.hash
    return out


def _profile() -> dict[str, Any]:
    notebook_id = _id("notebook")
    ck = keys.content_key(_fixed("notebook-key", 32), notebook_id)
    device = keys.DeviceKey.from_seed(_fixed("seed-ella", 32))
    profile = {"name": "Ella", "hand": {"font": "dancing", "ink": "#7a2e3b"}}
    nonce = _fixed("nonce-profile", 12)
    signed = messages.seal_profile(ck, device, notebook_id, profile, nonce)
    return {
        "notebook_id": notebook_id,
        "device_seed_hex": device.seed().hex(),
        "device_id": device.id,
        "ck_hex": ck.hex(),
        "profile": profile,
        "nonce_hex": nonce.hex(),
        "aad_hex": signed.aad.hex(),
        "box_hex": signed.box.hex(),
        "sig_hex": signed.sig.hex(),
    }


def _items() -> list[dict[str, Any]]:
    """One item box per kind a rule uses (protocol.md, "Protocol v1 — the rules")."""
    notebook_id = _id("notebook")
    ck = keys.content_key(_fixed("notebook-key", 32), notebook_id)
    promise_id = _id("item-promise")
    cases: list[tuple[str, str, str, str, dict[str, Any]]] = [
        ("ella", "pause-note", _id("item-pause"), "", {"text": "I need time"}),
        ("james", "here-note", _id("item-here"), "", {"text": "I'll be here"}),
        ("james", "promise", promise_id, "", {"text": "I'll never keep anything from you again"}),
        ("ella", "promise-note", _id("item-mark"), promise_id, {"text": "You did."}),
        ("ella", "agreement", _id("item-agreement"), "", {"text": "Let's try."}),
        (
            "james",
            "chapter",
            _id("item-chapter"),
            "2",
            {"title": "After the bar", "template": "after-a-fight", "mirror": True},
        ),
    ]
    out = []
    for name, kind, item_id, ref, body in cases:
        device = keys.DeviceKey.from_seed(_fixed(f"seed-{name}", 32))
        place = items.Place(notebook_id, kind, item_id, ref)
        nonce = _fixed(f"nonce-item-{kind}", 12)
        signed = items.seal_item(ck, device, place, body, nonce)
        out.append(
            {
                "notebook_id": notebook_id,
                "kind": kind,
                "item_id": item_id,
                "ref": ref,
                "device_seed_hex": device.seed().hex(),
                "device_id": device.id,
                "ck_hex": ck.hex(),
                "body": body,
                "nonce_hex": nonce.hex(),
                "aad_hex": signed.aad.hex(),
                "box_hex": signed.box.hex(),
                "signed_hex": chain.signed_message(signed.aad, signed.box).hex(),
                "sig_hex": signed.sig.hex(),
            }
        )
    return out


def _drafts() -> list[dict[str, Any]]:
    notebook_id = _id("notebook")
    ck = keys.content_key(_fixed("notebook-key", 32), notebook_id)
    device = keys.DeviceKey.from_seed(_fixed("seed-james", 32))
    draft_id, out = _id("draft"), []
    for n, text in enumerate(["I never", "I never meant for things"]):
        nonce = _fixed(f"nonce-draft-{n}", 12)
        signed = items.seal_draft(ck, device, (notebook_id, 1, draft_id, n), text, nonce)
        out.append(
            {
                "notebook_id": notebook_id,
                "chapter": 1,
                "draft_id": draft_id,
                "n": n,
                "device_seed_hex": device.seed().hex(),
                "device_id": device.id,
                "ck_hex": ck.hex(),
                "text": text,
                "nonce_hex": nonce.hex(),
                "aad_hex": signed.aad.hex(),
                "box_hex": signed.box.hex(),
                "sig_hex": signed.sig.hex(),
            }
        )
    return out


def _safety() -> list[dict[str, Any]]:
    a = keys.DeviceKey.from_seed(_fixed("seed-james", 32)).public
    b = keys.DeviceKey.from_seed(_fixed("seed-ella", 32)).public
    c = keys.DeviceKey.from_seed(_fixed("seed-mallory", 32)).public
    d = keys.DeviceKey.from_seed(_fixed("seed-ella-phone", 32)).public
    notebook_id = _id("notebook")
    out: list[dict[str, Any]] = [
        {
            "notebook_id": notebook_id,
            "key_a_hex": x.hex(),
            "key_b_hex": y.hex(),
            "phrase": safety.safety_phrase(notebook_id, x, y),
        }
        for x, y in [(a, b), (b, a), (a, c)]
    ]
    # Its digest's first eight bytes pick "voyage" twice: the second is skipped, the ninth byte
    # picks the last word, and the phrase holds eight different words.
    repeat = _id("notebook-repeat-6")
    out.append(
        {
            "notebook_id": repeat,
            "key_a_hex": a.hex(),
            "key_b_hex": b.hex(),
            "phrase": safety.safety_phrase(repeat, a, b),
        }
    )
    for group in [(a, b, d), (d, b, a), (a, b, d, c)]:  # several devices per partner
        out.append(
            {
                "notebook_id": notebook_id,
                "keys_hex": [k.hex() for k in group],
                "phrase": safety.safety_phrase(notebook_id, *group),
            }
        )
    return out


def _epoch_ring() -> dict[int, bytes]:
    notebook_id = _id("notebook")
    return {
        n: keys.content_key(
            _fixed(f"epoch-key-{n}", 32) if n else _fixed("notebook-key", 32), notebook_id
        )
        for n in (0, 1, 2)
    }


def _epochs() -> dict[str, Any]:
    """Boxes sealed in later key epochs: version 2, the epoch in the header and the aad."""
    notebook_id, ring = _id("notebook"), _epoch_ring()
    device = keys.DeviceKey.from_seed(_fixed("seed-ella", 32))
    prev, entries = _fixed("prev-epoch", 32), []
    for epoch in (1, 2):
        upto = {n: k for n, k in ring.items() if n <= epoch}
        entry_id, nonce = _id(f"entry-epoch-{epoch}"), _fixed(f"nonce-epoch-{epoch}", 12)
        text = f"Written in epoch {epoch}"
        signed = messages.seal_entry(upto, device, (notebook_id, 3, entry_id, prev), text, nonce)
        entries.append(
            {
                "notebook_id": notebook_id,
                "chapter": 3,
                "entry_id": entry_id,
                "epoch": epoch,
                "device_seed_hex": device.seed().hex(),
                "device_id": device.id,
                "ck_hex": ring[epoch].hex(),
                "prev_hex": prev.hex(),
                "text": text,
                "nonce_hex": nonce.hex(),
                "aad_hex": signed.aad.hex(),
                "gcm_aad_hex": (signed.aad + box.lp(str(epoch))).hex(),
                "box_hex": signed.box.hex(),
                "sig_hex": signed.sig.hex(),
                "hash_hex": signed.hash.hex(),
            }
        )
        prev = signed.hash
    place = items.Place(notebook_id, "promise", _id("item-epoch"), "")
    nonce = _fixed("nonce-item-epoch", 12)
    item = items.seal_item(ring, device, place, {"text": "Even now."}, nonce)
    return {
        "entries": entries,
        "item": {
            "notebook_id": notebook_id,
            "kind": "promise",
            "item_id": place.item_id,
            "ref": "",
            "epoch": 2,
            "device_seed_hex": device.seed().hex(),
            "device_id": device.id,
            "ck_hex": ring[2].hex(),
            "body": {"text": "Even now."},
            "nonce_hex": nonce.hex(),
            "aad_hex": item.aad.hex(),
            "box_hex": item.box.hex(),
            "sig_hex": item.sig.hex(),
        },
    }


def _exchange_keys() -> list[dict[str, str]]:
    out, notebook_id = [], _id("notebook")
    for name in ("james", "ella", "ella-phone"):
        device = keys.DeviceKey.from_seed(_fixed(f"seed-{name}", 32))
        kx = exchange.ExchangeKey.from_private_bytes(_fixed(f"x25519-{name}", 32))
        out.append(
            {
                "name": name,
                "notebook_id": notebook_id,
                "device_seed_hex": device.seed().hex(),
                "device_public_hex": device.public.hex(),
                "private_hex": kx.private_bytes().hex(),
                "public_hex": kx.public.hex(),
                "sig_hex": exchange.sign_exchange_key(device, notebook_id, kx.public).hex(),
            }
        )
    return out


def _wraps() -> list[dict[str, Any]]:
    """James's device wraps epoch 1's key for Ella's device, and epoch 2's for her phone."""
    notebook_id, out = _id("notebook"), []
    james = keys.DeviceKey.from_seed(_fixed("seed-james", 32))
    for epoch, name in ((1, "ella"), (2, "ella-phone")):
        recipient = keys.DeviceKey.from_seed(_fixed(f"seed-{name}", 32))
        kx = exchange.ExchangeKey.from_private_bytes(_fixed(f"x25519-{name}", 32))
        eph = exchange.ExchangeKey.from_private_bytes(_fixed(f"ephemeral-{epoch}", 32))
        epoch_key, nonce = _fixed(f"epoch-key-{epoch}", 32), _fixed(f"nonce-wrap-{epoch}", 12)
        place = (notebook_id, epoch, recipient.id)
        wrap = exchange.wrap_epoch_key(james, place, kx.public, epoch_key, eph, nonce)
        out.append(
            {
                "notebook_id": notebook_id,
                "epoch": epoch,
                "device_id": recipient.id,
                "by_seed_hex": james.seed().hex(),
                "by_public_hex": james.public.hex(),
                "recipient_private_hex": kx.private_bytes().hex(),
                "recipient_public_hex": kx.public.hex(),
                "ephemeral_private_hex": eph.private_bytes().hex(),
                "epoch_key_hex": epoch_key.hex(),
                "nonce_hex": nonce.hex(),
                "aad_hex": exchange.epoch_key_aad(notebook_id, epoch, recipient.id).hex(),
                "wrap_hex": wrap.wrap.hex(),
                "sig_hex": wrap.sig.hex(),
            }
        )
    return out


def _device_link() -> dict[str, Any]:
    notebook_id, link_id = _id("notebook"), _id("device-link")
    ella = keys.DeviceKey.from_seed(_fixed("seed-ella", 32))
    phone = keys.DeviceKey.from_seed(_fixed("seed-ella-phone", 32))
    james = keys.DeviceKey.from_seed(_fixed("seed-james", 32))
    phone_kx = exchange.ExchangeKey.from_private_bytes(_fixed("x25519-ella-phone", 32))
    secret, member, partner = _fixed("link-secret", 32), _id("member-ella"), _id("member-james")
    link = devices.LinkKeys.from_secret(secret, link_id)
    package = devices.Package(
        notebook_id,
        member,
        {member: ella.public, partner: james.public},
        {0: _fixed("notebook-key", 32), 1: _fixed("epoch-key-1", 32)},
    )
    nonce = _fixed("nonce-link", 12)
    return {
        "notebook_id": notebook_id,
        "link_id": link_id,
        "secret": b64encode(secret),
        "member_id": member,
        "partner_id": partner,
        "claim_hex": link.claim.hex(),
        "wrap_hex": link.wrap.hex(),
        "mac_hex": link.mac.hex(),
        "claim_hash_hex": link.claim_hash.hex(),
        "device_key_hex": phone.public.hex(),
        "exchange_key_hex": phone_kx.public.hex(),
        "device_mac_hex": link.device_mac(link_id, phone.public, phone_kx.public).hex(),
        "by_seed_hex": ella.seed().hex(),
        "cert_hex": devices.certify(ella, notebook_id, member, phone.public).hex(),
        "revoke_sig_hex": devices.sign_revocation(ella, notebook_id, member, phone.id).hex(),
        "revoked_device_id": phone.id,
        "package": {
            "anchors": {m: b64encode(k) for m, k in package.anchors.items()},
            "epoch_keys": {str(n): b64encode(k) for n, k in package.keys.items()},
        },
        "nonce_hex": nonce.hex(),
        "aad_hex": devices.link_aad(link_id).hex(),
        "package_box_hex": package.seal(link.wrap, link_id, nonce).hex(),
    }


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
        "epochs": _epochs(),
        "exchange_keys": _exchange_keys(),
        "wraps": _wraps(),
        "device_link": _device_link(),
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}")
