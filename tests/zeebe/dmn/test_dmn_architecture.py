"""zeebe.dmn is part of the pure core: no I/O (DESIGN "Pure core, I/O at the edges";
CONVENTIONS 1), so the engine can evaluate decisions inside command processing and replay."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
FORBIDDEN = frozenset(
    {"grpc", "sqlite3", "asyncio", "socket", "threading", "flask", "requests", "subprocess", "os"}
)


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_dmn_modules_import_no_io_modules() -> None:
    """No module of zeebe/dmn names an I/O module in an import statement."""
    offenders = {
        path.name: sorted(_imported_roots(path) & FORBIDDEN)
        for path in sorted((ROOT / "zeebe" / "dmn").rglob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_importing_dmn_loads_no_io_modules() -> None:
    """Transitively too: a fresh interpreter importing zeebe.dmn has no I/O module loaded."""
    watched = sorted(FORBIDDEN - {"os"})  # the interpreter itself always loads os
    probe = (
        "import sys, json; import zeebe.dmn; "
        f"print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(output) == []
