"""A database's resource faults as answers a person can act on.

A full disk, a lock held elsewhere for too long, or a lost database connection is not a bug in
the request: the API answers 503 with Retry-After, says what happened to the words, and the
SDK tries again (a retried append is stored once). Anything else stays a plain 500.
"""

from dataclasses import dataclass

from unspoken.store.writer import StoreClosed


@dataclass(frozen=True)
class Fault:
    title: str
    detail: str
    retry_after: int  # seconds


DISK_FULL = Fault(
    "Disk full", "The server's disk is full; nothing was saved. Try again in a minute.", 60
)
BUSY = Fault(
    "Database busy",
    "The server's database is busy; nothing was saved. Try again in a few seconds.",
    5,
)
# An I/O error or a lost connection can strike during COMMIT, when the outcome is unknown, so
# these two do not promise that nothing was saved: retrying an append is safe either way.
DISK_ERROR = Fault(
    "Disk error", "The server could not write to its disk. Try again in a minute.", 60
)
UNREACHABLE = Fault(
    "Database unavailable", "The server cannot reach its database. Try again in a minute.", 30
)
RESTARTING = Fault(
    "Restarting", "The server is restarting; nothing was saved. Try again in a moment.", 2
)

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE = {13: DISK_FULL, 5: BUSY, 6: BUSY, 10: DISK_ERROR, 14: DISK_ERROR}
# PostgreSQL SQLSTATEs: exact codes first, then whole classes.
_POSTGRES = {
    "53100": DISK_FULL,
    "55P03": BUSY,  # lock_not_available
    "57014": BUSY,  # query_canceled: a statement or lock timeout
    "40001": BUSY,  # serialization_failure
    "40P01": BUSY,  # deadlock_detected
    "57P01": UNREACHABLE,  # admin_shutdown
    "57P02": UNREACHABLE,  # crash_shutdown
    "57P03": UNREACHABLE,  # cannot_connect_now
}
_POSTGRES_CLASSES = {"53": BUSY, "08": UNREACHABLE, "58": DISK_ERROR}


def fault_of(exc: BaseException) -> Fault | None:
    """The resource fault behind `exc`, looking through its causes (SQLite may report a full
    disk as a failed ROLLBACK TO SAVEPOINT whose context is the SQLITE_FULL)."""
    seen: set[int] = set()
    waiting: list[BaseException | None] = [exc]
    while waiting:
        current = waiting.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        fault = _direct(current)
        if fault is not None:
            return fault
        waiting += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return None


def _direct(exc: BaseException) -> Fault | None:
    if isinstance(exc, StoreClosed):
        return RESTARTING
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE.get(code & 0xFF)
    state = getattr(exc, "sqlstate", None)
    if isinstance(state, str):
        return _POSTGRES.get(state) or _POSTGRES_CLASSES.get(state[:2])
    return None
