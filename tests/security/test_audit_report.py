"""make audit never turns "could not check" into a pass (tools/audit.py)."""

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "audit.py"


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dep(name: str, *vulns: str, skip: str | None = None) -> dict[str, Any]:
    if skip is not None:
        return {"name": name, "skip_reason": skip}
    found = [{"id": v, "fix_versions": ["9.9"], "description": "d"} for v in vulns]
    return {"name": name, "version": "1.0", "vulns": found}


def test_all_checked_and_clean_passes(tool: ModuleType) -> None:
    found = tool.Audit()
    found.add("pypi", {"dependencies": [_dep("a"), _dep("b")]})
    assert found.status(allow_unaudited=False) == 0
    assert found.lines() == ["pip-audit checked 2 of 2 locked packages."]


def test_a_known_vulnerability_fails_even_when_unaudited_packages_are_allowed(
    tool: ModuleType,
) -> None:
    found = tool.Audit()
    found.add("pypi", {"dependencies": [_dep("a", "PYSEC-1"), _dep("b", skip="404")]})
    assert found.status(allow_unaudited=True) == 1
    assert "  VULNERABLE a 1.0 PYSEC-1 (fixed in: 9.9)" in found.lines()


def test_a_package_nobody_could_check_is_not_a_pass(tool: ModuleType) -> None:
    found = tool.Audit()
    found.add("pypi", {"dependencies": [_dep("a"), _dep("b", skip="Dependency not found")]})
    assert found.status(allow_unaudited=False) == 2
    assert found.status(allow_unaudited=True) == 0
    assert any("not a clean bill" in line for line in found.lines())
    assert "    b: pypi: Dependency not found" in found.lines()


def test_a_second_service_can_check_what_the_first_could_not(tool: ModuleType) -> None:
    found = tool.Audit()
    found.add("pypi", {"dependencies": [_dep("a"), _dep("b", skip="404")]})
    found.add("osv", {"dependencies": [_dep("b")]})
    assert found.status(allow_unaudited=False) == 0 and found.unchecked == {}


def test_no_answer_at_all_is_not_a_pass(tool: ModuleType) -> None:
    found = tool.Audit()
    found.failures.append("osv: could not resolve the host")
    assert found.status(allow_unaudited=False) == 2
    assert found.lines()[0].startswith("pip-audit could not check any locked package")
