"""The pure parts: which notice a record earns, quiet hours, and the push-service allowlist."""

from datetime import UTC, datetime

import pytest

from unspoken.push.notices import Notice, notices_for
from unspoken.push.quiet import QuietHours, as_minutes
from unspoken.push.services import BadService, allowed, check_origin
from unspoken.rules import Record
from unspoken.settings import DEFAULT_PUSH_SERVICES

AT = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def _record(kind: str, member: str = "ella", **extra: object) -> Record:
    return Record(1, kind, AT, member, extra=extra)


def test_records_earn_their_notices() -> None:
    assert notices_for([_record("entry")]) == [Notice("new", not_to="ella")]
    assert notices_for([_record("pen.passed", to="james")]) == [Notice("pen", to="james")]
    assert notices_for([_record("pause.ended", reason="ready")]) == [Notice("ready", not_to="ella")]
    assert notices_for([_record("pause.ended", reason="expired")]) == [Notice("pause-ended")]
    # a pause that ends with a goodbye: the goodbye is the news, not "you may write again"
    goodbye = [_record("pause.ended", reason="left"), _record("member.left", "james")]
    assert notices_for(goodbye) == [Notice("new", not_to="james")]
    assert notices_for([_record("profile.updated"), _record("member.approved")]) == []
    # one commit, two records of news: one notice
    closed_and_opened = [_record("chapter.closed"), _record("chapter.opened")]
    assert notices_for(closed_and_opened) == [Notice("new", not_to="ella")]


def test_a_notice_reaches_only_its_audience() -> None:
    assert Notice("new", not_to="ella").reaches("james")
    assert not Notice("new", not_to="ella").reaches("ella")
    assert Notice("pen", to="james").reaches("james")
    assert not Notice("pen", to="james").reaches("ella")
    assert Notice("pause-ended").reaches("ella") and Notice("pause-ended").reaches("james")


@pytest.mark.parametrize(
    ("start", "end", "zone", "now", "quiet"),
    [
        ("22:00", "07:00", "Europe/Paris", datetime(2026, 1, 1, 21, 30, tzinfo=UTC), True),
        ("22:00", "07:00", "Europe/Paris", datetime(2026, 1, 1, 20, 59, tzinfo=UTC), False),
        ("22:00", "07:00", "Europe/Paris", datetime(2026, 1, 2, 5, 59, tzinfo=UTC), True),
        ("22:00", "07:00", "Europe/Paris", datetime(2026, 1, 2, 6, 0, tzinfo=UTC), False),
        # summer time: 07:00 in Paris is 05:00 UTC
        ("22:00", "07:00", "Europe/Paris", datetime(2026, 7, 2, 5, 30, tzinfo=UTC), False),
        ("13:00", "14:00", "Asia/Tokyo", datetime(2026, 7, 2, 4, 30, tzinfo=UTC), True),
        ("09:00", "09:00", "UTC", datetime(2026, 7, 2, 9, 0, tzinfo=UTC), False),
    ],
)
def test_quiet_hours_follow_the_devices_clock(
    start: str, end: str, zone: str, now: datetime, quiet: bool
) -> None:
    assert QuietHours(as_minutes(start), as_minutes(end), zone).covers(now) is quiet


@pytest.mark.parametrize("text", ["7:00", "24:00", "12:60", "ab:cd", "", "12:345"])
def test_a_time_of_day_is_hh_mm(text: str) -> None:
    with pytest.raises(ValueError):
        as_minutes(text)


@pytest.mark.parametrize(
    ("endpoint", "ok"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", True),
        ("https://updates.push.services.mozilla.com/wpush/v2/abc", True),
        ("https://wns2-par02p.notify.windows.com/w/?token=abc", True),
        ("https://web.push.apple.com/QGx", True),
        ("http://fcm.googleapis.com/fcm/send/abc", False),
        ("https://fcm.googleapis.com:8443/fcm/send/abc", False),
        ("https://evil.example/fcm.googleapis.com", False),
        ("https://fcm.googleapis.com.evil.example/x", False),
        ("https://notify.windows.com.evil.example/x", False),
        ("https://user@fcm.googleapis.com/x", False),
        ("https://127.0.0.1/x", False),
        ("file:///etc/passwd", False),
        ("https://fcm.googleapis.com/" + "a" * 2100, False),
    ],
)
def test_only_known_push_services_are_sent_to(endpoint: str, ok: bool) -> None:
    assert allowed(endpoint, DEFAULT_PUSH_SERVICES) is ok


def test_a_configured_service_must_be_an_origin() -> None:
    assert check_origin("https://push.example.org/") == "https://push.example.org"
    assert check_origin("http://127.0.0.1:9000") == "http://127.0.0.1:9000"
    for bad in ("push.example.org", "https://push.example.org/path", "ftp://x"):
        with pytest.raises(BadService):
            check_origin(bad)
