"""Request and response bodies of the notebook's rules (protocol.md, "Protocol v1 — the rules")."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from unspoken.api.schemas import Body, Box, Chapter, Id, ItemOut, Signature, Whole, whole
from unspoken.rules.pauses import MAX_MINUTES, MIN_MINUTES


class SealedItem(Body):
    """An item box (aad kind `item`) made by the calling device."""

    id: Id
    ct: Box
    sig: Signature


class PauseBody(Body):
    # The range is the rules' to enforce (with their own words); the document states it.
    minutes: Annotated[
        Whole, WithJsonSchema({"type": "integer", "minimum": MIN_MINUTES, "maximum": MAX_MINUTES})
    ]
    # When the device asked, on its own clock (unix ms): its act signs it.
    asked: Annotated[int, Field(strict=True, ge=0, le=2**53 - 1), BeforeValidator(whole)]
    note: SealedItem | None = None


class NoteBody(Body):
    note: SealedItem | None = None


class ModeBody(Body):
    mode: Literal["turns", "open"]


class DraftBody(Body):
    chapter: Chapter
    draft: Id
    n: Annotated[int, Field(strict=True, ge=0), BeforeValidator(whole)]
    ct: Box
    sig: Signature


# Below 2^53: a browser's counter (its clock in milliseconds) is a safe integer.
MAX_SEEN_N = 2**53 - 1


class SeenBody(Body):
    n: Annotated[int, Field(strict=True, ge=0, le=MAX_SEEN_N), BeforeValidator(whole)]
    ct: Box
    sig: Signature


class MarkBody(Body):
    outcome: Literal["kept", "broken", "released"]
    note: SealedItem | None = None


class CosignBody(Body):
    sig: Signature


class NotYetBody(Body):
    note: SealedItem | None = None


class NewChapterBody(Body):
    n: Chapter
    mode: Literal["turns", "open"] = "turns"
    mirror: bool = Field(default=False, strict=True)
    meta: SealedItem


class MirrorBody(Body):
    answer: Literal["got-it", "more"]


class PromiseOut(BaseModel):
    id: str
    by: str
    to: str
    state: str
    made_at: str
    updated_at: str
    text: ItemOut
    history: list[dict[str, Any]] | None = None


class PromiseList(BaseModel):
    promises: list[PromiseOut]


class SignatureOut(BaseModel):
    member: str
    device: str
    sig: str
    at: str


class AgreementOut(BaseModel):
    id: str
    proposer: str
    state: Literal["proposed", "agreed"]
    proposed_at: str
    agreed_at: str | None
    text: ItemOut
    signatures: list[SignatureOut]
    not_yet_at: str | None = None
    history: list[dict[str, Any]] | None = None


class AgreementList(BaseModel):
    agreements: list[AgreementOut]


class Goodbye(BaseModel):
    erased: bool
    erase_at: str | None
