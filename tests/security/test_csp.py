"""The page and every static file come with the strict policy, and need nothing it forbids.

A policy with `script-src 'self'` only holds if the shell has no inline script or style and
the code never turns strings into code or markup; both are checked here, file by file.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from unspoken.settings import WEB_DIR

STATIC = WEB_DIR / "static"
PAGES = ("/", "/join/AAAAAAAAAAAAAAAAAAAAAA", "/n/AAAAAAAAAAAAAAAAAAAAAA")
# Directives a strict policy must hold, and sources it must never allow.
REQUIRED = {
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "style-src": "'self'",
}
FORBIDDEN_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*", "http:")
STRING_TO_CODE = re.compile(
    r"\beval\s*\(|\bnew\s+Function\s*\(|\bset(?:Timeout|Interval)\s*\(\s*[\"'`]"
    r"|\.(?:inner|outer)HTML\s*=|insertAdjacentHTML|document\.write"
)


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in directives}


def assert_strict(response: httpx.Response) -> None:
    policy = _policy(response.headers["content-security-policy"])
    for directive, source in REQUIRED.items():
        assert policy.get(directive) == [source], (directive, policy.get(directive))
    for directive in ("script-src", "style-src", "default-src", "connect-src"):
        assert not set(policy.get(directive, [])) & set(FORBIDDEN_SOURCES), directive
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert not any(name.startswith("access-control-") for name in response.headers)


def _static_files() -> list[Path]:
    return sorted(path for path in STATIC.rglob("*") if path.is_file())


def test_there_are_static_files_to_check() -> None:
    assert len(_static_files()) > 20
    assert (WEB_DIR / "index.html").is_file()


async def test_every_page_and_static_file_has_the_strict_policy(
    client: httpx.AsyncClient,
) -> None:
    urls = [*PAGES, *("/static/" + p.relative_to(STATIC).as_posix() for p in _static_files())]
    for url in urls:
        response = await client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
    for missing in ("/static/nothing.js", "/nothing", "/v1/nothing"):
        assert_strict(await client.get(missing))  # refusals too


class _Inline(HTMLParser):
    """Collects anything in the page that a strict policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            self._in_script = True
            if not names.get("src"):
                self.found.append("<script> without src")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append("inline script text")


def test_the_page_shell_has_no_inline_script_or_style() -> None:
    parser = _Inline()
    parser.feed((WEB_DIR / "index.html").read_text("utf-8"))
    assert parser.found == []


@pytest.mark.parametrize(
    "path", sorted(STATIC.rglob("*.js")), ids=lambda p: p.relative_to(STATIC).as_posix()
)
def test_the_browser_code_never_turns_strings_into_code(path: Path) -> None:
    found = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if STRING_TO_CODE.search(line) and not line.lstrip().startswith("//")
    ]
    assert found == []


def test_the_string_to_code_pattern_catches_what_it_should() -> None:
    for bad in (
        "eval(x)",
        "new Function('a', b)",
        "setTimeout('go()', 1)",
        "el.innerHTML = text",
        "x.insertAdjacentHTML('beforeend', s)",
    ):
        assert STRING_TO_CODE.search(bad), bad
    assert not STRING_TO_CODE.search("setTimeout(() => go(), 1); evaluate(x)")
