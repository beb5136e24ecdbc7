"""Every write the server makes, as a unit of work (store/work.py) for `Services.commit`.

Each names its notebook (the store orders that notebook's writes by it), what runs inside the
transaction, and which cached device tokens it may make wrong. Handlers build them here and
never reach into the store's modules.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial

from unspoken.push import subscriptions
from unspoken.push.subscriptions import Endpoint, Preferences, Subscription
from unspoken.rules import Agreement, Entry, NotebookState, Outcome, Promise
from unspoken.store import commitments, crossings, devices, due, links, notebooks
from unspoken.store.base import (
    Appended,
    Claimed,
    NewDevice,
    NewInvite,
    NotebookView,
    Profile,
)
from unspoken.store.commitments import AgreementRule, PromiseRule
from unspoken.store.crossings import CrossRule
from unspoken.store.devices import WrappedKey
from unspoken.store.links import LinkClaimed, NewLink
from unspoken.store.work import Forget, Work

# The store's values a handler builds or reads, offered here so that it need not import them
# from the store (the functions below are this module's own).
__all__ = [
    "AgreementRule",
    "CrossRule",
    "LinkClaimed",
    "NewDevice",
    "NewInvite",
    "NewLink",
    "Profile",
    "PromiseRule",
    "WrappedKey",
]
Rule = Callable[[NotebookState], Outcome]
Actor = tuple[str, str]  # (member id, device id): who acts, and from which device


# The notebook and its pair of members


def create_notebook(
    nb: str, member: str, device: NewDevice, profile: Profile, now: datetime
) -> Work[None]:
    run = partial(
        notebooks.create_notebook,
        notebook_id=nb,
        member_id=member,
        device=device,
        profile=profile,
        now=now,
    )
    return Work(nb, run)


def open_invite(nb: str, actor: str, invite: NewInvite, now: datetime) -> Work[None]:
    return Work(
        nb, partial(notebooks.open_invite, notebook_id=nb, actor=actor, invite=invite, now=now)
    )


def revoke_invite(nb: str, actor: str, invite: str) -> Work[None]:
    return Work(nb, partial(notebooks.revoke_invite, notebook_id=nb, actor=actor, invite_id=invite))


def claim_invite(
    invite: str, claim: bytes, member: str, device: NewDevice, key_mac: bytes, now: datetime
) -> Work[Claimed]:
    """Its notebook is found inside the transaction: ordered by the invite, forgets all."""
    run = partial(
        notebooks.claim_invite,
        invite_id=invite,
        claim=claim,
        member_id=member,
        device=device,
        key_mac=key_mac,
        now=now,
    )
    return Work(None, run, Forget.EVERYTHING, order=invite)


def set_profile(nb: str, actor: str, profile: Profile, now: datetime) -> Work[None]:
    return Work(
        nb, partial(notebooks.set_profile, notebook_id=nb, actor=actor, profile=profile, now=now)
    )


def approve(nb: str, actor: str, member: str, now: datetime) -> Work[NotebookView]:
    return Work(
        nb, partial(notebooks.approve, notebook_id=nb, actor=actor, member_id=member, now=now)
    )


def decline(nb: str, actor: str, member: str, now: datetime) -> Work[NotebookView]:
    return Work(
        nb, partial(notebooks.decline, notebook_id=nb, actor=actor, member_id=member, now=now)
    )


def append_entry(nb: str, actor: str, entry: Entry, now: datetime) -> Work[Appended]:
    """The hot path: a plain append changes no member and no device, so no token is forgotten."""
    run = partial(notebooks.append_entry, notebook_id=nb, actor=actor, entry=entry, now=now)
    return Work(nb, run, Forget.NOTHING)


def apply(nb: str, rule: Rule) -> Work[NotebookView | None]:
    """Any rule on the notebook's state; the answer is the notebook after (None once erased)."""
    return Work(nb, partial(notebooks.apply, notebook_id=nb, rule=rule))


def cross_out(nb: str, entry: str, rule: CrossRule) -> Work[NotebookView]:
    """A writer crosses out a line of their own: one record after it, the line untouched."""
    return Work(nb, partial(crossings.cross_out, notebook_id=nb, entry_id=entry, rule=rule))


# Promises and agreements


def make_promise(
    nb: str, rule: Callable[[NotebookState], tuple[Outcome, Promise]]
) -> Work[Promise]:
    return Work(nb, partial(commitments.make_promise, notebook_id=nb, rule=rule))


