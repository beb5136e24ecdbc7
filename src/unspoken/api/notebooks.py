"""Creating a notebook, reading it, profiles, letting a joiner in, and passing the pen."""

from fastapi import APIRouter, Response

from unspoken.api.credentials import new_token, require_exchange_key, require_signature
from unspoken.api.deps import ActingDep, MemberDep, ServicesDep, apply, not_found
from unspoken.api.schemas import CreateNotebook, Joined, NotebookOut, SealedProfile
from unspoken.api.views import notebook_out
from unspoken.protocol.chain import profile_aad
from unspoken.protocol.encoding import new_id
from unspoken.protocol.keys import device_id
from unspoken.rules import pass_pen as pass_the_pen
from unspoken.server import reads, writes
from unspoken.server.reads import NotebookView
from unspoken.server.writes import NewDevice, Profile

router = APIRouter(prefix="/v1", tags=["notebooks"])


@router.post(
    "/notebooks",
    status_code=201,
    responses={409: {"description": "This notebook id (or device) is already taken."}},
)
async def create_notebook(body: CreateNotebook, services: ServicesDep) -> Joined:
    device = device_id(body.device_key)
    profile = Profile(device, body.profile.ct, body.profile.sig)
    require_signature(body.device_key, profile_aad(body.id, device), profile.ct, profile.sig)
    exchange = body.exchange_key
    if exchange is not None:
        require_exchange_key(body.device_key, body.id, exchange)
    token, token_hash = new_token()
    member = new_id()
    new_device = NewDevice(
        device, body.device_key, token_hash, *((exchange.key, exchange.sig) if exchange else ())
    )
    await services.commit(
        writes.create_notebook(body.id, member, new_device, profile, services.now())
    )
    return Joined(notebook_id=body.id, member_id=member, device_id=device, token=token)


@router.get("/notebooks/{nb}")
async def get_notebook(nb: str, me: MemberDep, services: ServicesDep) -> NotebookOut:
    view = await reads.notebook(services.store, nb)
    if view is None:
        raise not_found()
    return notebook_out(view, me.member.id)


@router.put("/notebooks/{nb}/profile", status_code=204)
async def put_profile(
    nb: str, body: SealedProfile, me: MemberDep, services: ServicesDep
) -> Response:
    require_signature(me.public_key, profile_aad(nb, me.device_id), body.ct, body.sig)
    profile = Profile(me.device_id, body.ct, body.sig)
    await services.commit(writes.set_profile(nb, me.member.id, profile, services.now()))
    return Response(status_code=204)


def _answer(view: NotebookView, me: MemberDep) -> NotebookOut:
    return notebook_out(view, me.member.id)


@router.post("/notebooks/{nb}/members/{member}/approve")
async def approve(nb: str, member: str, me: MemberDep, services: ServicesDep) -> NotebookOut:
    view = await services.commit(writes.approve(nb, me.member.id, member, services.now()))
    return _answer(view, me)


@router.post("/notebooks/{nb}/members/{member}/decline")
async def decline(nb: str, member: str, me: MemberDep, services: ServicesDep) -> NotebookOut:
    view = await services.commit(writes.decline(nb, me.member.id, member, services.now()))
    return _answer(view, me)


@router.post("/notebooks/{nb}/pen/pass")
async def pass_pen(nb: str, me: MemberDep, acting: ActingDep, services: ServicesDep) -> NotebookOut:
    now, actor = services.now(), me.member.id
    return await apply(services, nb, me, acting.rule(lambda s: pass_the_pen(s, actor, now)))
