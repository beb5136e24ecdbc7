"""Protocol client steps written straight from docs/protocol.md with `cryptography`.

Deliberately independent of unspoken.protocol, so the API tests also check that the server
agrees with the spec, not merely with our own implementation.
"""

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PROBLEM = "application/problem+json"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_id() -> str:
    return b64(os.urandom(16))


def lp(*parts: bytes | str) -> bytes:
    out = b""
    for part in parts:
        raw = part.encode() if isinstance(part, str) else part
        out += len(raw).to_bytes(4, "big") + raw
    return out


def derive(ikm: bytes, label: str, context: str) -> bytes:
    info = label.encode() + b"\x00" + context.encode()
    return HKDF(hashes.SHA256(), 32, b"unspoken/v1", info).derive(ikm)


def aad(kind: str, *fields: bytes | str) -> bytes:
    return lp("unspoken/v1/" + kind, *fields)


def seal(key: bytes, plaintext: bytes, additional: bytes) -> bytes:
    padded = plaintext + b"\x80"
    padded += b"\x00" * (-len(padded) % 256)
    nonce = os.urandom(12)
    return b"\x01" + nonce + AESGCM(key).encrypt(nonce, padded, additional)


def open_box(key: bytes, box: bytes, additional: bytes) -> bytes:
    padded = AESGCM(key).decrypt(box[1:13], box[13:], additional).rstrip(b"\x00")
    assert padded.endswith(b"\x80")
    return padded[:-1]


def chain_hash(additional: bytes, box: bytes, sig: bytes) -> bytes:
    return hashlib.sha256(lp(additional, box, sig)).digest()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Assert a problem+json refusal with a plain detail, and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["type"]
    assert isinstance(body["detail"], str) and len(body["detail"]) > 10
    return body


class Device:
    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.public = self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.id = b64(hashlib.sha256(self.public).digest()[:16])
        self.token = ""
        self.member_id = ""
        self.kx = X25519PrivateKey.generate()  # the exchange key epoch keys are wrapped for
        self.kx_public = self.kx.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def exchange_key(self, notebook_id: str) -> dict[str, str]:
        """{key, sig}: the exchange key, signed by this device for one notebook."""
        sig = self.key.sign(lp("unspoken/v1/exchange-key", notebook_id, self.kx_public))
        return {"key": b64(self.kx_public), "sig": b64(sig)}

    def sign(self, additional: bytes, box: bytes) -> bytes:
        return self.key.sign(lp("unspoken/v1/signed", additional, box))

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Invite:
    id: str
    secret: bytes

    def key(self, label: str) -> bytes:
        return derive(self.secret, label, self.id)


