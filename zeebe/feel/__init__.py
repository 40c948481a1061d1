"""FEEL (Friendly Enough Expression Language) as Zeebe evaluates it, after FEEL-Scala.

Compile once with `compile_expression`, evaluate many times; runtime problems yield null.
"""

from __future__ import annotations

from zeebe.feel.durations import DaysTimeDuration, YearsMonthsDuration
from zeebe.feel.errors import FeelAssertionError, FeelEvaluationError, FeelSyntaxError
from zeebe.feel.expression import (
    CompiledExpression,
    Evaluation,
    compile_expression,
    evaluate,
    evaluate_with_warnings,
    variable_names,
)
from zeebe.feel.values import feel_type_name, to_json_value
from zeebe.feel.warnings import EvaluationWarning

__all__ = [
    "CompiledExpression",
    "DaysTimeDuration",
    "Evaluation",
    "EvaluationWarning",
    "FeelAssertionError",
    "FeelEvaluationError",
    "FeelSyntaxError",
    "YearsMonthsDuration",
    "compile_expression",
    "evaluate",
    "evaluate_with_warnings",
    "feel_type_name",
    "to_json_value",
    "variable_names",
]
