"""The USER_TASK record value of a Camunda user task, in Zeebe's exporter JSON shape
(`UserTaskRecordValue`), evaluated from the task's `zeebe:assignmentDefinition`,
`zeebe:taskSchedule`, `zeebe:formDefinition` and `zeebe:priorityDefinition` at activation.

Assignment, candidates and dates are evaluated exactly as for job-based user tasks
(`user_task_headers`), so both variants fail with the same messages. Zeebe's default priority
is 50, allowed range [0, 100].
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from zeebe.engine.bpmn.bindings import linked_form
from zeebe.engine.bpmn.user_task_headers import PREFIX, user_task_headers
from zeebe.engine.expressions import Failure, evaluate_typed
from zeebe.model.elements import Element, UserTaskProperties
from zeebe.state import ElementInstance, EngineState

DEFAULT_PRIORITY = 50
NO_FORM_KEY = -1


def _priority(properties: UserTaskProperties, variables: Mapping[str, Any], now: int) -> Any:
    if properties.priority is None:
        return DEFAULT_PRIORITY
    value = evaluate_typed(properties.priority, variables, now, "NUMBER")
    if isinstance(value, Failure):
        return value
    if not 0 <= value <= 100 or int(value) != value:
        return Failure(f"Expected priority to be in the range [0,100] but was '{value}'.")
    return int(value)


def _external_reference(
    properties: UserTaskProperties, variables: Mapping[str, Any], now: int
) -> Any:
    if properties.external_reference is None:
        return ""
    return evaluate_typed(properties.external_reference, variables, now, "STRING")


def evaluate_properties(
    element: Element, variables: Mapping[str, Any], now: int
) -> dict[str, Any] | Failure:
    """The evaluated task attributes (record field names), or the first failure."""
    properties = element.user_task_properties or UserTaskProperties()
    headers = user_task_headers(properties, variables, now)
    priority = _priority(properties, variables, now)
    reference = _external_reference(properties, variables, now)
    for result in (headers, priority, reference):
        if isinstance(result, Failure):
            return result
    assert not isinstance(headers, Failure)
    return {
        "assignee": headers.get(PREFIX + "assignee", ""),
        "candidateGroupsList": json.loads(headers.get(PREFIX + "candidateGroups", "[]")),
        "candidateUsersList": json.loads(headers.get(PREFIX + "candidateUsers", "[]")),
        "dueDate": headers.get(PREFIX + "dueDate", ""),
        "followUpDate": headers.get(PREFIX + "followUpDate", ""),
        "externalFormReference": reference,
        "priority": priority,
    }


def linked_form_key(
    element: Element, state: EngineState, process_definition_key: int
) -> int | Failure:
    """The key of the form a `zeebe:formDefinition formId` links, for its bindingType
    (`bindings.linked_form`), NO_FORM_KEY without one, or Zeebe's FORM_NOT_FOUND message."""
    properties = element.user_task_properties
    if properties is None or properties.form_id is None:
        return NO_FORM_KEY
    binding = (properties.form_binding_type, properties.form_version_tag)
    form = linked_form(state, properties.form_id, binding, process_definition_key)
    return form if isinstance(form, Failure) else form.key


def user_task_value(
    key: int, instance: ElementInstance, element: Element, attributes: Mapping[str, Any], now: int
) -> dict[str, Any]:
    """The value written with USER_TASK CREATING (with the evaluated assignee; Zeebe clears it
    for CREATED and sets it again with ASSIGNING/ASSIGNED)."""
    pi = instance.value
    return {
        "userTaskKey": key,
        **attributes,
        "customHeaders": dict(element.task_headers),
        "creationTimestamp": now,
        "variables": {},
        "changedAttributes": [],
        "action": "",
        "elementId": element.id,
        "elementInstanceKey": instance.key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "processDefinitionKey": instance.process_definition_key,
        "processDefinitionVersion": pi["version"],
        "processInstanceKey": instance.process_instance_key,
        "tenantId": pi["tenantId"],
    }