@dataclass
class Book:
    """One notebook as its two devices see it."""

    id: str = field(default_factory=new_id)
    nk: bytes = field(default_factory=lambda: os.urandom(32))
    creator: Device = field(default_factory=Device)
    joiner: Device = field(default_factory=Device)
    invite_id: str = ""  # the invite that paired it, once used
    invite_claim: bytes = b""  # and the claim its link's secret gives

    @property
    def ck(self) -> bytes:
        return derive(self.nk, "content", self.id)

    def profile(self, device: Device, name: str) -> dict[str, str]:
        additional = aad("profile", self.id, device.id)
        plaintext = json.dumps({"name": name, "hand": {"font": "caveat", "ink": "#2b3a67"}})
        box = seal(self.ck, plaintext.encode(), additional)
        return {"ct": b64(box), "sig": b64(device.sign(additional, box))}

    def create_body(self, name: str = "Ella") -> dict[str, Any]:
        profile = self.profile(self.creator, name)
        return {
            "id": self.id,
            "device_key": b64(self.creator.public),
            "profile": profile,
            "exchange_key": self.creator.exchange_key(self.id),
        }

    def wrap(self, by: Device, epoch: int, recipient: Device, key: bytes) -> dict[str, str]:
        """An epoch key wrapped for `recipient` (ephemeral-static X25519, HKDF, AES-GCM)."""
        eph = X25519PrivateKey.generate()
        eph_public = eph.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient.kx_public))
        info = lp(
            "unspoken/v1/epoch-wrap",
            self.id,
            str(epoch),
            recipient.id,
            eph_public,
            recipient.kx_public,
        )
        wrap_key = HKDF(hashes.SHA256(), 32, b"unspoken/v1", info).derive(shared)
        additional = aad("epoch-key", self.id, str(epoch), recipient.id)
        wrapped = eph_public + seal(wrap_key, key, additional)
        return {
            "device": recipient.id,
            "wrap": b64(wrapped),
            "sig": b64(by.sign(additional, wrapped)),
        }

    def epoch_body(self, by: Device, epoch: int, recipients: list[Device]) -> dict[str, Any]:
        key = os.urandom(32)
        return {"n": epoch, "wraps": [self.wrap(by, epoch, r, key) for r in recipients]}

    def invite_body(self, invite: Invite) -> dict[str, str]:
        bundle = {
            "notebook_id": self.id,
            "notebook_key": b64(self.nk),
            "creator_device_key": b64(self.creator.public),
        }
        box = seal(invite.key("invite-wrap"), json.dumps(bundle).encode(), aad("invite", invite.id))
        claim_hash = hashlib.sha256(invite.key("invite-claim")).digest()
        return {"id": invite.id, "claim_hash": b64(claim_hash), "bundle": b64(box)}

    def claim_body(self, invite: Invite, device: Device | None = None) -> dict[str, str]:
        device = device or self.joiner
        mac = hmac.new(
            invite.key("invite-mac"), lp("unspoken/v1/joiner", invite.id, device.public), "sha256"
        ).digest()
        return {
            "claim": b64(invite.key("invite-claim")),
            "device_key": b64(device.public),
            "key_mac": b64(mac),
        }

    def entry_body(
        self, device: Device, text: str, prev: bytes, chapter: int = 1, entry_id: str = ""
    ) -> dict[str, Any]:
        entry_id = entry_id or new_id()
        additional = aad("entry", self.id, str(chapter), entry_id, device.id, prev)
        box = seal(self.ck, json.dumps({"type": "text", "text": text}).encode(), additional)
        sig = device.sign(additional, box)
        return {
            "id": entry_id,
            "chapter": chapter,
            "prev": b64(prev),
            "ct": b64(box),
            "sig": b64(sig),
        }


async def create(http: httpx.AsyncClient, book: Book) -> httpx.Response:
    response = await http.post("/v1/notebooks", json=book.create_body())
    if response.status_code == 201:
        book.creator.token = response.json()["token"]
        book.creator.member_id = response.json()["member_id"]
    return response


async def invite(http: httpx.AsyncClient, book: Book) -> Invite:
    made = Invite(new_id(), os.urandom(32))
    url = f"/v1/notebooks/{book.id}/invites"
    response = await http.post(url, json=book.invite_body(made), headers=book.creator.auth)
    assert response.status_code == 201, response.text
    return made


async def claim(
    http: httpx.AsyncClient, book: Book, made: Invite, device: Device | None = None
) -> httpx.Response:
    device = device or book.joiner
    url = f"/v1/invites/{made.id}/claim"
    response = await http.post(url, json=book.claim_body(made, device))
    if response.status_code == 201:
        device.token = response.json()["token"]
        device.member_id = response.json()["member_id"]
    return response


async def paired(http: httpx.AsyncClient) -> Book:
    """Create, invite, claim, set the joiner's profile and approve: a sealed notebook."""
    book = Book()
    assert (await create(http, book)).status_code == 201
    made = await invite(http, book)
    assert (await claim(http, book, made)).status_code == 201
    book.invite_id = made.id
    book.invite_claim = made.key("invite-claim")
    url = f"/v1/notebooks/{book.id}/profile"
    profile = book.profile(book.joiner, "James")
    assert (await http.put(url, json=profile, headers=book.joiner.auth)).status_code == 204
    url = f"/v1/notebooks/{book.id}/exchange-key"
    body = book.joiner.exchange_key(book.id)
    assert (await http.put(url, json=body, headers=book.joiner.auth)).status_code == 204
    url = f"/v1/notebooks/{book.id}/members/{book.joiner.member_id}/approve"
    assert (await http.post(url, headers=book.creator.auth)).status_code == 200
    return book


