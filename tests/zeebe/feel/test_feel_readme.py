"""The examples in zeebe/feel/README.md are executed (CONVENTIONS: untested examples rot)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from zeebe.feel import evaluate, to_json_value

pytestmark = pytest.mark.unit

README = Path(__file__).resolve().parents[3] / "zeebe" / "feel" / "README.md"


def _examples() -> list[tuple[str, str]]:
    block = re.search(r"```feel\n(.*?)```", README.read_text(), re.DOTALL)
    assert block is not None, "README has no ```feel block"
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    return [(left.strip(), right.strip()) for left, right in (ln.split("==>") for ln in lines)]


@pytest.mark.parametrize(("source", "expected"), _examples())
def test_readme_example(source: str, expected: str) -> None:
    """Each README example evaluates to the JSON value written after `==>`."""
    assert to_json_value(evaluate(source, {})) == json.loads(expected)


def test_readme_python_snippet() -> None:
    """The README's Python snippet runs and gives the commented result (`# True`)."""
    snippet = re.search(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert snippet is not None
    code = snippet.group(1).replace("condition.evaluate(", "result = condition.evaluate(", 1)
    namespace: dict[str, object] = {}
    exec(code, namespace)  # our own documentation, not external input
    assert namespace["result"] is True
