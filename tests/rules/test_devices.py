"""The rules of several devices and key epochs, alone: no store, no HTTP, no crypto."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from unspoken.api.refusals import said
from unspoken.rules import RuleViolation, approve, claim, create, decline, open_invite
from unspoken.rules import devices as rules
from unspoken.rules.epochs import require_current_epoch
from unspoken.rules.outcome import Outcome, log
from unspoken.rules.state import Entry, NotebookState

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _sealed() -> NotebookState:
    state = create("nb", "ella", NOW).state
    state = claim(state, "james", NOW).state
    return approve(state, "ella", "james", NOW).state


def _devices() -> list[rules.Device]:
    return [
        rules.Device("ella-1", "ella", "active", b"k1", b"x1"),
        rules.Device("ella-2", "ella", "active", b"k2", b"x2"),
        rules.Device("james-1", "james", "active", b"k3", b"x3"),
        rules.Device("gone", "ella", "revoked", b"k4", b"x4"),
    ]


def _revoke(target: str, wrapped: list[str], n: int = 1, by: str = "ella-1") -> Outcome:
    devices = _devices()
    found = next((d for d in devices if d.id == target), None)
    return rules.revoke(_sealed(), ("ella", by), found, devices, (n, wrapped), {}, NOW)


def test_a_revocation_begins_the_next_epoch_for_exactly_the_remaining_devices() -> None:
    outcome = _revoke("ella-2", ["ella-1", "james-1"])
    assert [r.kind for r in outcome.records] == ["device.revoked", "epoch.started"]
    assert outcome.state.epoch == 1
    assert outcome.records[1].extra["reason"] == "revoked"


@pytest.mark.parametrize(
    ("target", "wrapped", "n", "by", "status"),
    [
        ("ella-1", ["ella-2", "james-1"], 1, "ella-1", 409),  # the device making the call
        ("james-1", ["ella-1", "ella-2"], 1, "ella-1", 404),  # the partner's device
        ("gone", ["ella-1", "ella-2", "james-1"], 1, "ella-1", 404),  # revoked already
        ("ella-2", ["ella-1"], 1, "ella-1", 409),  # a remaining device left out
        ("ella-2", ["ella-1", "james-1", "ella-2"], 1, "ella-1", 409),  # the revoked one in
        ("ella-2", ["ella-1", "james-1", "james-1"], 1, "ella-1", 409),  # one twice
        ("ella-2", ["ella-1", "james-1"], 2, "ella-1", 409),  # not the next epoch
    ],
)
def test_what_a_revocation_refuses(
    target: str, wrapped: list[str], n: int, by: str, status: int
) -> None:
    with pytest.raises(RuleViolation) as refused:
        _revoke(target, wrapped, n, by)
    assert said(refused.value).status == status


def test_a_device_without_an_exchange_key_holds_up_a_new_epoch() -> None:
    devices = [*_devices()[:2], rules.Device("james-1", "james", "active", b"k3", None)]
    with pytest.raises(RuleViolation) as refused:
        rules.renew(_sealed(), ("ella", "ella-1"), devices, (1, ["ella-1", "ella-2"]), NOW)
    assert refused.value.extra["devices"] == ["james-1"]


def test_a_declined_joiner_means_new_keys_before_a_new_invite() -> None:
    state = claim(create("nb", "ella", NOW).state, "mallory", NOW).state
    state = decline(state, "ella", "mallory", NOW).state
    with pytest.raises(RuleViolation) as refused:
        open_invite(state, "ella")
    assert said(refused.value).status == 409
    mine = [rules.Device("ella-1", "ella", "active", b"k1", b"x1")]
    renewed = rules.renew(state, ("ella", "ella-1"), mine, (1, ["ella-1"]), NOW)
    assert renewed.records[0].extra["reason"] == "declined" and not renewed.state.rekey_due
    open_invite(renewed.state, "ella")


def test_a_link_waits_for_the_partner() -> None:
    with pytest.raises(RuleViolation) as refused:
        rules.open_link(create("nb", "ella", NOW).state, "ella")
    assert said(refused.value).status == 409
    rules.open_link(_sealed(), "ella")


def test_what_is_logged_must_be_sealed_in_the_current_epoch() -> None:
    state = _sealed()
    old = Entry("e", 1, "ella-1", state.head_hash, b"h" * 32, b"\x01" + bytes(300), bytes(64))
    now_in_1 = Entry(
        "e",
        1,
        "ella-1",
        state.head_hash,
        b"h" * 32,
        b"\x02\x00\x00\x00\x01" + bytes(300),
        bytes(64),
    )
    require_current_epoch(log(state, NOW, "entry", "ella", entry=old))
    with pytest.raises(RuleViolation) as refused:
        require_current_epoch(log(state, NOW, "entry", "ella", entry=now_in_1))
    assert refused.value.extra == {"epoch": 0}
    moved = log(replace(state, epoch=1), NOW, "entry", "ella", entry=old)
    with pytest.raises(RuleViolation):
        require_current_epoch(moved)
