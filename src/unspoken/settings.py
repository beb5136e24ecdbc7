"""Configuration: where the data lives and the few knobs tests need (clock, timings)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

WEB_DIR = Path(__file__).parent / "web"


# Chrome and most Chromium browsers (FCM), Firefox (Mozilla autopush), Edge (WNS), Safari (APNs).
DEFAULT_PUSH_SERVICES: tuple[str, ...] = (
    "https://fcm.googleapis.com",
    "https://android.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://*.notify.windows.com",
    "https://web.push.apple.com",
    "https://*.push.apple.com",
)


def utc_now() -> datetime:
    """Now, in UTC, to the millisecond (the precision of every time on the wire)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class DatabaseURLError(ValueError):
    """A --database value we cannot serve from."""


def database_path(value: str) -> Path:
    """A SQLite file from a plain path or a sqlite:/// URL (database_target() takes PostgreSQL)."""
    scheme = urlsplit(value).scheme.lower() if "://" in value else ""
    if scheme.startswith(("postgres", "postgresql")):
        raise DatabaseURLError("A PostgreSQL URL is not a SQLite file; see database_target().")
    if scheme == "sqlite":
        rest = unquote(value.split("://", 1)[1])  # sqlite:///rel.db, sqlite:////abs.db
        if not rest.startswith("/") or rest[1:] in ("", ":memory:"):
            raise DatabaseURLError("Give a SQLite file, e.g. sqlite:///var/unspoken.db.")
        return Path(rest[1:])
    if scheme:
        raise DatabaseURLError(f"Unknown database scheme {scheme!r}; give a SQLite file path.")
    return Path(value)


def database_target(value: str) -> Path | str:
    """A SQLite file (a Path) or a PostgreSQL URL (a str, kept as given)."""
    scheme = urlsplit(value).scheme.lower() if "://" in value else ""
    if scheme.split("+")[0] in ("postgres", "postgresql"):
        if not urlsplit(value).path.strip("/"):
            raise DatabaseURLError("Name the database, e.g. postgresql://host/unspoken.")
        return value
    return database_path(value)


def broker_target(value: str) -> str:
    """'memory' (one process) or a redis:// URL (several processes sharing live events)."""
    scheme = urlsplit(value).scheme.lower() if "://" in value else value.lower()
    if scheme not in ("memory", "redis", "rediss", "unix"):
        raise DatabaseURLError("Give --broker memory or a redis://host:port URL.")
    return "memory" if scheme == "memory" else value


Origin = tuple[str, str, int]  # (scheme, host, port), as a browser's Origin header names a page
DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_origin(value: str) -> Origin:
    """(scheme, host, port) of `scheme://host[:port]`, lower-cased, the default port filled in;
    ValueError for anything else (a path, a query, no host, another scheme)."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise ValueError(f"{value!r} is not an origin like https://host.") from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in DEFAULT_PORTS or not host or parts.path not in ("", "/") or parts.query:
        raise ValueError(f"{value!r} is not an origin like https://host.")
    if parts.username or parts.password or parts.fragment:
        raise ValueError(f"{value!r} is not an origin like https://host.")
    return scheme, host, port if port is not None else DEFAULT_PORTS[scheme]


@dataclass(frozen=True)
class SqliteTuning:
    """The embedded store's knobs; the defaults are what a real server runs with."""

    busy_timeout_ms: int = 10_000  # how long a write waits for a lock held elsewhere, then 503
    max_pages: int | None = None  # tests only: the database counts as full at this many pages


@dataclass(frozen=True)
class Settings:
    database: Path | str
    clock: Callable[[], datetime] = utc_now
    invite_ttl: timedelta = timedelta(hours=24)
    max_body_bytes: int = 256 * 1024
    ping_seconds: float = 15.0
    web_dir: Path = field(default=WEB_DIR)
    broker: str = "memory"
    sweep_seconds: float = 5.0  # how often pauses that ran out are ended, and goodbyes erased
    rate_limits: bool = True  # api/ratelimit.py; the in-process test app turns them off
    metrics_token: str | None = None  # /metrics answers only to this bearer token
    sqlite: SqliteTuning = SqliteTuning()
    # Web Push (docs/operating.md): the VAPID key file (None: vapid.pem beside the SQLite file,
    # or var/vapid.pem), the contact push services may write to, and where pushes may go.
    vapid_key: Path | None = None
    push_contact: str = "mailto:unspoken@localhost"
    push_services: tuple[str, ...] = DEFAULT_PUSH_SERVICES
    # The origin browsers reach this server at (scheme://host[:port]); when set, a browser's
    # Origin must be exactly it. Unset: the request's own scheme, host and port.
    public_origin: str | None = None

    @property
    def vapid_path(self) -> Path:
        if self.vapid_key is not None:
            return self.vapid_key
        if isinstance(self.database, Path):
            return self.database.parent / "vapid.pem"
        return Path("var") / "vapid.pem"

    @classmethod
    def from_database(cls, value: str, broker: str = "memory") -> "Settings":
        return cls(database=database_target(value), broker=broker_target(broker))
