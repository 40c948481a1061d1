"""Evaluation warnings: FEEL-Scala's suppressed failures (1.17+, EvaluationFailureType).

A FEEL evaluation that meets a problem it can recover from (a missing variable, a missing
context entry, an unknown function, a failed function call, incomparable or ill-typed
operands) goes on with null and records a warning. Zeebe (8.3+) appends them to incident
messages; a successful evaluation never looks at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeebe.feel.values import to_string

NO_VARIABLE_FOUND = "NO_VARIABLE_FOUND"
NO_CONTEXT_ENTRY_FOUND = "NO_CONTEXT_ENTRY_FOUND"
NO_PROPERTY_FOUND = "NO_PROPERTY_FOUND"
NO_FUNCTION_FOUND = "NO_FUNCTION_FOUND"
FUNCTION_INVOCATION_FAILURE = "FUNCTION_INVOCATION_FAILURE"
NOT_COMPARABLE = "NOT_COMPARABLE"
INVALID_TYPE = "INVALID_TYPE"
ASSERT_FAILURE = "ASSERT_FAILURE"


@dataclass(frozen=True, slots=True)
class EvaluationWarning:
    """One suppressed failure: its type (e.g. NO_VARIABLE_FOUND) and message."""

    type: str
    message: str

    def __str__(self) -> str:
        return f"[{self.type}] {self.message}"


class FunctionFailureError(ValueError):
    """Raised by a built-in with FEEL-Scala's reason; the call gives null and the warning
    "Failed to invoke function '<name>': <reason>"."""


def describe(value: Any) -> str:
    """A value as FEEL-Scala's Val#toString writes it in messages: strings quoted (`"99"`),
    everything else as `string()` gives it (`null`, `true`, `[1, 2]`, `{a:1}`)."""
    return f'"{value}"' if isinstance(value, str) else to_string(value)


def invocation_failure(name: str, reason: str) -> str:
    """FUNCTION_INVOCATION_FAILURE's message."""
    return f"Failed to invoke function '{name}': {reason}"


def no_function_found(name: str, count: int) -> str:
    """NO_FUNCTION_FOUND's message for a positional call."""
    return f"No function found with name '{name}' and {count} parameters"


def no_function_found_named(name: str, params: list[str]) -> str:
    """NO_FUNCTION_FOUND's message for a call with named parameters."""
    return f"No function found with name '{name}' and parameters: {','.join(params)}"