def change_promise(nb: str, promise: str, rule: PromiseRule) -> Work[Promise]:
    run = partial(commitments.change_promise, notebook_id=nb, promise_id=promise, rule=rule)
    return Work(nb, run)


def propose(nb: str, rule: Callable[[NotebookState], tuple[Outcome, Agreement]]) -> Work[Agreement]:
    return Work(nb, partial(commitments.propose, notebook_id=nb, rule=rule))


def change_agreement(nb: str, agreement: str, rule: AgreementRule) -> Work[Agreement]:
    """Sign, say "not yet" to, or revise one agreement."""
    run = partial(commitments.change_agreement, notebook_id=nb, agreement_id=agreement, rule=rule)
    return Work(nb, run)


# Devices, device links and key epochs


def set_exchange_key(nb: str, device: str, key: bytes, sig: bytes) -> Work[None]:
    run = partial(devices.set_exchange_key, notebook_id=nb, device_id=device, key=key, sig=sig)
    return Work(nb, run)


def revoke_device(
    nb: str,
    actor: Actor,
    target: tuple[str, bytes],
    wrapped: tuple[int, Sequence[WrappedKey]],
    now: datetime,
) -> Work[NotebookView]:
    """target = (device id, the member's signed revocation); wrapped = (epoch, keys)."""
    run = partial(
        devices.revoke_device,
        notebook_id=nb,
        actor=actor,
        target=target,
        wrapped=wrapped,
        now=now,
    )
    return Work(nb, run)


def start_epoch(
    nb: str, actor: Actor, wrapped: tuple[int, Sequence[WrappedKey]], now: datetime
) -> Work[NotebookView]:
    run = partial(devices.start_epoch, notebook_id=nb, actor=actor, wrapped=wrapped, now=now)
    return Work(nb, run)


def open_link(nb: str, actor: Actor, link: NewLink, now: datetime) -> Work[None]:
    return Work(nb, partial(links.open_link, notebook_id=nb, actor=actor, link=link, now=now))


def cancel_link(nb: str, actor: str, link: str, state: str) -> Work[None]:
    """Withdraw a link (`revoked`) or turn away the device that claimed it (`declined`)."""
    run = partial(links.cancel_link, notebook_id=nb, actor=actor, link_id=link, state=state)
    return Work(nb, run)


def claim_link(
    link: str,
    claim: bytes,
    device: NewDevice,
    exchange: tuple[bytes, bytes],
    key_mac: bytes,
    now: datetime,
) -> Work[LinkClaimed]:
    """Its notebook is found inside the transaction: ordered by the link, forgets all."""
    run = partial(
        links.claim_link,
        link_id=link,
        claim=claim,
        device=device,
        exchange=exchange,
        key_mac=key_mac,
        now=now,
    )
    return Work(None, run, Forget.EVERYTHING, order=link)


def approve_link(
    nb: str, actor: Actor, link: str, approval: tuple[str, bytes, bytes, int], now: datetime
) -> Work[NotebookView]:
    """approval = (device id the cert was checked against, cert, package, epoch)."""
    run = partial(
        links.approve_link,
        notebook_id=nb,
        actor=actor,
        link_id=link,
        approval=approval,
        now=now,
    )
    return Work(nb, run)


# A device's push subscription and preferences


def subscribe(
    nb: str, actor: Actor, endpoint: Endpoint | None, now: datetime
) -> Work[Subscription]:
    """Set (or with None, forget) the device's push endpoint."""
    member, device = actor
    run = partial(
        subscriptions.subscribe,
        notebook_id=nb,
        device_id=device,
        member_id=member,
        endpoint=endpoint,
        now=now,
    )
    return Work(nb, run)


def set_preferences(
    nb: str, actor: Actor, preferences: Preferences, now: datetime
) -> Work[Subscription]:
    member, device = actor
    run = partial(
        subscriptions.set_preferences,
        notebook_id=nb,
        device_id=device,
        member_id=member,
        preferences=preferences,
        now=now,
    )
    return Work(nb, run)


# What comes due with time (the sweeper)


def expire_pause(nb: str, now: datetime) -> Work[None]:
    return Work(nb, partial(due.expire_pause, notebook_id=nb, now=now))


def erase_if_due(nb: str, now: datetime) -> Work[bool]:
    return Work(nb, partial(due.erase_if_due, notebook_id=nb, now=now))