async def notebook(http: httpx.AsyncClient, book: Book, device: Device) -> dict[str, Any]:
    response = await http.get(f"/v1/notebooks/{book.id}", headers=device.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def head(http: httpx.AsyncClient, book: Book) -> dict[str, Any]:
    head_: dict[str, Any] = (await notebook(http, book, book.creator))["head"]
    return head_


async def write(http: httpx.AsyncClient, book: Book, device: Device, text: str) -> httpx.Response:
    prev = unb64((await head(http, book))["hash"])
    body = book.entry_body(device, text, prev)
    return await http.post(f"/v1/notebooks/{book.id}/entries", json=body, headers=device.auth)


def item(
    book: Book, device: Device, kind: str, body: dict[str, Any], item_id: str = "", ref: str = ""
) -> dict[str, str]:
    """An item box (aad kind `item`, protocol.md "Protocol v1 — the rules")."""
    item_id = item_id or new_id()
    additional = aad("item", book.id, kind, item_id, ref, device.id)
    box = seal(book.ck, json.dumps(body).encode(), additional)
    return {"id": item_id, "ct": b64(box), "sig": b64(device.sign(additional, box))}


def draft(
    book: Book, device: Device, text: str, draft_id: str, n: int, chapter: int = 1
) -> dict[str, Any]:
    additional = aad("draft", book.id, str(chapter), draft_id, str(n), device.id)
    box = seal(book.ck, json.dumps({"text": text}).encode(), additional)
    sig = device.sign(additional, box)
    return {"chapter": chapter, "draft": draft_id, "n": n, "ct": b64(box), "sig": b64(sig)}


async def records(http: httpx.AsyncClient, book: Book, device: Device) -> list[dict[str, Any]]:
    response = await http.get(f"/v1/notebooks/{book.id}/records", headers=device.auth)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["records"]
    return found


# Protocol v2 — signed acts: (kind, subject, outcome, item), each "" where the spec's table has
# "—"; chapters and minutes as decimals, promises, agreements, members and items as ids.
Act = tuple[str, str, str, str]
NOTHING_SEEN = (0, bytes(32))  # a device that has applied no record: D₀, 32 zero bytes


def act_message(
    notebook_id: str, device: Device, act: Act, seen: tuple[int, bytes] = NOTHING_SEEN
) -> bytes:
    """The bytes a device signs for one act (protocol.md, "Protocol v2 — signed acts")."""
    kind, subject, outcome, item_id = act
    seq, digest = seen
    return lp(
        "unspoken/v2/act",
        notebook_id,
        kind,
        device.member_id,
        device.id,
        subject,
        outcome,
        item_id,
        str(seq),
        digest,
    )


def act_header(
    notebook_id: str, device: Device, *acts: Act, seen: tuple[int, bytes] = NOTHING_SEEN
) -> str:
    """`<seen seq>.<seen digest>.<sig>[.<sig>]`: one signature per act, in log order."""
    sigs = [b64(device.key.sign(act_message(notebook_id, device, act, seen))) for act in acts]
    return ".".join([str(seen[0]), b64(seen[1]), *sigs])


def acting(
    book: Book, device: Device, *acts: Act, seen: tuple[int, bytes] = NOTHING_SEEN
) -> dict[str, str]:
    """The headers of a request that acts: the device's token and its signed acts."""
    return {**device.auth, "Unspoken-Act": act_header(book.id, device, *acts, seen=seen)}


def passing(book: Book, device: Device, chapter: int = 1) -> dict[str, str]:
    """The headers for passing the pen, in `chapter`, from `device`'s member to the other."""
    to = book.joiner if device.member_id == book.creator.member_id else book.creator
    return acting(book, device, ("pen.passed", str(chapter), to.member_id, ""))


def verify_act(book: Book, device: Device, record: dict[str, Any], act: Act) -> None:
    """Raise unless `record` carries `device`'s signature over `act` as the record's member,
    with the seen position and digest the record names."""
    signed = record["act"]
    assert set(signed) == {"device", "seen", "digest", "sig"}, signed
    assert signed["device"] == device.id and record["member"] == device.member_id
    assert record["kind"] == act[0]
    message = act_message(book.id, device, act, (signed["seen"], unb64(signed["digest"])))
    device.key.public_key().verify(unb64(signed["sig"]), message)


class Unchanged:
    """Asserts that a refusal changed nothing: same notebook, same log."""

    def __init__(self, http: httpx.AsyncClient, book: Book) -> None:
        self.http, self.book = http, book

    async def __aenter__(self) -> "Unchanged":
        self.before = await self._snapshot()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if exc[0] is None:
            assert await self._snapshot() == self.before

    async def _snapshot(self) -> tuple[Any, ...]:
        devices = (self.book.creator, self.book.joiner)
        views = [await notebook(self.http, self.book, d) for d in devices]
        return (*views, await records(self.http, self.book, self.book.creator))


def seal_in_epoch(key: bytes, plaintext: bytes, additional: bytes, epoch: int) -> bytes:
    """A version 2 box: the epoch in the header and at the end of the additional data."""
    padded = plaintext + b"\x80"
    padded += b"\x00" * (-len(padded) % 256)
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, padded, additional + lp(str(epoch)))
    return b"\x02" + epoch.to_bytes(4, "big") + nonce + sealed


