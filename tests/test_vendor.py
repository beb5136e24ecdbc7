"""Vendored browser modules are exactly the files the npm registry published, with their licence."""

import hashlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENDOR = REPO / "src" / "unspoken" / "web" / "static" / "js" / "vendor"
PUBLISHED = {  # file -> SHA-256 of its ES module in the package tarball (vendor/README.md)
    "uqr.js": "7f0e61c2f13bb3724edee7bfb876e13c54ac9ee4fcfa283c9fa93cfb1241c325",
    "perfect-freehand.js": "a02e221f71a757e46915a51d8f5ffc8d1788d9134e063b3edd21f429c973d46c",
}


def test_vendored_files_are_unchanged_and_licensed() -> None:
    for name, digest in PUBLISHED.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
        licence = (VENDOR / name.replace(".js", "-LICENSE.txt")).read_text(encoding="utf-8")
        assert "MIT License" in licence
        assert name in (VENDOR / "README.md").read_text(encoding="utf-8")
