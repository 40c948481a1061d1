"""Where evaluation gives up on a value: the warning FEEL-Scala's interpreter records there.

Called only on those paths (a result is already null), so successful evaluations never get
here. Messages follow FEEL-Scala 1.19's FeelInterpreter (`error(...)` calls).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zeebe.feel.properties import PROPERTIES
from zeebe.feel.runtime import MISSING, State
from zeebe.feel.values import is_number, kind
from zeebe.feel.warnings import (
    INVALID_TYPE,
    NO_CONTEXT_ENTRY_FOUND,
    NO_PROPERTY_FOUND,
    NO_VARIABLE_FOUND,
    NOT_COMPARABLE,
    describe,
)

_ARITHMETIC: dict[str, Callable[[str, str], str]] = {
    "+": lambda a, b: f"Can't add '{b}' to '{a}'",
    "-": lambda a, b: f"Can't subtract '{b}' from '{a}'",
    "*": lambda a, b: f"Can't multiply '{a}' by '{b}'",
    "/": lambda a, b: f"Can't divide '{a}' by '{b}'",
}


def no_variable(name: str, state: State) -> None:
    """A name that is bound nowhere (the value is null)."""
    state.warn(NO_VARIABLE_FOUND, f"No variable found with name '{name}'")


def arithmetic_failed(op: str, a: Any, b: Any, state: State) -> None:
    """`a op b` gave null: operands that do not combine (or a division by zero)."""
    message = _ARITHMETIC.get(op)
    if message is not None:
        state.warn(INVALID_TYPE, message(describe(a), describe(b)))
        return
    for operand in (a, b):  # `**` checks its operands as numbers, left first
        if not is_number(operand):
            not_a_number(operand, state)
            return


def not_a_number(value: Any, state: State) -> None:
    """An operand that must be a number (`-x`, `x ** y`)."""
    state.warn(INVALID_TYPE, f"Expected number but found '{describe(value)}'")


def not_a_list(value: Any, state: State) -> None:
    """A filtered or iterated value that is not a list."""
    state.warn(INVALID_TYPE, f"Expected list but found '{describe(value)}'")


def not_boolean(value: Any, state: State) -> None:
    """A condition or `and`/`or` operand that is not a boolean."""
    state.warn(INVALID_TYPE, f"Expected boolean but found '{describe(value)}'")


def not_comparable(op: str, a: Any, b: Any, state: State) -> None:
    """`a op b` gave null; `!=` is FEEL-Scala's not(a = b), which then sees a null."""
    state.warn(NOT_COMPARABLE, f"Can't compare '{describe(a)}' with '{describe(b)}'")
    if op == "!=":
        not_boolean(None, state)


def not_in_range(value: Any, start: Any, end: Any, state: State) -> None:
    """`value in [start..end]` gave null."""
    bounds = f"'{describe(start)}' and '{describe(end)}'"
    state.warn(NOT_COMPARABLE, f"Can't compare '{describe(value)}' with {bounds}")


def lookup_path(value: Any, key: str, state: State) -> Any:
    """`value.key` with FEEL-Scala's warnings: a missing entry, a null context, a missing
    property; lists project the key over their items."""
    if isinstance(value, dict):
        found = value.get(key, MISSING)
        if found is not MISSING:
            return found
        keys = ", ".join(f"'{name}'" for name in value)
        detail = f"Available keys: {keys}" if value else "The context is empty"
        state.warn(NO_CONTEXT_ENTRY_FOUND, f"No context entry found with key '{key}'. {detail}")
        return None
    if isinstance(value, list):
        return [lookup_path(item, key, state) for item in value]
    if value is None:
        message = f"No context entry found with key '{key}'. The context is null"
        state.warn(NO_CONTEXT_ENTRY_FOUND, message)
        return None
    properties = PROPERTIES.get(kind(value), {})
    getter = properties.get(key)
    if getter is not None:
        return getter(value)
    names = ", ".join(f"'{name}'" for name in properties)
    message = f"No property found with name '{key}' of value '{describe(value)}'."
    state.warn(NO_PROPERTY_FOUND, f"{message} Available properties: {names}")
    return None
