"""The built-in function registry and the guarded call into it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from inspect import signature
from typing import Any

from zeebe.feel.builtins_camunda import CAMUNDA_BUILTINS
from zeebe.feel.builtins_context import CONTEXT_BUILTINS
from zeebe.feel.builtins_conversion import CONVERSION_BUILTINS
from zeebe.feel.builtins_list import LIST_BUILTINS
from zeebe.feel.builtins_numeric import NUMERIC_BUILTINS
from zeebe.feel.builtins_range import RANGE_BUILTINS
from zeebe.feel.builtins_string import STRING_BUILTINS
from zeebe.feel.builtins_temporal import TEMPORAL_BUILTINS
from zeebe.feel.runtime import Builtin, State, check_size
from zeebe.feel.tokens import multiword_pattern
from zeebe.feel.warnings import (
    FUNCTION_INVOCATION_FAILURE,
    NO_FUNCTION_FOUND,
    FunctionFailureError,
    describe,
    invocation_failure,
    no_function_found,
)

BUILTINS: dict[str, Builtin] = {
    **LIST_BUILTINS,
    **STRING_BUILTINS,
    **NUMERIC_BUILTINS,
    **CONTEXT_BUILTINS,
    **CONVERSION_BUILTINS,
    **TEMPORAL_BUILTINS,
    **RANGE_BUILTINS,
    **CAMUNDA_BUILTINS,
}
MULTIWORD_NAMES = multiword_pattern(BUILTINS)

# Bad arguments (wrong type, count or value) make a built-in call evaluate to null, as in FEEL.
_ARGUMENT_ERRORS = (
    TypeError,
    ValueError,
    ArithmeticError,
    AttributeError,
    KeyError,
    IndexError,
    LookupError,
    re.error,
)


def invoke_builtin(builtin: Builtin, args: Sequence[Any], state: State) -> Any:
    """Call a built-in; argument errors -> null and a warning, FeelEvaluationError propagates."""
    try:
        if builtin.needs_state:
            return check_size(builtin.fn(state, *args))
        return check_size(builtin.fn(*args))
    except FunctionFailureError as failure:
        state.warn(FUNCTION_INVOCATION_FAILURE, invocation_failure(builtin.name, str(failure)))
        return None
    except _ARGUMENT_ERRORS:
        _warn_failed_call(builtin, args, state)
        return None


def _warn_failed_call(builtin: Builtin, args: Sequence[Any], state: State) -> None:
    """FEEL-Scala picks a built-in by its parameter count (none fits: NO_FUNCTION_FOUND), and
    one whose cases do not match the arguments fails with "Illegal arguments: '1', '"a"'"."""
    try:
        signature(builtin.fn).bind(*((state,) if builtin.needs_state else ()), *args)
    except TypeError:
        state.warn(NO_FUNCTION_FOUND, no_function_found(builtin.name, len(args)))
        return
    illegal = ", ".join(f"'{describe(arg)}'" for arg in args)
    reason = f"Illegal arguments: {illegal}"
    state.warn(FUNCTION_INVOCATION_FAILURE, invocation_failure(builtin.name, reason))
