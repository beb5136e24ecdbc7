"""Rasterise the app's icon (web/static/icons/icon.svg) into the PNGs the manifest and iOS use.

Run after changing the SVG: `.venv/bin/python tools/make_icons.py`. It drives Debian's Chromium
through Playwright (the browser tests' own tools), so no image library is needed. The maskable
icon shrinks the drawing into the safe circle (80 % of the width) that Android may crop to.
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parents[1] / "src" / "unspoken" / "web" / "static" / "icons"
CHROMIUM = "/usr/bin/chromium"
# name → (size in pixels, scale of the drawing inside the square)
OUTPUTS = {
    "icon-192.png": (192, 1.0),
    "icon-512.png": (512, 1.0),
    "icon-maskable-512.png": (512, 0.78),
    "apple-touch-icon.png": (180, 0.92),
}


def _svg(scale: float) -> str:
    source = (ICONS / "icon.svg").read_text(encoding="utf-8")
    return re.sub(r"scale\(1\)", f"scale({scale})", source, count=1)


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, (size, scale) in OUTPUTS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0}svg{display:block;width:100vw;height:100vh}</style>"
                + _svg(scale)
            )
            page.screenshot(path=ICONS / name)
            page.close()
            print(f"wrote {name} ({size}×{size})", file=sys.stderr)
        browser.close()


if __name__ == "__main__":
    main()
