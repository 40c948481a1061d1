"""The registry of element processors: one entry per BPMN element type (Zeebe's
`BpmnElementProcessors`), each a bundle of step functions composed from shared behaviours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from zeebe.engine.bpmn import activities as act
from zeebe.engine.bpmn import call_activity as ca
from zeebe.engine.bpmn import execution_listeners as listeners
from zeebe.engine.bpmn import flownodes as fn
from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn import multi_instance as mi
from zeebe.engine.bpmn.ad_hoc import activate_ad_hoc, complete_ad_hoc
from zeebe.engine.bpmn.business_rule import activate_business_rule_task
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.user_tasks import activate_user_task, terminate_user_task
from zeebe.engine.context import Context
from zeebe.model.elements import Element, ElementType
from zeebe.state import ElementInstance

Step = Callable[[Context, ElementInstance, Element], None]


@dataclass(frozen=True, slots=True)
class ElementProcessor:
    """Steps run after ELEMENT_ACTIVATING, after ELEMENT_COMPLETING and on ELEMENT_TERMINATING;
    `finalize` is the end of the completion step, run again after the last end listener
    (Zeebe's `finalizeCompletion`)."""

    activate: Step
    complete: Step = act.complete_activity
    terminate: Step = act.terminate_activity
    finalize: Step = lifecycle.finish_completion


def _script_task(ctx: Context, instance: ElementInstance, element: Element) -> None:
    if element.script is not None:
        act.activate_script_task(ctx, instance, element)
    else:
        act.activate_job_task(ctx, instance, element)


_JOB_TASK = ElementProcessor(act.activate_job_task)
_CATCH = ElementProcessor(act.activate_catch)
_EVENT = ElementProcessor(fn.activate_event, fn.complete_event, fn.terminate_waiting)

PROCESSORS: dict[ElementType, ElementProcessor] = {
    ElementType.PROCESS: ElementProcessor(
        fn.activate_process, fn.complete_process, fn.terminate_process, fn.finalize_process
    ),
    ElementType.SUB_PROCESS: ElementProcessor(act.activate_subprocess),
    ElementType.AD_HOC_SUB_PROCESS: ElementProcessor(activate_ad_hoc, complete_ad_hoc),
    ElementType.EVENT_SUB_PROCESS: ElementProcessor(fn.activate_event_subprocess),
    ElementType.CALL_ACTIVITY: ElementProcessor(
        ca.activate_call_activity, terminate=ca.terminate_call_activity
    ),
    ElementType.START_EVENT: _EVENT,
    ElementType.BOUNDARY_EVENT: _EVENT,
    ElementType.END_EVENT: ElementProcessor(
        fn.activate_throw, fn.complete_end_event, finalize=fn.finalize_end_event
    ),
    ElementType.INTERMEDIATE_THROW_EVENT: ElementProcessor(
        fn.activate_throw, fn.complete_throw, finalize=fn.finalize_throw
    ),
    ElementType.INTERMEDIATE_CATCH_EVENT: _CATCH,
    ElementType.RECEIVE_TASK: _CATCH,
    ElementType.SERVICE_TASK: _JOB_TASK,
    ElementType.SEND_TASK: _JOB_TASK,
    ElementType.BUSINESS_RULE_TASK: ElementProcessor(activate_business_rule_task),
    ElementType.USER_TASK: ElementProcessor(activate_user_task, terminate=terminate_user_task),
    ElementType.SCRIPT_TASK: ElementProcessor(_script_task),
    ElementType.MANUAL_TASK: ElementProcessor(act.activate_pass_through),
    ElementType.TASK: ElementProcessor(act.activate_pass_through),
    ElementType.EXCLUSIVE_GATEWAY: ElementProcessor(fn.activate_exclusive_gateway),
    ElementType.PARALLEL_GATEWAY: ElementProcessor(fn.activate_parallel_gateway),
    ElementType.INCLUSIVE_GATEWAY: ElementProcessor(fn.activate_inclusive_gateway),
    ElementType.EVENT_BASED_GATEWAY: ElementProcessor(
        fn.activate_event_gateway, fn.complete_event_gateway, fn.terminate_waiting
    ),
}


def _unsupported(ctx: Context, instance: ElementInstance, element: Element) -> None:
    message = f"The element type {element.element_type.value} is not supported by this engine yet"
    raise_incident(ctx, instance, "UNKNOWN", message)


_UNSUPPORTED = ElementProcessor(_unsupported, terminate=fn.terminate_waiting)


_MULTI_INSTANCE = ElementProcessor(mi.activate_body, mi.complete_body, fn.terminate_waiting)


def _processor(ctx: Context, instance: ElementInstance) -> tuple[ElementProcessor, Element]:
    element = lifecycle.element_of(ctx, instance)
    if instance.value["bpmnElementType"] == lifecycle.MULTI_INSTANCE_BODY:
        return _MULTI_INSTANCE, element
    return PROCESSORS.get(element.element_type, _UNSUPPORTED), element


def run_activate(ctx: Context, instance: ElementInstance) -> None:
    """Run (or, after an incident was resolved, re-run) the activation step; start execution
    listeners run first (the element's inputs are applied before them, not again after)."""
    if ctx.state.instances.get(instance.key) is not instance:
        return  # terminated before its queued activation ran
    if instance.state != lifecycle.ACTIVATING:
        return
    processor, element = _processor(ctx, instance)
    if element.execution_listeners:
        if listeners.start_listener_pending(ctx, instance, element):
            return
        element = listeners.activation_element(instance, element)
    processor.activate(ctx, instance, element)


def run_complete(ctx: Context, instance: ElementInstance) -> None:
    """Run (or re-run) the completion step of an instance in ELEMENT_COMPLETING."""
    processor, element = _processor(ctx, instance)
    processor.complete(ctx, instance, element)


def run_finalize_completion(ctx: Context, instance: ElementInstance) -> None:
    """After the last end listener of a COMPLETING instance: the rest of its completion step."""
    processor, element = _processor(ctx, instance)
    processor.finalize(ctx, instance, element)


def run_terminate(ctx: Context, instance: ElementInstance) -> None:
    """Run the clean-up step of a terminating instance (a pending listener job is canceled)."""
    listeners.cancel_listener_job(ctx, instance)
    processor, element = _processor(ctx, instance)
    processor.terminate(ctx, instance, element)
