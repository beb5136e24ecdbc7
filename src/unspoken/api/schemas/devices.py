"""Request and response bodies for a partner's several devices (protocol.md, "Devices")."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from unspoken.api.schemas import (
    Body,
    Box,
    ExchangeKey,
    ExchangeKeyOut,
    Id,
    Key32,
    Signature,
    Wrapped,
    whole,
)

MAX_DEVICES = 64
# An epoch number: a whole number (3.0 is 3, "3" is refused), the next one at least 1.
Epoch = Annotated[int, Field(strict=True, ge=0), BeforeValidator(whole)]
NextEpoch = Annotated[int, Field(strict=True, ge=1), BeforeValidator(whole)]


class Wrap(Body):
    """One epoch key, sealed for one device with its exchange key, signed by the caller."""

    device: Id
    wrap: Wrapped
    sig: Signature


class NewEpoch(Body):
    n: NextEpoch
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
    epoch: Epoch


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
