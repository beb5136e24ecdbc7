"""Request and response bodies. Binary fields travel as strict base64url (protocol.md)."""

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from unspoken.api.problems import BOX_TOO_LARGE
from unspoken.protocol.box import MAX_BOX
from unspoken.protocol.encoding import b64decode, is_id
from unspoken.protocol.errors import ProtocolError

_MIN_BOX = 1 + 12 + 16  # version, nonce, tag
MAX_SEQ = 2**63 - 1  # a sequence number is a signed 64-bit integer in both stores


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("b64", "must be base64url text")
    return value


def _id(value: object) -> str:
    if not is_id(_text(value)):
        raise PydanticCustomError("id", "must be an id: 16 bytes as 22 base64url characters")
    return str(value)


def _bytes(value: object) -> bytes:
    try:
        return b64decode(_text(value))
    except ProtocolError:
        raise PydanticCustomError("b64", "must be base64url text") from None


def _exact(size: int) -> Any:
    def validate(value: object) -> bytes:
        data = _bytes(value)
        if len(data) != size:
            raise PydanticCustomError("b64_size", f"must be {size} bytes as base64url text")
        return data

    return validate


def _box(value: object) -> bytes:
    data = _bytes(value)
    if len(data) > MAX_BOX:
        raise PydanticCustomError(BOX_TOO_LARGE, "is larger than the 64 KiB a sealed box may be")
    header = {1: 0, 2: 4}.get(data[0] if data else 0)  # version 2 adds its 4-byte epoch
    if header is None or len(data) < _MIN_BOX + header:
        raise PydanticCustomError("b64", "must be a version 1 or 2 sealed box as base64url text")
    return data


_B64 = "[A-Za-z0-9_-]"
# The last character of canonical base64url carries unused low bits, which must be zero.
_LAST = {1: "[AQgw]", 2: "[AEIMQUYcgkosw048]"}


def _exact_pattern(size: int) -> str:
    """Canonical unpadded base64url of exactly `size` bytes, as a regular expression."""
    chars, rest = size // 3 * 4, size % 3
    if rest == 0:
        return f"^{_B64}{{{chars}}}$"
    return f"^{_B64}{{{chars + rest}}}{_LAST[rest]}$"


def _length(size: int) -> int:
    return size // 3 * 4 + (0, 2, 3)[size % 3]


def _schema(description: str, size: int) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "type": "string",
            "format": "base64url",
            "description": description,
            "pattern": _exact_pattern(size),
        }
    )


# A box: the version byte 0x01 ("AQ".."Af"), or 0x02 ("Ag".."Av") and its 4-byte epoch, then
# nonce, ciphertext and tag, ≤ MAX_BOX.
_BOX_TAIL = f"{_B64}{{2}}(?:{_B64}{{4}})*(?:{_B64}{{2}}{_LAST[2]}|{_B64}{_LAST[1]})?$"
_BOX_SCHEMA = WithJsonSchema(
    {
        "type": "string",
        "format": "base64url",
        "description": "a sealed box, ≤ 64 KiB",
        "maxLength": _length(MAX_BOX),
        "anyOf": [
            {"minLength": _length(_MIN_BOX), "pattern": f"^A[Q-Za-f]{_BOX_TAIL}"},
            {"minLength": _length(_MIN_BOX + 4), "pattern": f"^A[g-v]{_BOX_TAIL}"},
        ],
    }
)
Id = Annotated[
    str,
    PlainValidator(_id, json_schema_input_type=str),
    WithJsonSchema({"type": "string", "pattern": _exact_pattern(16)}),
]
Key32 = Annotated[
    bytes, PlainValidator(_exact(32), json_schema_input_type=str), _schema("32 bytes", 32)
]
Signature = Annotated[
    bytes,
    PlainValidator(_exact(64), json_schema_input_type=str),
    _schema("Ed25519, 64 bytes", 64),
]
WRAP_BYTES = 32 + 1 + 12 + 256 + 16  # an ephemeral X25519 key, then a box holding 32 bytes
Wrapped = Annotated[
    bytes,
    PlainValidator(_exact(WRAP_BYTES), json_schema_input_type=str),
    _schema("an ephemeral X25519 key and a sealed epoch key", WRAP_BYTES),
]
Box = Annotated[bytes, PlainValidator(_box, json_schema_input_type=str), _BOX_SCHEMA]


