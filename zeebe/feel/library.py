"""The built-in function registry and the guarded call into it."""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    """Call a built-in; argument errors -> null, FeelEvaluationError propagates."""
    try:
        if builtin.needs_state:
            return check_size(builtin.fn(state, *args))
        return check_size(builtin.fn(*args))
    except _ARGUMENT_ERRORS:
        return None
