"""Mutual agreements: one text, proposed and signed by one partner, co-signed by the other;
until then the other may say "not yet", and either may propose other words."""

from fastapi import APIRouter

from unspoken.api.credentials import require_signature, sealed_item
from unspoken.api.deps import ActingDep, MemberDep, ServicesDep
from unspoken.api.schemas.rules import (
    AgreementList,
    AgreementOut,
    CosignBody,
    NotYetBody,
    SealedItem,
    SignatureOut,
)
from unspoken.api.views import item_out, maybe_iso
from unspoken.protocol.chain import item_aad
from unspoken.protocol.encoding import b64encode
from unspoken.rules import Agreement, Record, Refusal, RuleViolation, require_reader
from unspoken.rules import agreements as rules
from unspoken.server import reads, writes
from unspoken.server.acts import Acting
from unspoken.server.wire import iso, record_json
from unspoken.server.writes import AgreementRule

router = APIRouter(prefix="/v1/notebooks/{nb}/agreements", tags=["agreements"])


def agreement_out(agreement: Agreement, history: list[Record] | None = None) -> AgreementOut:
    text = agreement.text
    proposer = SignatureOut(
        member=agreement.proposer,
        device=text.device,
        sig=b64encode(text.sig),
        at=iso(agreement.proposed_at),
    )
    signatures = [proposer]
    cosigned = agreement.cosigned
    if cosigned is not None:
        signatures.append(
            SignatureOut(
                member=cosigned.member,
                device=cosigned.device,
                sig=b64encode(cosigned.sig),
                at=iso(cosigned.at),
            )
        )
    return AgreementOut(
        id=agreement.id,
        proposer=agreement.proposer,
        state="agreed" if cosigned is not None else "proposed",
        proposed_at=iso(agreement.proposed_at),
        agreed_at=maybe_iso(cosigned.at if cosigned else None),
        text=item_out(text),
        signatures=signatures,
        not_yet_at=maybe_iso(agreement.not_yet_at),
        history=None if history is None else [record_json(r) for r in history],
    )


@router.post("", status_code=201)
async def propose(
    nb: str, body: SealedItem, me: MemberDep, acting: ActingDep, services: ServicesDep
) -> AgreementOut:
    """Propose an agreement; the box's own signature is the proposer's signature."""
    text, now, actor = sealed_item(nb, me, "agreement", body), services.now(), me.member.id
    work = writes.propose(nb, acting.rule_with(lambda s: rules.propose(s, actor, text, now)))
    return agreement_out(await services.commit(work))


@router.get("")
async def listing(nb: str, me: MemberDep, services: ServicesDep) -> AgreementList:
    require_reader(me.member)
    found = await reads.agreements(services.store, nb)
    return AgreementList(agreements=[agreement_out(a, history) for a, history in found])


@router.post("/{agreement}/sign")
async def sign(
    nb: str,
    agreement: str,
    body: CosignBody,
    me: MemberDep,
    acting: ActingDep,
    services: ServicesDep,
) -> AgreementOut:
    """Co-sign exactly the message the proposer signed: signed_message(aad, box)."""
    proposed = await reads.agreement(services.store, nb, agreement)
    if proposed is None:
        raise RuleViolation(Refusal.NO_AGREEMENT)
    text = proposed.text
    additional = item_aad(nb, "agreement", text.id, "", text.device)
    require_signature(me.public_key, additional, text.ct, body.sig)
    now, actor, signature = services.now(), me.member.id, (me.device_id, body.sig)
    return await _change(
        services,
        nb,
        agreement,
        acting,
        lambda s, found: rules.cosign(s, found, actor, signature, now, text.id),
    )


async def _change(
    services: ServicesDep, nb: str, agreement: str, acting: Acting, rule: AgreementRule
) -> AgreementOut:
    work = writes.change_agreement(nb, agreement, acting.rule_on(rule))
    return agreement_out(await services.commit(work))


@router.post("/{agreement}/not-yet")
async def not_yet(
    nb: str,
    agreement: str,
    body: NotYetBody,
    me: MemberDep,
    acting: ActingDep,
    services: ServicesDep,
) -> AgreementOut:
    """Not yet: the agreement stays open; the note is an `agreement-note` with ref = its id."""
    note = None
    if body.note is not None:
        note = sealed_item(nb, me, "agreement-note", body.note, ref=agreement)
    now, actor = services.now(), me.member.id
    return await _change(
        services, nb, agreement, acting, lambda s, found: rules.not_yet(s, found, actor, note, now)
    )


@router.post("/{agreement}/revise")
async def revise(
    nb: str,
    agreement: str,
    body: SealedItem,
    me: MemberDep,
    acting: ActingDep,
    services: ServicesDep,
) -> AgreementOut:
    """Other words (an `agreement` item with a fresh id) replace the text; both sign again."""
    text, now, actor = sealed_item(nb, me, "agreement", body), services.now(), me.member.id
    return await _change(
        services, nb, agreement, acting, lambda s, found: rules.revise(s, found, actor, text, now)
    )