def whole(value: object) -> object:
    """JSON has one kind of number: 3.0 is the whole number 3 (JSON Schema agrees)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Strict, so "3" and true are refused, but 3.0 is 3. (Constraints before the validator, or
# pydantic writes `ge` into the JSON schema instead of `minimum`.)
Whole = Annotated[int, Field(strict=True), BeforeValidator(whole)]
Chapter = Annotated[int, Field(strict=True, ge=1), BeforeValidator(whole)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SealedProfile(Body):
    ct: Box
    sig: Signature


class ExchangeKey(Body):
    """A device's X25519 key, signed by the device's own Ed25519 key."""

    key: Key32
    sig: Signature


class CreateNotebook(Body):
    id: Id
    device_key: Key32
    profile: SealedProfile
    exchange_key: ExchangeKey | None = None


class CreateInvite(Body):
    id: Id
    claim_hash: Key32
    bundle: Box
    # The inviter's name sealed under the link's own key, for the joiner's page (optional).
    greeting: Box | None = None


class Claim(Body):
    claim: Key32
    device_key: Key32
    key_mac: Key32


class NewEntry(Body):
    id: Id
    chapter: Chapter
    prev: Key32
    ct: Box
    sig: Signature
    mirror: bool = Field(default=False, strict=True)  # a restatement (mirror-before-reply)


class Joined(BaseModel):
    notebook_id: str
    member_id: str
    device_id: str
    token: str


class Claimed(Joined):
    bundle: str


class InviteMade(BaseModel):
    id: str
    expires_at: str


class InviteLook(BaseModel):
    """An invite its holder may still use: when it expires, and its sealed greeting if any."""

    expires_at: str
    greeting: str | None = None


class AppendAnswer(BaseModel):
    seq: int
    hash: str
    at: str


class Head(BaseModel):
    seq: int
    hash: str


class ExchangeKeyOut(BaseModel):
    key: str
    sig: str


class DeviceOut(BaseModel):
    id: str
    key: str
    exchange_key: ExchangeKeyOut | None = None
    added_by: str | None = None  # the device that certified it; null for a member's first
    cert: str | None = None


class ProfileOut(BaseModel):
    device: str
    ct: str
    sig: str


class MemberOut(BaseModel):
    id: str
    role: Literal["creator", "partner"]
    state: Literal["pending", "active"]
    joined_at: str
    devices: list[DeviceOut]
    profile: ProfileOut | None
    key_mac: str | None
    left_at: str | None = None
    knocked_at: str | None = None


class ItemOut(BaseModel):
    id: str
    device: str
    ct: str
    sig: str


class PauseOut(BaseModel):
    by: str
    since: str
    until: str
    here: bool


class MirrorOut(BaseModel):
    owed_by: str | None
    awaiting: str | None


class ChapterOut(BaseModel):
    n: int
    state: Literal["open", "closed"]
    mode: Literal["turns", "open"]
    mirror: bool
    opened_at: str
    opened_by: str | None
    closed_at: str | None
    meta: ItemOut | None


class NotebookOut(BaseModel):
    id: str
    created_at: str
    sealed: bool
    me: str
    mode: Literal["turns", "open"]
    pen: str | None
    chapter: int
    head: Head
    members: list[MemberOut]
    # the rules (protocol.md, "Protocol v1 — the rules")
    chapter_state: Literal["open", "closed"] = "open"
    pause: PauseOut | None = None
    mirror: MirrorOut | None = None
    chapters: list[ChapterOut] = Field(default_factory=list)
    left: list[str] = Field(default_factory=list)
    erase_at: str | None = None
    epoch: int = 0  # the key epoch new boxes must be sealed in (protocol.md, "Key epochs")


class RecordsPage(BaseModel):
    records: list[dict[str, Any]]
    head_seq: int


class Health(BaseModel):
    status: str
