"""The 8.8 job worker implementation of an ad-hoc subprocess (docs "Ad-hoc sub-processes", Job
worker implementation; Zeebe's AdHocSubProcessProcessor.JobWorkerBehavior, JobCompleteProcessor).

A `zeebe:taskDefinition` on the subprocess makes it job-driven:
1. on activation a job of kind AD_HOC_SUB_PROCESS is created (before ELEMENT_ACTIVATED, as in
   Zeebe) and the subprocess waits for it;
2. the worker completes the job with a result `{activateElements: [{elementId, variables}],
   completionConditionFulfilled, cancelRemainingInstances}`: the job variables are merged from
   the subprocess scope, the elements activated (AD_HOC_SUB_PROCESS_INSTRUCTION ACTIVATED) and,
   when the condition is fulfilled, AD_HOC_SUB_PROCESS_INSTRUCTION COMPLETED is written and the
   subprocess completes (first terminating the remaining inner instances if asked to; otherwise
   once nothing inside is active);
3. whenever an inner path ends the current job is canceled and a new one created, unless the
   condition was fulfilled earlier ("There is only one active job for the ad-hoc sub-process at
   a time") or an interrupting event subprocess ran (then the subprocess completes).
Rejections (Zeebe's texts): the subprocess is not active (INVALID_STATE), elements and a
fulfilled condition together (INVALID_ARGUMENT), duplicate (INVALID_ARGUMENT) or unknown
(NOT_FOUND) elements.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zeebe.engine.bpmn import ad_hoc_activation as activation
from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.ad_hoc import subscribe
from zeebe.engine.bpmn.jobs import (
    JobProperties,
    cancel_job,
    evaluate_job_properties,
    job_value,
    write_job,
)
from zeebe.engine.bpmn.variables import merge_propagate
from zeebe.engine.context import Context
from zeebe.model.elements import Element
from zeebe.records import Record, RejectionType, ValueType
from zeebe.state import ElementInstance, Job

AD_HOC_JOB_KIND = "AD_HOC_SUB_PROCESS"
NOT_ACTIVE = (
    "Expected to complete ad-hoc sub-process job, but the ad-hoc sub-process instance is not "
    "active (job key '{job}', type '{type}', processInstanceKey '{pi}')"
)
ACTIVATE_WHEN_FULFILLED = (
    "Expected to complete ad-hoc sub-process job, but the job result contains elements to be "
    "activated while the completion condition is fulfilled (job key '{key}'). When the "
    "completion condition is fulfilled, no further element activations are allowed. Either "
    "remove the elements to be activated from the job result, or set the completion condition "
    "to not fulfilled."
)


def _create_job(
    ctx: Context, instance: ElementInstance, element: Element, properties: JobProperties
) -> None:
    headers = dict(element.task_headers) | dict(properties.headers)
    write_job(ctx, job_value(instance, properties, headers, kind=AD_HOC_JOB_KIND))


def activate_job_worker(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Job properties, boundary events and event subprocess starts, the job, then
    ELEMENT_ACTIVATED."""
    properties = evaluate_job_properties(ctx, instance, element)
    if properties is None:
        return
    if not subscribe(ctx, instance, element):
        return
    _create_job(ctx, instance, element, properties)
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)


def path_ended(ctx: Context, scope: ElementInstance) -> None:
    """An inner path ended: replace the job, or complete when the condition was fulfilled or
    an interrupting event subprocess ended."""
    cancel_job(ctx, scope)
    # "An interrupting event sub-process ... completes the ad-hoc sub-process without waiting
    # for the job worker"
    if scope.completion_condition_fulfilled or scope.interrupted:
        lifecycle.child_finished(ctx, scope.key)
        return
    element = lifecycle.element_of(ctx, scope)
    properties = evaluate_job_properties(ctx, scope, element)
    if properties is not None:
        _create_job(ctx, scope, element, properties)


def job_result(raw: Any) -> dict[str, Any]:
    """The JOB record `result` of an ad-hoc sub-process job, defaults filled in."""
    result = dict(raw) if isinstance(raw, Mapping) else {}
    elements = activation.elements_of(result)
    return {
        "type": AD_HOC_JOB_KIND,
        "activateElements": [
            {"elementId": element_id, "variables": variables} for element_id, variables in elements
        ],
        "completionConditionFulfilled": bool(result.get("completionConditionFulfilled", False)),
        "cancelRemainingInstances": bool(result.get("cancelRemainingInstances", False)),
    }


def _violation(
    ctx: Context, job: Job, instance: ElementInstance | None, result: Mapping[str, Any]
) -> tuple[RejectionType, str] | None:
    if instance is None or instance.state != lifecycle.ACTIVATED:
        value = job.value
        text = NOT_ACTIVE.format(job=job.key, type=value["type"], pi=value["processInstanceKey"])
        return RejectionType.INVALID_STATE, text
    ids = [str(item["elementId"]) for item in result["activateElements"]]
    key = instance.key
    if ids and result["completionConditionFulfilled"]:
        return RejectionType.INVALID_ARGUMENT, ACTIVATE_WHEN_FULFILLED.format(key=key)
    if len(set(ids)) != len(ids):
        return RejectionType.INVALID_ARGUMENT, activation.DUPLICATES.format(key=key)
    unknown = activation.unknown_elements(ctx, instance, ids)
    if unknown:
        text = activation.UNKNOWN_ELEMENTS.format(key=key, ids=", ".join(unknown))
        return RejectionType.NOT_FOUND, text
    return None


def complete_job(ctx: Context, command: Record, job: Job) -> None:
    """JOB COMPLETE of an ad-hoc sub-process job (see the module doc)."""
    instance = ctx.state.instances.get(int(job.value["elementInstanceKey"]))
    result = job_result(command.value.get("result"))
    violation = _violation(ctx, job, instance, result)
    if violation is not None:
        ctx.reject(command, *violation)
        return
    assert instance is not None
    variables = dict(command.value.get("variables") or {})
    completed = job.value | {"variables": variables, "result": result}
    ctx.event(job.key, ValueType.JOB, "COMPLETED", completed)
    ctx.respond({})
    if variables:
        merge_propagate(ctx, instance.key, variables)
    if result["activateElements"]:
        activation.activate_elements(ctx, instance, activation.elements_of(result))
    if result["completionConditionFulfilled"]:
        _fulfilled(ctx, instance, bool(result["cancelRemainingInstances"]))


def _fulfilled(ctx: Context, instance: ElementInstance, cancel_remaining: bool) -> None:
    value = activation.instruction_value(instance, []) | {
        "completionConditionFulfilled": True,
        "cancelRemainingInstances": cancel_remaining,
    }
    # its applier marks the instance: later path ends complete it instead of creating jobs
    ctx.event(instance.key, ValueType.AD_HOC_SUB_PROCESS_INSTRUCTION, "COMPLETED", value)
    if cancel_remaining:
        for remaining in ctx.state.children_of(instance.key):
            lifecycle.terminate(ctx, remaining)
    lifecycle.child_finished(ctx, instance.key)
