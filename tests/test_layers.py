"""Arrows only point down: each package imports only the layers below it (docs/architecture.md).

Read from the source with `ast`, imports inside functions included, so a late import cannot
slip a dependency past the layering.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "unspoken"
PURE = {"protocol", "rules", "settings", "logs", "heap"}
# What each part of the package may import, besides itself.
MAY_IMPORT: dict[str, set[str]] = {
    "protocol": set(),
    "rules": {"protocol"},
    "settings": set(),
    "logs": set(),
    "heap": set(),
    "gentle": set(),
    "client": {"protocol", "gentle"},  # the SDK speaks the protocol; none of the server
    "store": PURE,
    "broker": PURE,
    "push": PURE | {"store"},
    "server": PURE | {"store", "broker", "push"},
    "api": PURE | {"server", "push"},  # never the store: only through the application layer
    "app": PURE | {"store", "broker", "push", "server", "api"},
    "cli": PURE | {"store", "push", "server", "app"},
    "__main__": {"cli"},
    "__init__": set(),
}


def _part(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, the part of unspoken imported) for every import in one module."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            if node.module == "unspoken":  # `from unspoken import rules`
                modules = [f"unspoken.{alias.name}" for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "unspoken" and len(parts) > 1 and parts[1] != "__version__":
                yield node.lineno, parts[1]


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_part_has_a_place() -> None:
    assert {_part(path) for path in _modules()} <= set(MAY_IMPORT)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    part = _part(path)
    wrong = [
        f"line {line}: {part} imports {imported}"
        for line, imported in _imports(path)
        if imported != part and imported not in MAY_IMPORT[part]
    ]
    assert wrong == []


def test_the_check_would_catch_an_arrow_pointing_up(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from unspoken.store import notebooks\n", encoding="utf-8")
    assert list(_imports(module)) == [(2, "store")]
    assert "store" not in MAY_IMPORT["api"] and "api" not in MAY_IMPORT["server"]
    assert "push" not in MAY_IMPORT["store"] and "server" not in MAY_IMPORT["push"]
