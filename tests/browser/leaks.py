"""Where a partner's words must never be: scan bytes for them in every form they could leak in.

A word could reach a file as UTF-8, as UTF-16 (SQLite can store text so), or base64-encoded
(a JSON field carrying raw bytes); each is looked for. Base64 is looked for at the three
alignments a secret can start at inside a longer encoded string.
"""

import base64
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

_MIN_ENCODED_BYTES = 6  # shorter base64 runs could turn up in random ciphertext by chance
# Chunked transfer coding puts "\r\n<size>\r\n" between chunks; a word could straddle one.
_CHUNK_SEAM = re.compile(rb"\r\n[0-9a-fA-F]+\r\n")


def forms(secret: str) -> dict[str, bytes]:
    """Every byte string that betrays `secret`, by the name of its encoding."""
    raw = secret.encode("utf-8")
    found = {name: secret.encode(name) for name in ("utf-8", "utf-16-le", "utf-16-be")}
    for start in range(3):
        usable = (len(raw) - start) // 3 * 3
        if usable < _MIN_ENCODED_BYTES:
            continue
        chunk = raw[start : start + usable]
        found[f"base64+{start}"] = base64.b64encode(chunk)
        found[f"base64url+{start}"] = base64.urlsafe_b64encode(chunk)
    return found


def leaks(data: bytes, secrets: Iterable[str]) -> list[str]:
    """'secret (form)' for each secret found in `data`, also across chunked-coding seams."""
    joined = _CHUNK_SEAM.sub(b"", data)
    return [
        f"{secret!r} ({name})"
        for secret in secrets
        for name, form in forms(secret).items()
        if form in data or form in joined
    ]


def stored_bytes(paths: Iterable[Path]) -> Iterator[tuple[Path, bytes]]:
    """Each file, and for a SQLite file its write-ahead log and shared-memory file too."""
    for path in paths:
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if candidate.exists():
                yield candidate, candidate.read_bytes()


def assert_no_plaintext(paths: Iterable[Path], secrets: Iterable[str]) -> None:
    secrets = list(secrets)
    for path, data in stored_bytes(paths):
        found = leaks(data, secrets)
        assert not found, f"plaintext in {path}: {found}"
