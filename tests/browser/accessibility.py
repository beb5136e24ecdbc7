"""Accessibility checks run on a live page: axe-core's WCAG rules, touch-target sizes, and reflow.

axe-core is the npm package pinned in package.json (`make` installs it into node_modules/). Its
source is evaluated through the DevTools protocol, which the page's strict CSP does not govern,
so the app's own policy stays exactly as served while it is checked.
"""

from typing import Any

import pytest
from playwright.sync_api import Page

from .helpers import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCHEMES = ("light", "dark")
MIN_TARGET = 44  # CSS px, both ways, at phone width

# Contrast axe could not measure (text over a gradient or an image) counts as a failure too: a
# check that cannot see the colours has not passed them.
_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  const unmeasured = result.incomplete
    .filter((rule) => rule.id === "color-contrast")
    .map((rule) => ({ ...rule, id: "color-contrast-unmeasured", nodes: rule.nodes.filter(
      (node) => /gradient|image|pseudo/i.test(node.any.map((check) => check.message).join(" "))) }))
    .filter((rule) => rule.nodes.length);
  return [...result.violations, ...unmeasured].map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary ??
      n.any.map((check) => check.message).join(" ")}`),
  }));
}"""

# Finite animations (words inking in) are played to their end, so colours are measured as they
# settle; endless ones (the breathing dot) carry no text.
_SETTLE = """() => {
  for (const animation of document.getAnimations()) {
    if (animation.effect?.getComputedTiming().iterations !== Infinity) animation.finish();
  }
}"""

# Each control as a finger meets it: a control inside a <label> is the whole label.
_SMALL_TARGETS = """(minimum) => {
  const controls = "button, a[href], input:not([type=hidden]), select, textarea, summary";
  const small = [];
  const measured = new Set();
  for (const control of document.querySelectorAll(controls)) {
    const field = control.matches("input, select, textarea");
    const target = (field && control.closest("label")) || control;
    if (measured.has(target)) continue;
    measured.add(target);
    if (!target.checkVisibility({ visibilityProperty: true })) continue;
    const box = target.getBoundingClientRect();
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      const name = (target.textContent || target.getAttribute("aria-label") || "").trim();
      small.push(`${target.tagName.toLowerCase()}.${target.className} "${name.slice(0, 40)}" `
        + `${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""

# What sticks out of the viewport sideways: a page that scrolls, or content cut off.
_OVERFLOW = """async () => {
  // Layout that follows a resize (a ResizeObserver) settles within a frame or two.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) {
    out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  }
  for (const element of document.body.querySelectorAll("*")) {
    if (!element.checkVisibility({ visibilityProperty: true })) continue;
    if (element.closest(".visually-hidden")) continue;
    const box = element.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) {
      out.push(`${element.tagName.toLowerCase()}.${element.className} spans ${Math.round(box.left)}`
        + `–${Math.round(box.right)}`);
    }
  }
  return out.slice(0, 10);
}"""


def _axe_source() -> str:
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE}: run `make node_modules`")
    return AXE.read_text("utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    page.evaluate(_SETTLE)
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, WCAG_TAGS)
    return violations


def axe_in_both_schemes(page: Page) -> list[str]:
    """axe-core's violations in the light and then the dark scheme, one line each; the page is
    left in the light scheme."""
    found = []
    for scheme in SCHEMES:
        in_scheme(page, scheme)
        found += [f"{scheme}: {v['id']} — {v['help']}: {v['nodes']}" for v in axe_violations(page)]
    in_scheme(page, "light")
    return found


def small_targets(page: Page) -> list[str]:
    """Buttons, links, inputs, summaries and label-wrapped controls under 44×44 CSS px."""
    found: list[str] = page.evaluate(_SMALL_TARGETS, MIN_TARGET)
    return found


def overflowing(page: Page) -> list[str]:
    """Horizontal scrolling or elements reaching past the viewport's sides."""
    found: list[str] = page.evaluate(_OVERFLOW)
    return found


def in_scheme(page: Page, scheme: str) -> None:
    """Show the page as prefers-color-scheme `scheme` asks."""
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
