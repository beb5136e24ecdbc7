"""An installable app, checked as Lighthouse checks it: a manifest with a name, a start URL in
scope, a standalone display and PNG icons of 192 and 512 pixels that really load; a service
worker that controls the page and answers its requests; no flash of unstyled content."""

import json
import re
import struct
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page

from .helpers import PHONE, REPO, person

pytestmark = pytest.mark.browser
STATIC = REPO / "src" / "unspoken" / "web" / "static"

CONTROLLED = """async () => {
  const registration = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((ok) => navigator.serviceWorker.addEventListener("controllerchange", ok));
  }
  return {scope: registration.scope, script: registration.active.scriptURL,
          secure: window.isSecureContext,
          controller: navigator.serviceWorker.controller.scriptURL};
}"""

CACHED = """async () => {
  const names = await caches.keys();
  const urls = [];
  for (const name of names) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return {names, urls};
}"""


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; refuses anything that is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


class _Head(HTMLParser):
    """The order of elements in the page: which come before <body>."""

    def __init__(self) -> None:
        super().__init__()
        self.in_body = False
        self.head: list[dict[str, str]] = []
        self.body_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        elif self.in_body:
            self.body_tags.append(tag)
        else:
            self.head.append({"tag": tag, **{k: v or "" for k, v in attrs}})


def _controlled(page: Page) -> dict[str, object]:
    found: dict[str, object] = page.evaluate(CONTROLLED)
    return found


def test_the_manifest_and_worker_pass_the_installability_checks(
    browser: Browser, live_server
) -> None:
    errors: list[str] = []
    page = person(browser, PHONE, live_server.url, errors)
    page.goto("/")
    worker = _controlled(page)
    origin = live_server.url
    assert worker["secure"] is True  # localhost counts as a secure context
    assert worker["scope"] == origin + "/"
    assert worker["script"] == worker["controller"] == origin + "/sw.js"

    link = page.locator("head link[rel=manifest]").get_attribute("href")
    response = httpx.get(urljoin(origin, link))
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "Unspoken" and 0 < len(manifest["short_name"]) <= 12
    scope = urljoin(origin, manifest["scope"])
    assert urljoin(origin, manifest["start_url"]).startswith(scope)
    assert manifest["display"] in ("standalone", "fullscreen", "minimal-ui")
    # The manifest's colour is the light scheme's; the dark one has a meta of its own.
    light = 'head meta[name=theme-color][media="(prefers-color-scheme: light)"]'
    theme = page.locator(light).get_attribute("content")
    assert manifest["theme_color"] == theme
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])

    sizes: dict[str, set[int]] = {"any": set(), "maskable": set()}
    for icon in manifest["icons"]:
        fetched = httpx.get(urljoin(origin, icon["src"]))
        assert fetched.status_code == 200, icon
        if icon["type"] != "image/png":
            continue
        assert fetched.headers["content-type"] == "image/png"
        width, height = png_size(fetched.content)
        assert f"{width}x{height}" == icon["sizes"] and width == height
        sizes[icon["purpose"]].add(width)
    assert {192, 512} <= sizes["any"] and 512 in sizes["maskable"]

    apple = page.locator("head link[rel=apple-touch-icon]").get_attribute("href")
    assert png_size(httpx.get(urljoin(origin, apple)).content) == (180, 180)
    for name, content in [
        ("apple-mobile-web-app-capable", "yes"),
        ("apple-mobile-web-app-title", "Unspoken"),
    ]:
        assert page.locator(f"head meta[name={name}]").get_attribute("content") == content
    assert page.locator("head meta[name=apple-mobile-web-app-status-bar-style]").count() == 1

    # The worker answers the page: after a reload, the page and its files come through it.
    page.reload()
    _controlled(page)
    timing = page.evaluate("""() => ({
      page: performance.getEntriesByType("navigation")[0].workerStart,
      files: performance.getEntriesByType("resource")
        .filter((e) => new URL(e.name).pathname.startsWith("/static/"))
        .map((e) => [e.name, e.workerStart])})""")
    assert timing["page"] > 0
    assert timing["files"] and all(start > 0 for _, start in timing["files"]), timing
    assert errors == []


def test_the_worker_is_served_fresh_and_the_csp_allows_only_itself(live_server) -> None:
    worker = httpx.get(live_server.url + "/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert worker.headers["service-worker-allowed"] == "/"
    assert "/*SHELL*/" not in worker.text
    csp = httpx.get(live_server.url + "/").headers["content-security-policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp
    assert "script-src 'self';" in csp and "unsafe" not in csp


def test_the_shell_is_cached_whole_under_its_version(browser: Browser, live_server) -> None:
    errors: list[str] = []
    page = person(browser, PHONE, live_server.url, errors)
    page.goto("/")
    _controlled(page)
    cached = page.evaluate(CACHED)
    shell = json.loads(
        re.search(r"const SHELL = (\{.*?\});", httpx.get(live_server.url + "/sw.js").text)[1]
    )
    assert cached["names"] == [f"unspoken-shell-{shell['version']}"]
    wanted = {"/", "/manifest.webmanifest"} | {
        "/static/" + str(p.relative_to(STATIC))
        for p in STATIC.rglob("*")
        if p.is_file() and p.suffix in (".js", ".css", ".woff2", ".json", ".png", ".svg")
    }
    assert wanted <= set(cached["urls"]), wanted - set(cached["urls"])
    assert "/static/gentle/rules.json" in cached["urls"]
    # The vocabulary shared with Python: the pages cannot follow the log offline without it.
    vocabulary = {"/static/vocabulary/records.json", "/static/vocabulary/safety-words.json"}
    assert vocabulary <= set(cached["urls"])
    assert not [u for u in cached["urls"] if u.startswith("/v1/")]
    assert errors == []


def test_there_is_no_flash_of_unstyled_content(live_server) -> None:
    html = httpx.get(live_server.url + "/").text
    page = _Head()
    page.feed(html)
    styles = [e["href"] for e in page.head if e["tag"] == "link" and e.get("rel") == "stylesheet"]
    assert styles, "stylesheets must be in the head"
    assert "link" not in page.body_tags and "style" not in page.body_tags
    scripts = [e for e in page.head if e["tag"] == "script"]
    assert all(s.get("type") == "module" for s in scripts)  # deferred: never blocks the first paint
    preloads = [e for e in page.head if e.get("rel") == "preload" and e.get("as") == "font"]
    assert preloads and all("crossorigin" in e for e in preloads)
    for href in styles:
        css = httpx.get(urljoin(live_server.url, href)).text
        for face in re.findall(r"@font-face\s*{[^}]*}", css):
            assert re.search(r"font-display:\s*(swap|fallback|optional)", face), face
    fonts = Path(STATIC / "css" / "fonts.css").read_text()
    assert fonts.count("@font-face") >= 5
    assert urlsplit(live_server.url).hostname == "127.0.0.1"