@dataclass
class Link:
    id: str
    secret: bytes

    def key(self, label: str) -> bytes:
        return derive(self.secret, label, self.id)


async def claim_link(
    http: httpx.AsyncClient, book: Book, made: Link, new: Device
) -> httpx.Response:
    mac = hmac.new(
        made.key("link-mac"),
        lp("unspoken/v1/new-device", made.id, new.public, new.kx_public),
        "sha256",
    ).digest()
    body = {
        "claim": b64(made.key("link-claim")),
        "device_key": b64(new.public),
        "exchange_key": new.exchange_key(book.id),
        "key_mac": b64(mac),
    }
    response = await http.post(f"/v1/links/{made.id}/claim", json=body)
    if response.status_code == 201:
        new.token, new.member_id = response.json()["token"], response.json()["member_id"]
    return response


async def open_link(http: httpx.AsyncClient, book: Book, by: Device) -> Link:
    made = Link(new_id(), os.urandom(32))
    body = {"id": made.id, "claim_hash": b64(hashlib.sha256(made.key("link-claim")).digest())}
    response = await http.post(f"/v1/notebooks/{book.id}/links", json=body, headers=by.auth)
    assert response.status_code == 201, response.text
    return made


async def link_device(
    http: httpx.AsyncClient, book: Book, by: Device, epoch: int = 0
) -> tuple[Device, httpx.Response]:
    """A second device for `by`'s member: open a link, claim it, certify the new key."""
    made, new = await open_link(http, book, by), Device()
    assert (await claim_link(http, book, made, new)).status_code == 201
    cert = by.key.sign(lp("unspoken/v1/device-cert", book.id, by.member_id, new.public))
    package = json.dumps({"notebook_id": book.id, "epoch_keys": {"0": b64(book.nk)}})
    box = seal(made.key("link-wrap"), package.encode(), aad("device-link", made.id))
    body = {"cert": b64(cert), "package": b64(box), "epoch": epoch}
    url = f"/v1/notebooks/{book.id}/links/{made.id}/approve"
    return new, await http.post(url, json=body, headers=by.auth)


def asked(at: datetime | None = None) -> int:
    """When a device asks for time (a pause's signed `asked`): unix ms, now by default."""
    return round((at or datetime.now(UTC)).timestamp() * 1000)
