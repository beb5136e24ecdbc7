"""Writing entries and reading the notebook's log."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from unspoken.api.credentials import require_signature
from unspoken.api.deps import MemberDep, ServicesDep
from unspoken.api.schemas import MAX_SEQ, AppendAnswer, NewEntry, RecordsPage
from unspoken.protocol.chain import entry_aad, entry_hash
from unspoken.protocol.encoding import b64encode
from unspoken.rules import Entry, require_reader
from unspoken.server import reads, writes
from unspoken.server.reads import DeviceAuth
from unspoken.server.services import Services
from unspoken.server.wire import iso, record_json

router = APIRouter(prefix="/v1", tags=["entries"])


@router.post(
    "/notebooks/{nb}/entries",
    status_code=201,
    responses={200: {"model": AppendAnswer, "description": "A retry: the original answer"}},
)
async def append_entry(
    nb: str, body: NewEntry, me: MemberDep, services: ServicesDep, response: Response
) -> AppendAnswer:
    answer, replayed = await append(services, nb, me, body)
    if replayed:
        response.status_code = 200
    return answer


async def append(
    services: Services, nb: str, me: DeviceAuth, body: NewEntry
) -> tuple[AppendAnswer, bool]:
    """Check the author's signature and append; True with the original answer for a retry.
    The route above and the fast path (api/fast_paths.py) both append through here."""
    additional = entry_aad(nb, body.chapter, body.id, me.device_id, body.prev)
    require_signature(me.public_key, additional, body.ct, body.sig)
    digest = entry_hash(additional, body.ct, body.sig)
    entry = Entry(
        body.id, body.chapter, me.device_id, body.prev, digest, body.ct, body.sig, body.mirror
    )
    appended = await services.commit(writes.append_entry(nb, me.member.id, entry, services.now()))
    answer = AppendAnswer(seq=appended.seq, hash=b64encode(appended.hash), at=iso(appended.at))
    return answer, appended.replayed


@router.get("/notebooks/{nb}/records")
async def list_records(
    nb: str,
    me: MemberDep,
    services: ServicesDep,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> RecordsPage:
    require_reader(me.member)
    page = await reads.page(services.store, nb, after, limit)
    return RecordsPage(records=[record_json(r) for r in page.records], head_seq=page.head_seq)
