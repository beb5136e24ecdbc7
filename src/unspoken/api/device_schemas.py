"""Request and response bodies for a partner's several devices (protocol.md, "Devices")."""

from pydantic import BaseModel, Field

from unspoken.api.schemas import (
    Body,
    Box,
    ExchangeKey,
    ExchangeKeyOut,
    Id,
    Key32,
    Signature,
    Wrapped,
)

MAX_DEVICES = 64


class Wrap(Body):
    """One epoch key, sealed for one device with its exchange key, signed by the caller."""

    device: Id
    wrap: Wrapped
    sig: Signature


class NewEpoch(Body):
    n: int = Field(strict=True, ge=1)
    wraps: list[Wrap] = Field(min_length=1, max_length=MAX_DEVICES)


class Revocation(Body):
    sig: Signature
    epoch: NewEpoch


class NewLink(Body):
    id: Id
    claim_hash: Key32


class LinkClaim(Body):
    claim: Key32
    device_key: Key32
    exchange_key: ExchangeKey
    key_mac: Key32


class LinkApproval(Body):
    cert: Signature
    package: Box
    epoch: int = Field(strict=True, ge=0)


class LinkMade(BaseModel):
    id: str
    expires_at: str


class LinkClaimed(BaseModel):
    notebook_id: str
    member_id: str
    device_id: str
    token: str


class ClaimedDevice(BaseModel):
    id: str
    key: str
    exchange_key: ExchangeKeyOut | None
    key_mac: str | None


class LinkOut(BaseModel):
    id: str
    member: str
    state: str
    expires_at: str
    device: ClaimedDevice | None
    package: str | None


class WrapOut(BaseModel):
    epoch: int
    device: str
    by: str
    wrap: str
    sig: str


class KeysOut(BaseModel):
    epoch: int
    keys: list[WrapOut]
