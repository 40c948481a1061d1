"""Shared check for the documented-example tables (`test_feel_docs_*.py`).

Each row is an expression and its documented result written as JSON text; both sides are
compared as canonical JSON so that `1` and `true` or `2` and `2.0` stay distinct.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from zeebe.feel import evaluate, to_json_value

# The clock of the docs' `now()`/`today()` examples (temporal functions page).
DOCS_NOW = datetime(2020, 7, 31, 12, 27, 30, tzinfo=UTC)


def canonical(value: Any) -> str:
    """JSON text with sorted keys: the form both sides are compared in."""
    return json.dumps(value, sort_keys=True)


def result_json(expression: str, variables: Mapping[str, Any] | None = None) -> str:
    """Evaluate at DOCS_NOW and render the result as Zeebe would store it."""
    value = evaluate(expression, variables or {}, now=DOCS_NOW)
    return canonical(to_json_value(value))


def expected_json(text: str) -> str:
    """The documented result (JSON text) in canonical form."""
    return canonical(json.loads(text))
