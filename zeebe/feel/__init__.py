"""FEEL (Friendly Enough Expression Language) as Zeebe evaluates it, after FEEL-Scala.

Compile once with `compile_expression`, evaluate many times; runtime problems yield null.
"""

from __future__ import annotations

from zeebe.feel.durations import DaysTimeDuration, YearsMonthsDuration
from zeebe.feel.errors import FeelEvaluationError, FeelSyntaxError
from zeebe.feel.expression import CompiledExpression, compile_expression, evaluate, variable_names
from zeebe.feel.values import feel_type_name, to_json_value

__all__ = [
    "CompiledExpression",
    "DaysTimeDuration",
    "FeelEvaluationError",
    "FeelSyntaxError",
    "YearsMonthsDuration",
    "compile_expression",
    "evaluate",
    "feel_type_name",
    "to_json_value",
    "variable_names",
]
