"""The app shell the service worker keeps: every file the browser client needs to open offline,
and a version that is a hash of their contents, so any change installs a fresh cache."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

PLACEHOLDER = "/*SHELL*/null"
SKIPPED = frozenset({".txt"})  # the fonts' licences travel with the code, not to the device


@dataclass(frozen=True)
class Shell:
    version: str
    files: tuple[str, ...]


def _static_files(web_dir: Path) -> list[Path]:
    static = web_dir / "static"
    found = static.rglob("*") if static.is_dir() else iter(())
    return sorted(p for p in found if p.is_file() and p.suffix not in SKIPPED)


def _stamp(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


class ShellCache:
    """Rehashes only when a file changed (by mtime and size): cheap on every /sw.js request."""

    def __init__(self, web_dir: Path) -> None:
        self.web_dir = web_dir
        self._seen: tuple[tuple[str, int, int], ...] | None = None
        self._shell = Shell("", ())

    def _sources(self) -> list[Path]:
        named = [self.web_dir / n for n in ("index.html", "manifest.webmanifest", "sw.js")]
        return [p for p in named if p.is_file()] + _static_files(self.web_dir)

    def shell(self) -> Shell:
        sources = self._sources()
        stamp = _stamp(sources)
        if stamp != self._seen:
            digest = hashlib.sha256()
            for path in sources:
                digest.update(str(path.relative_to(self.web_dir)).encode() + b"\0")
                digest.update(path.read_bytes())
            files = ["/", "/manifest.webmanifest"] + [
                "/" + str(p.relative_to(self.web_dir)) for p in _static_files(self.web_dir)
            ]
            self._shell, self._seen = Shell(digest.hexdigest()[:16], tuple(files)), stamp
        return self._shell

    def worker(self) -> str:
        """sw.js with the shell written in: a new shell is a new worker, so browsers update."""
        shell = self.shell()
        source = (self.web_dir / "sw.js").read_text(encoding="utf-8")
        data = json.dumps({"version": shell.version, "files": list(shell.files)})
        return source.replace(PLACEHOLDER, data, 1)
