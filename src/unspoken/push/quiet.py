"""Quiet hours: a span of the day, on the device's own clock, when nothing is sent. Pure."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class UnknownZone(ValueError):
    """Not an IANA time zone name this server knows."""


def zone(name: str) -> ZoneInfo:
    """The IANA zone, refusing paths and names the tz database does not have."""
    if not name or name.startswith(("/", ".")) or ".." in name or len(name) > 64:
        raise UnknownZone(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownZone(name) from None


@dataclass(frozen=True)
class QuietHours:
    """From `start` to `end`, minutes after local midnight in `zone_name`; may wrap midnight."""

    start: int
    end: int
    zone_name: str

    def minute_of_day(self, now: datetime) -> int:
        local = now.astimezone(zone(self.zone_name))
        return local.hour * 60 + local.minute

    def covers(self, now: datetime) -> bool:
        minute = self.minute_of_day(now)
        if self.start == self.end:
            return False  # an empty span: never quiet
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end


def as_minutes(text: str) -> int:
    """'22:30' → 1350; ValueError for anything that is not a time of day as HH:MM."""
    hours, _, minutes = text.partition(":")
    if len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(text)
    value = int(hours) * 60 + int(minutes)
    if int(hours) > 23 or int(minutes) > 59:
        raise ValueError(text)
    return value


def as_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
