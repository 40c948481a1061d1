"""User tasks in a process instance migration (Camunda 8.8 docs, process instance migration,
"Migrate job worker user tasks to Camunda user tasks", since 8.8.20; camunda/camunda
`ProcessInstanceMigrationUserTaskBehavior`, PR #41569).

A Camunda user task keeps its implementation (mapped to a job worker user task: rejected). A
job worker user task mapped to a Camunda user task is converted: a new user task is created
from its job (USER_TASK CREATING, CREATED) with the job's candidate groups and users, due and
follow-up dates and form (an embedded form becomes the target's external reference or linked
form, if any), the job's own custom headers, the target's priority (50 if it cannot be
evaluated) and the target's assignee (ASSIGNING, ASSIGNED are always written: the assignee of
a job-based task is not kept); then the job is CANCELED (`isJobToUserTaskMigration`). Texts and
rejection types are Zeebe's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from zeebe.engine.bpmn.user_task_headers import PREFIX
from zeebe.engine.bpmn.user_task_record import DEFAULT_PRIORITY, linked_form_key, user_task_value
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate_typed
from zeebe.engine.processors.migration_plan import Failure as Rejected
from zeebe.engine.processors.migration_plan import Plan
from zeebe.engine.processors.migration_texts import (
    USER_TASK_FORM_EVALUATION,
    USER_TASK_IMPLEMENTATION_CHANGED,
    USER_TASK_JOB_NOT_FOUND,
)
from zeebe.model.elements import Element, ElementType, UserTaskProperties
from zeebe.records import RejectionType, ValueType
from zeebe.state import ElementInstance, EngineState, Job

ZEEBE_USER_TASK = "zeebe user task"
JOB_WORKER = "job worker"
EMBEDDED_FORM = "bpmn:usertaskform"
UT = ValueType.USER_TASK


def is_conversion(state: EngineState, instance: ElementInstance, target: Element) -> bool:
    """A job worker user task instance mapped to a Camunda user task."""
    return (
        instance.value["bpmnElementType"] == ElementType.USER_TASK.value
        and target.element_type is ElementType.USER_TASK
        and target.is_user_task
        and instance.key not in state.user_task_by_element
    )


def user_task_failure(
    ctx: Context, plan: Plan, instance: ElementInstance, target: Element
) -> Rejected | None:
    """Only Camunda user task -> job worker is rejected; a conversion needs the job and a
    target form reference that can be evaluated."""
    state = ctx.state
    if target.element_type is not ElementType.USER_TASK:
        return None
    is_camunda = instance.key in state.user_task_by_element
    if is_camunda and not target.is_user_task:
        kinds = (instance.element_id, ZEEBE_USER_TASK, target.id, JOB_WORKER)
        return plan.failure(USER_TASK_IMPLEMENTATION_CHANGED, *kinds)
    if not is_conversion(state, instance, target):
        return None
    job = state.jobs.get(instance.job_key)
    if job is None:
        reason = USER_TASK_JOB_NOT_FOUND.format(
            instance.element_id, plan.process_instance_key, instance.job_key
        )
        return Rejected(RejectionType.INVALID_STATE, reason)
    form = _form(ctx, plan, instance, target, job)
    return form if isinstance(form, Rejected) else None


def convert(ctx: Context, plan: Plan, instance: ElementInstance, target: Element) -> None:
    """Create the Camunda user task from the job and cancel the job (validated before)."""
    state = ctx.state
    job = state.jobs[instance.job_key]
    headers = dict(job.value.get("customHeaders") or {})
    form = _form(ctx, plan, instance, target, job)
    assert not isinstance(form, Rejected)  # validated by user_task_failure
    variables = visible(state, instance.flow_scope_key)
    properties = target.user_task_properties or UserTaskProperties()
    attributes = {
        "assignee": "",
        "candidateGroupsList": json.loads(headers.get(PREFIX + "candidateGroups", "[]")),
        "candidateUsersList": json.loads(headers.get(PREFIX + "candidateUsers", "[]")),
        "dueDate": headers.get(PREFIX + "dueDate", ""),
        "followUpDate": headers.get(PREFIX + "followUpDate", ""),
        "externalFormReference": form.get("externalFormReference", ""),
        "priority": _priority(properties, variables, ctx.now),
        "formKey": form.get("formKey", -1),
    }
    key = ctx.next_key()
    value = user_task_value(key, instance, target, attributes, ctx.now)
    value["customHeaders"] = {k: v for k, v in headers.items() if not k.startswith(PREFIX)}
    ctx.event(key, UT, "CREATING", value)
    ctx.event(key, UT, "CREATED", value)
    assigned = value | {
        "assignee": _assignee(properties, variables, ctx.now),
        "changedAttributes": ["assignee"],
    }
    ctx.event(key, UT, "ASSIGNING", assigned)
    ctx.event(key, UT, "ASSIGNED", assigned)
    cancelled = job.value | {"isJobToUserTaskMigration": True}
    ctx.event(job.key, ValueType.JOB, "CANCELED", cancelled)


def _form(
    ctx: Context, plan: Plan, instance: ElementInstance, target: Element, job: Job
) -> dict[str, Any] | Rejected:
    """The form fields of the new task from the job's form key header."""
    job_form = (job.value.get("customHeaders") or {}).get(PREFIX + "formKey")
    if job_form is None:
        return {}
    if EMBEDDED_FORM in str(job_form).lower():
        return _target_form(ctx, plan, instance, target)
    source = plan.source.process.elements[instance.element_id].user_task_properties
    if source is None or source.form_id is None:
        return {"externalFormReference": str(job_form)}
    return {"formKey": int(job_form)}


def _target_form(
    ctx: Context, plan: Plan, instance: ElementInstance, target: Element
) -> dict[str, Any] | Rejected:
    """An embedded form becomes the target's external reference or linked form (or none)."""
    properties = target.user_task_properties or UserTaskProperties()
    if properties.external_reference is not None:
        variables = visible(ctx.state, instance.flow_scope_key)
        value = evaluate_typed(properties.external_reference, variables, ctx.now, "STRING")
        if isinstance(value, Failure):
            source = properties.external_reference.source
            return _form_failure(instance, "external", source, target, value)
        return {"externalFormReference": value}
    if properties.form_id is not None:
        key = linked_form_key(target, ctx.state, plan.target.key)
        if isinstance(key, Failure):
            return _form_failure(instance, "internal", properties.form_id, target, key)
        return {"formKey": key}
    return {}


def _form_failure(
    instance: ElementInstance, kind: str, reference: str, target: Element, cause: Failure
) -> Rejected:
    # Zeebe's text names the reference expression, not the process instance
    reason = USER_TASK_FORM_EVALUATION.format(
        instance.element_id, kind, reference, target.id, cause.message
    )
    return Rejected(RejectionType.INVALID_STATE, reason)


def _priority(properties: UserTaskProperties, variables: Mapping[str, Any], now: int) -> int:
    # Zeebe keeps the default when the target's priority cannot be evaluated
    if properties.priority is None:
        return DEFAULT_PRIORITY
    value = evaluate_typed(properties.priority, variables, now, "NUMBER")
    if isinstance(value, Failure) or not 0 <= value <= 100 or int(value) != value:
        return DEFAULT_PRIORITY
    return int(value)


def _assignee(properties: UserTaskProperties, variables: Mapping[str, Any], now: int) -> str:
    if properties.assignee is None:
        return ""
    value = evaluate_typed(properties.assignee, variables, now, "STRING")
    return "" if isinstance(value, Failure) else str(value)
