"""Expression evaluation for the engine: static values pass through, FEEL goes to `zeebe.feel`.

Failures are values (`Failure`), never exceptions: callers turn them into incidents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from zeebe.feel import (
    EvaluationWarning,
    FeelAssertionError,
    FeelEvaluationError,
    FeelSyntaxError,
    compile_expression,
    feel_type_name,
    to_json_value,
)
from zeebe.feel.values import is_number
from zeebe.model.elements import Expression

__all__ = [
    "Failure",
    "evaluate",
    "evaluate_string_list",
    "evaluate_typed",
    "is_number",
    "to_json",
    "type_name",
    "warnings_suffix",
]


@dataclass(frozen=True, slots=True)
class Failure:
    """Why an expression could not be evaluated (becomes an incident message)."""

    message: str


def evaluate(expression: Expression, variables: Mapping[str, Any], now_ms: int) -> Any:
    """Evaluate; returns the Python value, or a `Failure`.

    Messages name the expression as Zeebe does: without the `=` and the blanks around it
    ('assert(x, ...)'). `compile_expression` caches compiled expressions itself.
    """
    if not expression.is_feel:
        return expression.source
    text = expression.source.strip()
    try:
        compiled = compile_expression(text)
    except FeelSyntaxError as error:
        # Its message already reads "failed to parse expression '<text>': ...".
        return Failure(str(error))
    now = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    try:
        return compiled.evaluate(variables, now=now)
    except FeelAssertionError as error:
        # FEEL-Scala's FeelEngine names an assert failure so; Zeebe appends the warnings
        message = f"Assertion failure on evaluate the expression '{text}': {error}"
        return Failure(message + _suffix(error.warnings))
    except FeelEvaluationError as error:
        message = f"failed to evaluate expression '{text}': {error}"
        return Failure(message + _suffix(error.warnings))


def _suffix(warnings: tuple[EvaluationWarning, ...]) -> str:
    """ExpressionProcessor.createFailureMessage: since Zeebe 8.3 a failure message ends with
    the evaluation's warnings, one `[TYPE] message` per line (nothing if there are none)."""
    if not warnings:
        return ""
    lines = "\n".join(str(warning) for warning in warnings)
    return f" The evaluation reported the following warnings:\n{lines}"


def warnings_suffix(expression: Expression, variables: Mapping[str, Any], now_ms: int) -> str:
    """The warnings suffix for a failure about the value `evaluate` returned (a wrong type):
    evaluates once more, with warnings, only on that failure path, so that successful
    evaluations stay as cheap as before. The same variables and clock give the same run."""
    if not expression.is_feel:
        return ""
    compiled = compile_expression(expression.source.strip())
    now = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    try:
        return _suffix(compiled.evaluate_with_warnings(variables, now=now).warnings)
    except FeelEvaluationError as error:  # cannot happen after a value; keep it total
        return _suffix(error.warnings)


# FEEL type -> Zeebe's ResultType (io.camunda.zeebe.el.ResultType), the name its messages print
_RESULT_TYPES = {
    "NULL": "NULL",
    "BOOLEAN": "BOOLEAN",
    "NUMBER": "NUMBER",
    "STRING": "STRING",
    "DAYS_TIME_DURATION": "DURATION",
    "YEARS_MONTHS_DURATION": "PERIOD",
    "DATE": "DATE",
    "DATE_TIME": "DATE_TIME",
    "LIST": "ARRAY",
    "CONTEXT": "OBJECT",
}


def type_name(value: Any) -> str:
    """The result type Zeebe prints in incident messages ('NULL', 'STRING', 'ARRAY', 'OBJECT',
    'DURATION', 'PERIOD', ...); other FEEL values (times, functions, ranges) are 'UNKNOWN'."""
    return _RESULT_TYPES.get(str(feel_type_name(value)).upper(), "UNKNOWN")


def to_json(value: Any) -> Any:
    """Convert a FEEL result to a JSON-compatible value."""
    if value is None or type(value) in (bool, int, str):
        return value
    return to_json_value(value)


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def _is_boolean(value: Any) -> bool:
    return isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return bool(is_number(value))


_CHECKS: dict[str, Callable[[Any], bool]] = {
    "STRING": _is_string,
    "NUMBER": _is_number,
    "BOOLEAN": _is_boolean,
}


def evaluate_typed(
    expression: Expression, variables: Mapping[str, Any], now_ms: int, expected: str
) -> Any:
    """Evaluate and check the result type (STRING, NUMBER, BOOLEAN), Zeebe's message on mismatch."""
    value = evaluate(expression, variables, now_ms)
    if isinstance(value, Failure):
        return value
    if expected == "NUMBER" and not expression.is_feel:
        try:
            return int(expression.source.strip())
        except ValueError:
            return Failure(
                f"Expected result of the expression '{expression.source.strip()}' to be a number"
            )
    if _CHECKS[expected](value):
        return value
    return Failure(
        f"Expected result of the expression '{expression.source.strip()}' to be '{expected}', "
        f"but was '{type_name(value)}'." + warnings_suffix(expression, variables, now_ms)
    )


def evaluate_string_list(
    expression: Expression, variables: Mapping[str, Any], now_ms: int
) -> list[str] | Failure:
    """Evaluate to a list of strings, with ExpressionProcessor.evaluateArrayOfStringsExpression's
    two failure texts (not an array / an item that is not a string)."""
    value = evaluate(expression, variables, now_ms)
    if isinstance(value, Failure):
        return value
    source = expression.source.strip()
    if not isinstance(value, list):
        return Failure(
            f"Expected result of the expression '{source}' to be 'ARRAY', "
            f"but was '{type_name(value)}'." + warnings_suffix(expression, variables, now_ms)
        )
    if not all(isinstance(item, str) for item in value):
        return Failure(
            f"Expected result of the expression '{source}' to be 'ARRAY' containing 'STRING' "
            "items, but was 'ARRAY' containing at least one non-'STRING' item."
            + warnings_suffix(expression, variables, now_ms)
        )
    return list(value)
