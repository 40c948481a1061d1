"""The pure core imports no I/O (DESIGN 3: "Pure core, I/O at the edges"; CONVENTIONS 1)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
PURE_PACKAGES = ("zeebe/engine", "zeebe/state", "zeebe/model", "zeebe/feel")
FORBIDDEN = frozenset(
    {"grpc", "sqlite3", "asyncio", "socket", "threading", "flask", "requests", "subprocess"}
)


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_no_io_modules(package: str) -> None:
    """No module of the pure core names an I/O module in an import statement."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN)
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_engine_loads_no_io_modules() -> None:
    """Transitively too: a fresh interpreter importing the engine has no I/O module loaded."""
    probe = (
        "import sys, json; import zeebe.engine.engine, zeebe.feel, zeebe.model.parser; "
        f"print(json.dumps(sorted(m for m in {sorted(FORBIDDEN)!r} if m in sys.modules)))"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
