"""The Python SDK: one partner's device, speaking protocol v1 to a server."""

import asyncio
import secrets
from collections.abc import AsyncIterator, Mapping
from copy import deepcopy
from typing import Any
from urllib.parse import urlsplit

import httpx

from unspoken.client.api import Api, Json, opened
from unspoken.client.commitments import CommitmentsMixin
from unspoken.client.devices import (
    DevicesMixin,
    claim_body,
    parse_device_link,
    wait_for_package,
)
from unspoken.client.errors import TamperError, UnspokenError
from unspoken.client.models import DEFAULT_HAND, Entry, Event, Member
from unspoken.client.push import PushMixin
from unspoken.protocol import box, chain, devices, exchange, keys, messages, records
from unspoken.protocol.encoding import b64decode, b64encode, new_id
from unspoken.protocol.errors import ProtocolError
from unspoken.protocol.records import (
    CHAPTER_OPENED,
    DEVICE_ADDED,
    DEVICE_REVOKED,
    EPOCH_STARTED,
    MODE_CHANGED,
    PEN_PASSED,
)

_RETRIES = 5


class Notebook(DevicesMixin, CommitmentsMixin, PushMixin):
    """A notebook as one partner's device sees it: keys stay here, only ciphertext leaves.

    The rules (pen, pauses, promises, agreements, chapters, goodbye) come from the mixins in
    client/rules.py and client/commitments.py.
    """

    def __init__(
        self,
        api: Api,
        notebook_id: str,
        member_id: str,
        device: keys.DeviceKey,
        notebook_keys: bytes | Mapping[int, bytes],
        exchange_key: exchange.ExchangeKey | None = None,
        anchors: Mapping[str, bytes] | None = None,
    ) -> None:
        self._api = api
        self.id = notebook_id
        self.member_id = member_id
        self._device = device
        self._exchange = exchange_key or exchange.ExchangeKey.generate()
        if isinstance(notebook_keys, bytes):
            notebook_keys = {0: notebook_keys}
        self._set_keys(dict(notebook_keys))
        # The devices this one trusts: each member's first device (pinned), then the log's.
        self._registry = devices.DeviceRegistry(notebook_id)
        self._anchor_ids: set[str] = set()
        for member, key in (anchors or {member_id: device.public}).items():
            self._anchor(member, key)
        self._link: tuple[str, bytes] | None = None  # (link id, secret) while linking a device
        self._last_epoch = 0  # entries' epochs never go back along the chain
        self._invite: tuple[str, bytes] | None = None  # (invite id, secret), creator only
        self._creator_key: bytes | None = None  # what the invite bundle says, joiner only
        self.members: dict[str, Member] = {}
        self.pen: str | None = None
        self.chapter = 1
        self._seq = 0
        self._head = chain.GENESIS
        self._entries: list[Entry] = []
        self._view: Json = {"members": []}
        self._draft: tuple[str, int] | None = None  # (draft id, last frame n) while drafting

    # --- pairing -------------------------------------------------------------------------

    @classmethod
    async def create(cls, server: str, name: str, hand: dict[str, Any] | None = None) -> "Notebook":
        """Make keys here, create the notebook on the server, and open a first invite."""
        device, notebook_key = keys.DeviceKey.generate(), secrets.token_bytes(32)
        notebook_id = new_id()
        profile = messages.seal_profile(
            keys.content_key(notebook_key, notebook_id),
            device,
            notebook_id,
            {"name": name, "hand": hand or DEFAULT_HAND},
        )
        kx = exchange.ExchangeKey.generate()
        body = {
            "id": notebook_id,
            "device_key": b64encode(device.public),
            "profile": profile.wire(),
            "exchange_key": _exchange_body(device, notebook_id, kx),
        }
        async with opened(server) as api:
            _, answer = await api.call("POST", "/v1/notebooks", body)
            api.token = answer["token"]
            notebook = cls(api, notebook_id, answer["member_id"], device, notebook_key, kx)
            await notebook.new_invite()
            await notebook.refresh()
            return notebook

    async def new_invite(self) -> str:
        """Open a fresh single-use invite (replacing any open one) and return its link."""
        secret, invite_id = secrets.token_bytes(32), new_id()
        invite = keys.InviteKeys.from_secret(secret, invite_id)
        later = {n: k for n, k in self._keys.items() if n > 0}
        bundle = messages.Bundle(self.id, self._keys[0], self._device.public, later)
        await self._api.call(
            "POST",
            f"/v1/notebooks/{self.id}/invites",
            {
                "id": invite_id,
                "claim_hash": b64encode(invite.claim_hash),
                "bundle": b64encode(bundle.seal(invite.wrap, invite_id)),
            },
        )
        self._invite = (invite_id, secret)
        return self.invite_link

    @property
    def invite_link(self) -> str:
        if self._invite is None:
            raise RuntimeError("only the creator has an invite link, until the partner is in")
        invite_id, secret = self._invite
        return f"{self._api.base_url}/join/{invite_id}#{b64encode(secret)}"

    @classmethod
    async def join(
        cls, invite_link: str, name: str, hand: dict[str, Any] | None = None
    ) -> "Notebook":
        """Claim an invite: the secret in the link's fragment never reaches the server."""
        server, invite_id, secret = _parse_link(invite_link)
        invite = keys.InviteKeys.from_secret(secret, invite_id)
        device = keys.DeviceKey.generate()
        async with opened(server) as api:
            _, answer = await api.call(
                "POST",
                f"/v1/invites/{invite_id}/claim",
                {
                    "claim": b64encode(invite.claim),
                    "device_key": b64encode(device.public),
                    "key_mac": b64encode(invite.joiner_mac(invite_id, device.public)),
                },
            )
            api.token = answer["token"]
            try:
                bundle = messages.Bundle.open(invite.wrap, invite_id, b64decode(answer["bundle"]))
            except ProtocolError as exc:
                raise TamperError("the invite bundle does not open with this link") from exc
            if bundle.notebook_id != answer["notebook_id"]:
                raise TamperError("the server named another notebook than the invite holds")
            member_id = answer["member_id"]
            notebook = cls(api, bundle.notebook_id, member_id, device, bundle.keys)
            notebook._creator_key = bundle.creator_device_key
            profile = messages.seal_profile(
                notebook._ck, device, notebook.id, {"name": name, "hand": hand or DEFAULT_HAND}
            )
            await api.call("PUT", f"/v1/notebooks/{notebook.id}/profile", profile.wire())
            kx = _exchange_body(device, notebook.id, notebook._exchange)
            await api.call("PUT", f"/v1/notebooks/{notebook.id}/exchange-key", kx)
            await notebook.refresh()
            return notebook

    @classmethod
    async def add_device(cls, device_link: str, timeout: float = 60.0) -> "Notebook":
        """Open a device link on a new device of yours; returns once your other device has let
        it in (approve_device). The new device reads the whole history and writes."""
        server, notebook_id, link_id, secret = parse_device_link(device_link)
        device, kx = keys.DeviceKey.generate(), exchange.ExchangeKey.generate()
        async with opened(server) as api:
            body = claim_body(link_id, secret, notebook_id, device, kx)
            _, answer = await api.call("POST", f"/v1/links/{link_id}/claim", body)
            if answer["notebook_id"] != notebook_id or answer["device_id"] != device.id:
                raise TamperError("the server named another notebook than the link holds")
            api.token = answer["token"]
            sealed = await wait_for_package(api, notebook_id, link_id, timeout)
            wrap = devices.LinkKeys.from_secret(secret, link_id).wrap
            try:
                package = devices.Package.open(wrap, link_id, sealed)
            except ProtocolError as exc:
                raise TamperError("the device link's package does not open") from exc
            if (package.notebook_id, package.member_id) != (notebook_id, answer["member_id"]):
                raise TamperError("the package names another notebook or member")
            notebook = cls(
                api, notebook_id, package.member_id, device, package.keys, kx, package.anchors
            )
            await notebook.refresh()
            await notebook._catch_up()
            if notebook._registry.get(device.id) is None:
                raise TamperError("the log does not show this device being added")
            return notebook

    async def approve_partner(self) -> Member:
        """Let the pending joiner in, once its key is proved to come from the invite link."""
        await self.refresh()
        pending = [m for m in self.members.values() if m.state == "pending"]
        if not pending or self._invite is None:
            raise RuntimeError("nobody is waiting to be let in")
        joiner = pending[0]
        invite_id, secret = self._invite
        key_mac = self._view_member(joiner.id).get("key_mac") or ""
        invite = keys.InviteKeys.from_secret(secret, invite_id)
        if not invite.verify_joiner_mac(invite_id, joiner.device_key, b64decode(key_mac)):
            raise TamperError("the joiner's key was not sent by someone holding the invite link")
        self._anchor(joiner.id, joiner.device_key)
        await self._update(
            await self._api.call("POST", f"/v1/notebooks/{self.id}/members/{joiner.id}/approve")
        )
        self._invite = None
        return self.members[joiner.id]

    # --- writing and reading -------------------------------------------------------------

    async def write(self, text: str, mirror: bool = False) -> Entry:
        """Seal, sign and append; retries never duplicate, a moved head is caught up first.

        `mirror=True` marks a restatement of the partner's words (mirror-before-reply).
        """
        entry_id = new_id()
        self._draft = None
        for _ in range(_RETRIES):
            place = (self.id, self.chapter, entry_id, self._head)
            signed = messages.seal_entry(self._ck, self._device, place, text, mirror=mirror)
            body = {
                "id": entry_id,
                "chapter": self.chapter,
                "prev": b64encode(self._head),
                **signed.wire(),
            }
            if mirror:
                body["mirror"] = True
            try:
                answer = await self._post_entry(body)
            except UnspokenError as exc:
                if exc.status == 409 and "head" in exc.problem:
                    await self.read()
                    continue
                if exc.status == 409 and "epoch" in exc.problem:  # a new epoch began
                    await self._sync_keys()
                    continue
                raise
            record = {
                "seq": answer["seq"],
                "kind": "entry",
                "at": answer["at"],
                "member": self.member_id,
                "device": self._device.id,
                "hash": answer["hash"],
                **body,
            }
            await self._catch_up(answer["seq"] - 1)
            if self._seq < answer["seq"]:  # the live stream may have applied it already
                # Sealed here a moment ago: its words and hash are known, so only the checks
                # that concern the server (place in the chain, seq, hash) are made again.
                self._apply(record, sealed=(text, mirror, signed.hash))
            return next(e for e in reversed(self._entries) if e.id == entry_id)
        raise UnspokenError(409, "the notebook kept moving; try again")

    async def _post_entry(self, body: Json) -> Json:
        """Idempotent by its entry id: sent again after a lost answer, it is stored once and
        answered with the original seq (see `retry_window`)."""
        path = f"/v1/notebooks/{self.id}/entries"
        return (await self._api.call("POST", path, body, idempotent=True))[1]

    @property
    def retry_window(self) -> float:
        """Seconds a call keeps trying through transport errors and 503s (0 = never retry)."""
        return self._api.retry_window

    @retry_window.setter
    def retry_window(self, seconds: float) -> None:
        self._api.retry_window = seconds

    async def session(self) -> "Notebook":
        """A second, independent session of this device (its own connection and cursor), e.g.
        to watch the live stream in one task while another writes."""
        api = Api(self._api.base_url, self._api.token, self._api.retry_window)
        twin = type(self)(api, self.id, self.member_id, self._device, self._keys, self._exchange)
        twin._registry, twin._anchor_ids = deepcopy(self._registry), set(self._anchor_ids)
        twin._creator_key = self._creator_key
        await twin.refresh()
        return twin

    async def pass_pen(self) -> None:
        await self._update(await self._api.call("POST", f"/v1/notebooks/{self.id}/pen/pass"))

    async def read(self) -> list[Entry]:
        """Every verified entry of the open chapter, in order."""
        await self._catch_up()
        return [e for e in self._entries if e.chapter == self.chapter]

    async def events(self) -> AsyncIterator[Event]:
        """The live stream, verified; after a dropped connection it resumes where it left off."""
        while True:
            try:
                async for record in self._api.stream(f"/v1/notebooks/{self.id}/events", self._seq):
                    if "seq" not in record:  # a draft frame: live only, not in the log
                        if record.get("kind") == "draft":
                            yield Event(0, "draft", record, draft=self._open_draft(record))
                        continue
                    if record["seq"] <= self._seq:
                        continue
                    await self._catch_up(record["seq"] - 1)
                    yield await self._event(record)
            except (httpx.TransportError, httpx.RemoteProtocolError):
                await asyncio.sleep(0.2)
            except UnspokenError as exc:
                if exc.status != 503:  # the server is restarting or its database is busy
                    raise
                await asyncio.sleep(1.0)

    async def refresh(self) -> None:
        """Fetch the notebook's state: members, their profiles, the pen."""
        await self._update(await self._api.call("GET", f"/v1/notebooks/{self.id}"))

    async def close(self) -> None:
        await self._api.close()

    # --- internals -----------------------------------------------------------------------

    async def _event(self, record: Json) -> Event:
        if record["kind"] in records.REFRESHES:
            await self.refresh()
        await self._before(record)
        self._apply(record)
        entry = self._entries[-1] if record["kind"] == "entry" else None
        return Event(record["seq"], record["kind"], record, entry)

    async def _catch_up(self, until: int | None = None) -> None:
        while until is None or self._seq < until:
            path = f"/v1/notebooks/{self.id}/records?after={self._seq}&limit=500"
            _, page = await self._api.call("GET", path)
            for record in page["records"]:
                if until is not None and record["seq"] > until:
                    return
                if record["seq"] <= self._seq:  # applied meanwhile by a concurrent reader
                    continue
                if record["kind"] == "entry" and record["member"] not in self.members:
                    await self.refresh()
                await self._before(record)
                self._apply(record)
            if not page["records"] or self._seq >= page["head_seq"]:
                return

    async def _before(self, record: Json) -> None:
        """A new epoch's key is fetched before the records sealed in it."""
        if record["kind"] == EPOCH_STARTED and record["epoch"] not in self._keys:
            await self._sync_keys()

    def _apply(self, record: Json, sealed: tuple[str, bool, bytes] | None = None) -> None:
        """Apply the next record; `sealed` is (text, mirror, hash) of an entry sealed here."""
        if record["seq"] != self._seq + 1:
            raise TamperError(f"record {record['seq']} arrived after {self._seq}: a gap")
        if record["kind"] == "entry":
            self._entries.append(self._verify(record, sealed))
        elif record["kind"] in (DEVICE_ADDED, DEVICE_REVOKED):
            self._apply_device(record)
        elif record["kind"] == PEN_PASSED:
            self.pen = record["to"]
        elif record["kind"] == MODE_CHANGED:
            self.pen = record["pen"]
        elif record["kind"] == CHAPTER_OPENED:
            self.chapter = record["chapter"]
            self.pen = record["member"] if record["mode"] == "turns" else None
        self._seq = record["seq"]

    def _verify(self, record: Json, sealed: tuple[str, bool, bytes] | None = None) -> Entry:
        member = record["member"]
        try:
            epoch = box.epoch_of(b64decode(record["ct"]))
            key = self._registry.key_for(member, record["device"], epoch)
        except ProtocolError as exc:
            raise TamperError(f"an entry from a device that is not a partner's: {exc}") from exc
        if b64decode(record["prev"]) != self._head:
            raise TamperError("an entry does not follow the one before it: dropped or reordered")
        if epoch < self._last_epoch:
            raise TamperError("an entry sealed in an older key epoch than the one before it")
        if sealed is not None:
            text, mirror, digest = sealed
        else:
            try:
                body, digest = messages.open_entry_body(self._ck, key, self.id, record)
            except ProtocolError as exc:
                raise TamperError(f"entry {record['seq']} does not verify") from exc
            text, mirror = body["text"], body.get("mirror") is True
        self._last_epoch = epoch
        if mirror != (record.get("mirror") is True):
            raise TamperError("the server shows another mirror mark than the entry holds")
        if record.get("hash") != b64encode(digest):
            raise TamperError("the server's hash for an entry differs from its contents")
        self._head = digest
        name = self.members[member].name if member in self.members else None
        return Entry(
            record["seq"],
            record["id"],
            record["chapter"],
            member,
            name or "",
            text,
            record["at"],
            digest,
            mirror,
        )

    def _view_member(self, member_id: str) -> Json:
        return next(m for m in self._view["members"] if m["id"] == member_id)

    async def _update(self, response: tuple[int, Json]) -> None:
        view = response[1]
        self._view = view
        self.pen, self.chapter = view.get("pen"), view.get("chapter", 1)
        self.members = {m["id"]: self._member(m) for m in view["members"]}

    def _member(self, raw: Json) -> Member:
        device = raw["devices"][0]
        key = b64decode(device["key"])
        anchored = any(self._registry.devices[d].member == raw["id"] for d in self._anchor_ids)
        if raw["role"] == "creator" and self._creator_key is not None and not anchored:
            if key != self._creator_key:
                raise TamperError("the server shows another key for the creator than the invite")
            self._anchor(raw["id"], key)
            anchored = True
        name, hand = None, {}
        profile = raw.get("profile")
        signer = self._registry.get(profile["device"]) if profile else None
        if signer is not None and signer.member != raw["id"]:
            raise TamperError("a profile signed by another member's device")
        if profile and anchored and signer is None:
            raise TamperError("a profile signed by a device its member never added")
        if profile and (signer is not None or raw["state"] == "pending"):
            try:
                opened = messages.open_profile(
                    self._ck,
                    signer.key if signer else key,
                    self.id,
                    profile["device"],
                    profile["ct"],
                    profile["sig"],
                )
            except ProtocolError as exc:
                raise TamperError("a profile does not verify with its member's key") from exc
            name, hand = opened["name"], opened["hand"]
        return Member(raw["id"], raw["role"], raw["state"], device["id"], key, name, hand)


def _parse_link(link: str) -> tuple[str, str, bytes]:
    parts = urlsplit(link)
    segments = parts.path.rstrip("/").split("/")
    if len(segments) < 2 or segments[-2] != "join" or not parts.fragment:
        raise ValueError("an invite link looks like https://host/join/<id>#<secret>")
    server = f"{parts.scheme}://{parts.netloc}{'/'.join(segments[:-2])}"
    return server, segments[-1], b64decode(parts.fragment)


def _exchange_body(
    device: keys.DeviceKey, notebook_id: str, kx: exchange.ExchangeKey
) -> dict[str, str]:
    sig = exchange.sign_exchange_key(device, notebook_id, kx.public)
    return {"key": b64encode(kx.public), "sig": b64encode(sig)}
