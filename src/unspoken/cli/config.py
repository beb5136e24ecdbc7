"""Configuration for `unspoken serve`: flags, then UNSPOKEN_* variables, then a TOML file.

This module reads the file and explains what is wrong with it in plain words; the CLI turns
what it finds into click's defaults, so flags and environment variables still win.
"""

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unspoken.push.services import BadService, check_origin
from unspoken.settings import DatabaseURLError, broker_target, database_target, parse_origin

SECTION = "serve"
# setting → (expected type, default); the names are those of `unspoken serve`'s flags.
KNOWN: dict[str, tuple[type, Any]] = {
    "host": (str, "127.0.0.1"),
    "port": (int, 8000),
    "database": (str, "./var/unspoken.db"),
    "broker": (str, "memory"),
    "rate_limits": (bool, True),
    "metrics_token": (str, None),
    "log_format": (str, "text"),
    # Web Push (docs/operating.md): the VAPID key file, the contact for push services, and
    # push-service origins to allow besides the browsers' own (space-separated).
    "vapid_key": (str, None),
    "push_contact": (str, "mailto:unspoken@localhost"),
    "push_services": (str, ""),
    # The origin browsers reach this server at; their Origin must be exactly it (unset: the
    # request's own scheme, host and port).
    "public_origin": (str, None),
}
LOG_FORMATS = ("text", "json")


class ConfigError(ValueError):
    """The configuration file cannot be used; `problems` says why, one plain line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Resolved:
    """Every setting's value and where it came from (flag, environment, file or default)."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def env_name(setting: str) -> str:
    return "UNSPOKEN_" + setting.upper()


def load(path: Path | None) -> dict[str, Any]:
    """The file's [serve] table, checked; an absent path means no file."""
    if path is None:
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"There is no configuration file at {path}."]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path} is not valid TOML: {exc}."]) from None
    table = document.get(SECTION, {})
    problems = [
        f"Only a [{SECTION}] table is read; [{name}] is not."
        for name in document
        if name != SECTION
    ]
    if not isinstance(table, dict):
        raise ConfigError([f"'{SECTION}' must be a table: [{SECTION}]."])
    problems += [problem for key, value in table.items() for problem in _check(key, value)]
    if problems:
        raise ConfigError(problems)
    return table


def resolve(table: dict[str, Any], environ: dict[str, str] | None = None) -> Resolved:
    """What `unspoken serve` would run with, given no flags."""
    environ = dict(os.environ) if environ is None else environ
    resolved = Resolved()
    for key, (_kind, default) in KNOWN.items():
        if env_name(key) in environ:
            resolved.values[key], resolved.sources[key] = environ[env_name(key)], "environment"
        elif key in table:
            resolved.values[key], resolved.sources[key] = table[key], "file"
        else:
            resolved.values[key], resolved.sources[key] = default, "default"
    problems = _check_values(resolved.values)
    if problems:
        raise ConfigError(problems)
    return resolved


def _check(key: str, value: Any) -> list[str]:
    if key not in KNOWN:
        close = difflib.get_close_matches(key, KNOWN, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else f" Known: {', '.join(KNOWN)}."
        return [f"'{key}' is not a setting.{hint}"]
    kind = KNOWN[key][0]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        return [f"'{key}' must be {_describe(kind)}, not {value!r}."]
    return _check_values({key: value})


def _check_values(values: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if "port" in values and not 1 <= _as_int(values["port"]) <= 65535:
        problems.append(f"'port' must be between 1 and 65535, not {values['port']!r}.")
    if "log_format" in values and values["log_format"] not in LOG_FORMATS:
        problems.append(f"'log_format' must be 'text' or 'json', not {values['log_format']!r}.")
    problems += check_push(values.get("push_contact"), values.get("push_services"))
    problems += check_public_origin(values.get("public_origin"))
    for key, parse in (("database", database_target), ("broker", broker_target)):
        if key in values:
            try:
                parse(str(values[key]))
            except DatabaseURLError as exc:
                problems.append(f"'{key}': {exc}")
    if isinstance(values.get("database"), str) and "://" not in values["database"]:
        folder = Path(values["database"]).parent
        if folder.exists() and not os.access(folder, os.W_OK):
            problems.append(f"'database': the folder {folder} cannot be written to.")
    return problems


def check_push(contact: Any, services: Any) -> list[str]:
    """The Web Push settings' mistakes in plain words (None means not given)."""
    problems: list[str] = []
    if contact is not None and not str(contact).startswith(("mailto:", "https://")):
        problems.append("'push_contact' must be a mailto: address or an https:// URL.")
    for origin in str(services or "").split():
        try:
            check_origin(origin)
        except BadService:
            problems.append(f"'push_services': {origin!r} is not an origin like https://host.")
    return problems


def check_public_origin(value: Any) -> list[str]:
    """The public origin's mistake in plain words (None means not given)."""
    if value is None:
        return []
    try:
        parse_origin(str(value))
    except ValueError:
        return [
            f"'public_origin': {value!r} is not an origin like https://host or http://host:port."
        ]
    return []


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _describe(kind: type) -> str:
    return {str: "text in quotes", int: "a whole number", bool: "true or false"}[kind]
