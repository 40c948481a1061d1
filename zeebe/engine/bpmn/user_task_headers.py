"""Custom headers of job-based user tasks, as Zeebe sets them from the task's assignment,
schedule and form (`Protocol.USER_TASK_*_HEADER_NAME`): `io.camunda.zeebe:assignee`,
`io.camunda.zeebe:candidateGroups` / `candidateUsers` (a JSON array of strings),
`io.camunda.zeebe:dueDate` / `followUpDate`, `io.camunda.zeebe:formKey`. Empty values add no
header. Expressions are evaluated at activation; a wrong type is a `Failure` (an incident).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from zeebe.engine.expressions import Failure, evaluate, evaluate_typed, to_json, type_name
from zeebe.model.elements import Expression, UserTaskProperties

PREFIX = "io.camunda.zeebe:"


def _string(expression: Expression, variables: Mapping[str, Any], now: int) -> Any:
    return evaluate_typed(expression, variables, now, "STRING")


def _string_list(expression: Expression, variables: Mapping[str, Any], now: int) -> Any:
    """Static values are comma-separated lists; FEEL must give a list of strings."""
    if not expression.is_feel:
        items = [item.strip() for item in expression.source.split(",") if item.strip()]
        return json.dumps(items, separators=(",", ":"))
    value = evaluate(expression, variables, now)
    if isinstance(value, Failure):
        return value
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return Failure(
            f"Expected result of the expression '{expression.source.strip()}' to be 'ARRAY' of "
            f"'STRING', but was '{type_name(value)}'."
        )
    return json.dumps(value, separators=(",", ":"))


def _date(expression: Expression, variables: Mapping[str, Any], now: int) -> Any:
    """A date-time as ISO text (a FEEL date-time is written in its JSON form)."""
    value = evaluate(expression, variables, now)
    if isinstance(value, Failure | str):
        return value
    text = to_json(value)
    if type_name(value) == "DATE_TIME" and isinstance(text, str):
        return text
    return Failure(
        f"Expected result of the expression '{expression.source.strip()}' to be one of "
        f"'[DATE_TIME, STRING]', but was '{type_name(value)}'."
    )


Reader = Callable[[Expression, Mapping[str, Any], int], Any]

_FIELDS: tuple[tuple[str, str, Reader], ...] = (
    ("assignee", "assignee", _string),
    ("candidateGroups", "candidate_groups", _string_list),
    ("candidateUsers", "candidate_users", _string_list),
    ("dueDate", "due_date", _date),
    ("followUpDate", "follow_up_date", _date),
)


def user_task_headers(
    properties: UserTaskProperties | None, variables: Mapping[str, Any], now: int
) -> dict[str, str] | Failure:
    """The headers for a job-based user task, or the first evaluation failure."""
    if properties is None:
        return {}
    headers: dict[str, str] = {}
    for header, attribute, reader in _FIELDS:
        expression: Expression | None = getattr(properties, attribute)
        if expression is None:
            continue
        value = reader(expression, variables, now)
        if isinstance(value, Failure):
            return value
        if value not in ("", "[]", None):
            headers[PREFIX + header] = str(value)
    if properties.form_key:
        headers[PREFIX + "formKey"] = properties.form_key
    return headers
