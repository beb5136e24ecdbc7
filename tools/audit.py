"""`make audit`: pip-audit over every package in uv.lock, saying plainly what it could not check.

The lock is exported with its hashes (`uv export`, by make) and given to pip-audit as
`-r FILE --require-hashes --disable-pip`: what is audited is exactly what any install path
installs, whether or not it is installed here.

pip-audit reports "No known vulnerabilities found" even when it could look none of the
packages up, so its exit code alone would be a false all-clear. This runs it against PyPI's
vulnerability data, then OSV's for whatever PyPI could not answer, and sums up per package:
checked and clean, vulnerable, or not checked (with why). docs/operating.md, "Dependency audit".

Exit status: 1 if a known vulnerability was found; 2 if some package could not be checked
(unless --allow-unaudited); else 0.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERVICES = ("pypi", "osv")
TIMEOUT_SECONDS = 600


@dataclass
class Audit:
    """What the services together could say about each locked package."""

    checked: dict[str, str] = field(default_factory=dict)  # name -> version
    vulnerable: dict[str, list[str]] = field(default_factory=dict)  # name -> descriptions
    unchecked: dict[str, str] = field(default_factory=dict)  # name -> why
    failures: list[str] = field(default_factory=list)  # a service that answered nothing

    def add(self, service: str, report: dict[str, Any]) -> None:
        for dependency in report.get("dependencies", []):
            name = dependency["name"]
            if "skip_reason" in dependency:
                if name not in self.checked:
                    self.unchecked[name] = f"{service}: {dependency['skip_reason']}"
                continue
            self.checked[name] = dependency["version"]
            self.unchecked.pop(name, None)
            for vuln in dependency.get("vulns", []):
                fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
                line = f"{dependency['version']} {vuln['id']} (fixed in: {fixes})"
                self.vulnerable.setdefault(name, []).append(line)

    def lines(self) -> list[str]:
        total = len(self.checked) + len(self.unchecked)
        out = [f"pip-audit checked {len(self.checked)} of {total} locked packages."]
        if not total:
            out = ["pip-audit could not check any locked package: no service answered."]
        out += [f"  service failed: {failure}" for failure in self.failures]
        for name, found in sorted(self.vulnerable.items()):
            out += [f"  VULNERABLE {name} {line}" for line in found]
        if self.unchecked:
            out.append(f"  NOT CHECKED ({len(self.unchecked)}), so this is not a clean bill:")
            out += [f"    {name}: {why}" for name, why in sorted(self.unchecked.items())]
        return out

    def status(self, allow_unaudited: bool) -> int:
        if self.vulnerable:
            return 1
        incomplete = bool(self.unchecked) or not self.checked
        return 2 if incomplete and not allow_unaudited else 0


def _run(service: str, requirements: Path) -> dict[str, Any] | str:
    """pip-audit's JSON report, or the last line it wrote when it produced none."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--vulnerability-service",
            service,
            "--requirement",
            str(requirements),
            "--require-hashes",
            "--disable-pip",
            "--desc",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            str(output),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            return f"no answer within {TIMEOUT_SECONDS} s"
        if output.is_file() and output.stat().st_size:
            report: dict[str, Any] = json.loads(output.read_text("utf-8"))
            return report
        said = (done.stderr or done.stdout).strip().splitlines()
        return said[-1] if said else f"exit status {done.returncode}, no report"


def audit(requirements: Path, services: tuple[str, ...] = SERVICES) -> Audit:
    found = Audit()
    for service in services:
        report = _run(service, requirements)
        if isinstance(report, str):
            found.failures.append(f"{service}: {report}")
        else:
            found.add(service, report)
        if found.checked and not found.unchecked:
            break
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--allow-unaudited",
        action="store_true",
        help="exit 0 when nothing is known to be vulnerable, even if some "
        "packages could not be checked (make test does, and says so)",
    )
    parser.add_argument(
        "requirements",
        type=Path,
        help="the lock exported with hashes (make: uv export --frozen --all-extras)",
    )
    arguments = parser.parse_args()
    found = audit(arguments.requirements)
    print("\n".join(found.lines()))
    return found.status(arguments.allow_unaudited)


if __name__ == "__main__":
    sys.exit(main())
