"""Custom headers of job-based user tasks, as Zeebe sets them from the task's assignment,
schedule and form (`Protocol.USER_TASK_*_HEADER_NAME`): `io.camunda.zeebe:assignee`,
`io.camunda.zeebe:candidateGroups` / `candidateUsers` (a JSON array of strings),
`io.camunda.zeebe:dueDate` / `followUpDate`, `io.camunda.zeebe:formKey`. Empty values add no
header. Expressions are evaluated at activation; a wrong type is a `Failure` (an incident).

The job of a job-based user task also carries the key of a form linked by
`zeebe:formDefinition formId` (resolved by its bindingType, `bindings.linked_form`) as decimal
text in `io.camunda.zeebe:formKey`, resolved after the other properties (camunda/camunda
BpmnJobBehavior: `evaluateFormIdExpressionToFormKey(...).map(key -> Objects.toString(key))`);
no such form is a `FormNotFound` failure, a FORM_NOT_FOUND incident with the binding's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from zeebe.engine.bpmn.bindings import linked_form
from zeebe.engine.expressions import (
    Failure,
    evaluate,
    evaluate_string_list,
    evaluate_typed,
    to_json,
    type_name,
    warnings_suffix,
)
from zeebe.model.elements import Element, Expression, UserTaskProperties
from zeebe.model.timers import TimerFormatError, parse_date
from zeebe.state import EngineState

PREFIX = "io.camunda.zeebe:"


@dataclass(frozen=True, slots=True)
class FormNotFound(Failure):
    """The form a job-based user task links by `formId` is not deployed (for its binding)."""


# the incident type of a header failure; expression failures are EXTRACT_VALUE_ERROR
_INCIDENT_TYPES: dict[type[Failure], str] = {FormNotFound: "FORM_NOT_FOUND"}


def _string(expression: Expression, variables: Mapping[str, Any], now: int) -> Any:
    return evaluate_typed(expression, variables, now, "STRING")


def _string_list(expression: Expression, variables: Mapping[str, Any], now: int) -> Any:
    """Static values are comma-separated lists; FEEL must give a list of strings."""
    if not expression.is_feel:
        items = [item.strip() for item in expression.source.split(",") if item.strip()]
        return json.dumps(items, separators=(",", ":"))
    value = evaluate_string_list(expression, variables, now)
    if isinstance(value, Failure):
        return value
    return json.dumps(value, separators=(",", ":"))


def _date(expression: Expression, variables: Mapping[str, Any], now: int) -> Any:
    """A date-time as ISO text (a FEEL date-time is written in its JSON form)."""
    value = evaluate(expression, variables, now)
    if isinstance(value, Failure) or value in ("", None):
        # nullable (BpmnUserTaskBehavior.evaluateDateExpression): null or "" sets no date
        return "" if value is None else value
    if isinstance(value, str):
        return (
            value if _zoned_date_time(value) else _invalid_date(expression, value, variables, now)
        )
    text = to_json(value)
    if type_name(value) == "DATE_TIME" and isinstance(text, str):
        return text
    return Failure(
        f"Expected result of the expression '{expression.source.strip()}' to be one of "
        f"'[NULL, DATE_TIME, STRING]', but was '{type_name(value)}'."
        + warnings_suffix(expression, variables, now)
    )


# ZonedDateTime.parse needs the offset (or Z) after the time; a [Zone/Id] may follow
_ZONED = re.compile(r".*T.*([Zz]|[+-]\d{2}:\d{2}(:\d{2})?)(\[[^\]]+\])?")


def _zoned_date_time(text: str) -> bool:
    """Whether Zeebe's ExpressionProcessor reads `text` as a date-time (ZonedDateTime.parse)."""
    if _ZONED.fullmatch(text) is None:
        return False
    try:
        parse_date(text)
    except TimerFormatError:
        return False
    return True


def _invalid_date(
    expression: Expression, text: str, variables: Mapping[str, Any], now: int
) -> Failure:
    """ExpressionProcessor.evaluateDateTimeExpressionString's failure for a string that is no
    date-time (documented: dates are ISO 8601 combined date and time representations)."""
    return Failure(
        f"Invalid date-time format '{text}' for expression '{expression.source.strip()}'."
        + warnings_suffix(expression, variables, now)
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


def job_user_task_headers(
    state: EngineState,
    element: Element,
    process_definition_key: int,
    variables: Mapping[str, Any],
    now: int,
) -> dict[str, str] | Failure:
    """The custom headers of a job-based user task's job: `user_task_headers`, then the key of
    the form linked by `formId` (a `FormNotFound` when there is none for the binding)."""
    properties = element.user_task_properties
    headers = user_task_headers(properties, variables, now)
    if isinstance(headers, Failure) or properties is None or properties.form_id is None:
        return headers
    binding = (properties.form_binding_type, properties.form_version_tag)
    form = linked_form(state, properties.form_id, binding, process_definition_key)
    if isinstance(form, Failure):
        return FormNotFound(form.message)
    return headers | {PREFIX + "formKey": str(form.key)}


def incident_type(failure: Failure) -> str:
    """The incident type of a failure of the headers (FORM_NOT_FOUND or EXTRACT_VALUE_ERROR)."""
    return _INCIDENT_TYPES.get(type(failure), "EXTRACT_VALUE_ERROR")
