"""Job behaviour: job-based elements create a job when activated, cancel it when left (spec 2.1)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.user_task_headers import incident_type, job_user_task_headers
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate_typed
from zeebe.model.elements import Element, ElementType, Expression, TaskDefinition
from zeebe.records import ValueType
from zeebe.state import ElementInstance

USER_TASK_JOB_TYPE = "io.camunda.zeebe:userTask"
_USER_TASK_DEFINITION = TaskDefinition(type=Expression(USER_TASK_JOB_TYPE, False))


@dataclass(frozen=True, slots=True)
class JobProperties:
    """The evaluated job type and retries of a job-based element."""

    type: str
    retries: int
    headers: tuple[tuple[str, str], ...] = ()


def listener_job_properties(
    job_type: Expression, retries: Expression, variables: Mapping[str, Any], now: int
) -> JobProperties | Failure:
    """A listener's job (execution or task listener), as Zeebe evaluates it: a not-empty string
    type and a number of retries."""
    evaluated_type = evaluate_typed(job_type, variables, now, "STRING")
    if isinstance(evaluated_type, Failure):
        return evaluated_type
    if not evaluated_type:
        return Failure(
            f"Expected result of the expression '{job_type.source.strip()}' to be a "
            "not-empty string, but was an empty string."
        )
    evaluated_retries = evaluate_typed(retries, variables, now, "NUMBER")
    if isinstance(evaluated_retries, Failure):
        return evaluated_retries
    return JobProperties(type=str(evaluated_type), retries=int(evaluated_retries))


def task_definition(element: Element) -> TaskDefinition | None:
    """The job definition of an element; job-based user tasks get Zeebe's fixed type."""
    if element.task_definition is not None:
        return element.task_definition
    if element.element_type is ElementType.USER_TASK:
        return _USER_TASK_DEFINITION
    return None


def evaluate_job_properties(
    ctx: Context, instance: ElementInstance, element: Element
) -> JobProperties | None:
    """Evaluate job type (string) and retries (number); an incident on failure (spec 9.3)."""
    definition = task_definition(element)
    assert definition is not None, f"{element.id} has no task definition"
    variables = visible(ctx.state, instance.key)
    job_type = evaluate_typed(definition.type, variables, ctx.now, "STRING")
    retries = evaluate_typed(definition.retries, variables, ctx.now, "NUMBER")
    headers = job_user_task_headers(
        ctx.state, element, instance.process_definition_key, variables, ctx.now
    )
    for result in (job_type, retries, headers):
        if isinstance(result, Failure):
            raise_incident(ctx, instance, incident_type(result), result.message)
            return None
    assert not isinstance(headers, Failure)
    return JobProperties(type=str(job_type), retries=int(retries), headers=tuple(headers.items()))


def job_value(
    instance: ElementInstance,
    properties: JobProperties,
    headers: dict[str, str],
    *,
    kind: str = "BPMN_ELEMENT",
    listener_event_type: str = "UNSPECIFIED",
) -> dict[str, Any]:
    """The JOB record value of a new job of the element instance; `kind` and
    `listener_event_type` are Zeebe's `jobKind` (BPMN_ELEMENT, EXECUTION_LISTENER,
    TASK_LISTENER, AD_HOC_SUB_PROCESS) and `jobListenerEventType` (UNSPECIFIED for element jobs)."""
    pi = instance.value
    return {
        "type": properties.type,
        "worker": "",
        "retries": properties.retries,
        "deadline": -1,
        "timeout": -1,
        "retryBackoff": 0,
        "recurringTime": -1,
        "errorMessage": "",
        "errorCode": "",
        "customHeaders": headers,
        "variables": {},
        "jobKind": kind,
        "jobListenerEventType": listener_event_type,
        "elementId": instance.element_id,
        "elementInstanceKey": instance.key,
        "processInstanceKey": instance.process_instance_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "processDefinitionVersion": pi["version"],
        "processDefinitionKey": instance.process_definition_key,
        "tenantId": pi["tenantId"],
    }


def write_job(ctx: Context, value: dict[str, Any]) -> None:
    """Write JOB CREATED and wake workers of its type."""
    ctx.event(ctx.next_key(), ValueType.JOB, "CREATED", value)
    ctx.jobs_available(str(value["type"]))


def create_job(
    ctx: Context, instance: ElementInstance, element: Element, properties: JobProperties
) -> None:
    """Write JOB CREATED for the element instance and wake workers of its type."""
    headers = dict(element.task_headers) | dict(properties.headers)
    write_job(ctx, job_value(instance, properties, headers))


def cancel_job(ctx: Context, instance: ElementInstance) -> None:
    """Cancel the job of an element instance being terminated."""
    job = ctx.state.jobs.get(instance.job_key)
    if job is not None:
        ctx.event(job.key, ValueType.JOB, "CANCELED", job.value)
