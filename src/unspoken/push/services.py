"""Which push services this server will send to: an allowlist of origins. Pure.

A subscription names a URL the server will POST to; accepting any URL would let a member aim
the server at machines on its own network. Browsers' push services are few and well known
(settings.py DEFAULT_PUSH_SERVICES).
"""

from urllib.parse import urlsplit

MAX_URL = 2048
_DEFAULT_PORTS = {"https": 443, "http": 80}


class BadService(ValueError):
    """A push-service origin in the configuration that is not scheme://host[:port]."""


def _parts(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        raise ValueError(url)
    return parts.scheme, parts.hostname.lower(), parts.port or _DEFAULT_PORTS[parts.scheme]


def check_origin(pattern: str) -> str:
    """A configured origin, as given, if it is scheme://host[:port] (host may start with '*.')."""
    try:
        _parts(pattern.replace("*.", "wildcard.", 1))
    except ValueError:
        raise BadService(pattern) from None
    if urlsplit(pattern).path not in ("", "/"):
        raise BadService(pattern)
    return pattern.rstrip("/")


def _matches(pattern: str, scheme: str, host: str, port: int) -> bool:
    wanted_scheme, wanted_host, wanted_port = _parts(pattern.replace("*.", "wildcard.", 1))
    if (scheme, port) != (wanted_scheme, wanted_port):
        return False
    if pattern.split("://", 1)[1].startswith("*."):
        return host.endswith(wanted_host.removeprefix("wildcard"))
    return host == wanted_host


def allowed(endpoint: str, services: tuple[str, ...]) -> bool:
    """Whether the server may send to this endpoint URL."""
    if len(endpoint) > MAX_URL:
        return False
    try:
        scheme, host, port = _parts(endpoint)
    except ValueError:
        return False
    return any(_matches(pattern, scheme, host, port) for pattern in services)
