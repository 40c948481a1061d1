"""The preconditions of a process instance migration, with Zeebe's rejection texts.

Texts, rejection types and the order of the checks follow Zeebe 8.8's
`ProcessInstanceMigrationPreconditions` and `ProcessInstanceMigrationMigrateProcessor`
(performValidation): active and target elements may have compensation boundary events, and the
subscriptions of completed compensable activities are migrated by `migration_compensation` (with
its own two rejections). Zeebe migrates the subscriptions of catch events, boundary events and
event subprocess starts (message, timer, signal); error and escalation boundary events and event
subprocesses hold no subscription and are migrated as they are (8.8 allows escalation; 8.7
rejected it). The catch event mapping checks are in `migration_catch_checks`.
"""

from __future__ import annotations

from zeebe.engine.bpmn.event_subprocess import start_events
from zeebe.engine.context import Context
from zeebe.engine.processors.migration_catch_checks import catch_event_failure
from zeebe.engine.processors.migration_events import (
    message_name,
    new_targets,
    subscribed_message_names,
    subscription_failure,
)
from zeebe.engine.processors.migration_plan import Failure, Plan
from zeebe.engine.processors.migration_state_checks import waits_for_end_listener
from zeebe.engine.processors.migration_texts import (
    ALREADY_SUBSCRIBED,
    ATTACHED_TO_EVENT_BASED_GATEWAY,
    BOUNDARY_IN_SOURCE,
    BOUNDARY_IN_TARGET,
    CATCH_EVENT,
    CONCURRENT_COMMAND,
    DUPLICATE_SOURCES,
    EVENT_SUBPROCESS_IN_SOURCE,
    EVENT_SUBPROCESS_IN_TARGET,
    FLOW_SCOPE_CHANGED,
    LOOP_CHANGED,
    MISSING_ELEMENT,
    SUBSCRIPTION_FAILED,
    TYPE_CHANGED,
    UNMAPPED_ELEMENT,
    UNSUPPORTED_TYPE,
)
from zeebe.engine.processors.migration_user_tasks import user_task_failure
from zeebe.model.elements import Element, ElementType, EventType, Process
from zeebe.records import RejectionType
from zeebe.state import ElementInstance, EngineState

SUPPORTED_ELEMENT_TYPES = frozenset(
    t.value
    for t in (
        ElementType.PROCESS,
        ElementType.SERVICE_TASK,
        ElementType.SEND_TASK,
        ElementType.SCRIPT_TASK,
        ElementType.BUSINESS_RULE_TASK,
        ElementType.USER_TASK,
        ElementType.SUB_PROCESS,
        ElementType.CALL_ACTIVITY,
        ElementType.INTERMEDIATE_CATCH_EVENT,
        ElementType.EVENT_SUB_PROCESS,
        ElementType.EXCLUSIVE_GATEWAY,
        ElementType.PARALLEL_GATEWAY,
        ElementType.INCLUSIVE_GATEWAY,
        ElementType.MULTI_INSTANCE_BODY,
        ElementType.RECEIVE_TASK,
        ElementType.EVENT_BASED_GATEWAY,
    )
)
MI_BODY = ElementType.MULTI_INSTANCE_BODY.value
# Boundary events and event subprocess starts Zeebe 8.8 migrates (escalation and compensation
# since 8.8: neither holds a subscription while its activity is active); Zeebe lists
# compensation for boundary events only, and no event subprocess starts with it
ALLOWED_EVENT_TYPES = frozenset(
    {
        EventType.ERROR,
        EventType.MESSAGE,
        EventType.TIMER,
        EventType.SIGNAL,
        EventType.ESCALATION,
        EventType.COMPENSATION,
    }
)
CATCH_EVENT_TYPES = frozenset(
    {EventType.MESSAGE.value, EventType.TIMER.value, EventType.SIGNAL.value}
)
INVALID_ARGUMENT = RejectionType.INVALID_ARGUMENT
INVALID_STATE = RejectionType.INVALID_STATE


def check_duplicates(plan: Plan) -> Failure | None:
    """No source element id is mapped twice."""
    sources = [source for source, _ in plan.mapping]
    duplicates = list(dict.fromkeys(s for s in sources if sources.count(s) > 1))
    if duplicates:
        listed = "[" + ", ".join(duplicates) + "]"
        return Failure(
            INVALID_ARGUMENT, DUPLICATE_SOURCES.format(plan.process_instance_key, listed)
        )
    return None


def check_elements_exist(plan: Plan) -> Failure | None:
    """Every instruction names elements of both definitions."""
    for source_id, target_id in plan.mapping:
        for side, process, element_id in (
            ("source", plan.source.process, source_id),
            ("target", plan.target.process, target_id),
        ):
            if not _exists(process, element_id):
                reason = MISSING_ELEMENT.format(plan.process_instance_key, element_id, side=side)
                return Failure(INVALID_ARGUMENT, reason)
    return None


def _exists(process: Process, element_id: str) -> bool:
    return element_id in process.elements or element_id in process.flows


def check_element(ctx: Context, plan: Plan, instance: ElementInstance) -> Failure | None:
    """The per-element preconditions, in the order Zeebe checks them."""
    state = ctx.state
    element_type = str(instance.value["bpmnElementType"])
    if element_type not in SUPPORTED_ELEMENT_TYPES:
        return plan.failure(UNSUPPORTED_TYPE, instance.element_id, element_type)
    failure = _catch_event_kind(plan, instance)
    if failure is not None:
        return failure
    target_id = plan.targets().get(instance.element_id)
    if target_id is None:
        return plan.failure(UNMAPPED_ELEMENT, instance.element_id)
    source = plan.source.process.elements[instance.element_id]
    target = plan.target.process.elements.get(target_id)
    other = "SEQUENCE_FLOW" if target is None else _target_type(state, instance, target)
    if target is None or other != element_type:
        return plan.failure(TYPE_CHANGED, instance.element_id, element_type, target_id, other)
    return (
        user_task_failure(ctx, plan, instance, target)
        or _flow_scope(state, plan, instance, target)
        or _event_subprocesses(plan, source, target)
        or _boundary_events(plan, source, target)
        or catch_event_failure(state, plan, instance, source, target)
        or _loop_characteristics(plan, instance, source, target)
        or _concurrent_command(state, plan, instance)
        or _subscriptions(ctx, plan, instance, target)
    )


def _catch_event_kind(plan: Plan, instance: ElementInstance) -> Failure | None:
    if instance.value["bpmnElementType"] != ElementType.INTERMEDIATE_CATCH_EVENT.value:
        return None
    event_type = str(instance.value["bpmnEventType"])
    if event_type not in CATCH_EVENT_TYPES:
        return plan.failure(CATCH_EVENT, instance.element_id, event_type)
    process = plan.source.process
    incoming = process.elements[instance.element_id].incoming
    sources = (process.elements[process.flows[f].source] for f in incoming)
    if any(e.element_type is ElementType.EVENT_BASED_GATEWAY for e in sources):
        return plan.failure(ATTACHED_TO_EVENT_BASED_GATEWAY, instance.element_id)
    return None


def _subscriptions(
    ctx: Context, plan: Plan, instance: ElementInstance, target: Element
) -> Failure | None:
    """The target's new catch events must be subscribable, and not to a message the instance
    is subscribed to: Zeebe checks before its unmapped subscriptions are gone (they stay until
    the message partition confirms the deletion), so a message catch event cannot be
    re-created with the same name (8.8 docs: "a mapping instruction must be provided between
    catch events ... if the target catch event has the same message name")."""
    mapped = set(plan.targets().values())
    new = new_targets(ctx.state, plan.target.process, target, instance, mapped)
    # Zeebe evaluates every new subscription first, then checks the evaluated message names
    reason = subscription_failure(ctx, instance, new)
    if reason:
        return plan.failure(SUBSCRIPTION_FAILED, instance.element_id, target.id, reason)
    kept = set(subscribed_message_names(ctx.state, instance))
    for event in new:
        name = message_name(ctx, instance, event)
        if name is not None and name in kept:
            return plan.failure(ALREADY_SUBSCRIBED, instance.element_id, name, event.id)
    return None


def _in_body(state: EngineState, instance: ElementInstance) -> bool:
    scope = state.instances.get(instance.flow_scope_key)
    return scope is not None and scope.value["bpmnElementType"] == MI_BODY


def _target_type(state: EngineState, instance: ElementInstance, target: Element) -> str:
    """Zeebe resolves a multi-instance activity's id to its body; an inner instance is compared
    with the inner activity."""
    if target.loop is not None and not _in_body(state, instance):
        return MI_BODY
    return target.element_type.value


def _loop_characteristics(
    plan: Plan, instance: ElementInstance, source: Element, target: Element
) -> Failure | None:
    if source.loop is None or target.loop is None or instance.value["bpmnElementType"] != MI_BODY:
        return None
    if source.loop.is_sequential == target.loop.is_sequential:
        return None
    return plan.failure(LOOP_CHANGED, instance.element_id, target.id)


def _flow_scope(
    state: EngineState, plan: Plan, instance: ElementInstance, target: Element
) -> Failure | None:
    scope = state.instances.get(instance.flow_scope_key)
    if scope is None:
        return None
    # the scope is validated first (breadth-first), so its target id is known
    expected = plan.targets()[scope.element_id]
    # the inner instances of a multi-instance body have the body (same id) as flow scope
    inner = target.loop is not None and scope.value["bpmnElementType"] == MI_BODY
    actual = target.id if inner else target.flow_scope
    if actual == expected:
        return None
    return plan.failure(FLOW_SCOPE_CHANGED, instance.element_id, expected, actual)


def _rejected_types(events: list[Element]) -> str:
    """Zeebe lists the event types it cannot migrate, comma separated (empty: all allowed)."""
    return ",".join(e.event_type.value for e in events if e.event_type not in ALLOWED_EVENT_TYPES)


def _event_subprocesses(plan: Plan, source: Element, target: Element) -> Failure | None:
    for template, element, process in (
        (EVENT_SUBPROCESS_IN_SOURCE, source, plan.source.process),
        (EVENT_SUBPROCESS_IN_TARGET, target, plan.target.process),
    ):
        types = _rejected_types(start_events(process, element))
        if types:
            return plan.failure(template, element.id, types)
    return None


def _boundary_events(plan: Plan, source: Element, target: Element) -> Failure | None:
    for template, element, process in (
        (BOUNDARY_IN_SOURCE, source, plan.source.process),
        (BOUNDARY_IN_TARGET, target, plan.target.process),
    ):
        types = _rejected_types([process.elements[b] for b in element.boundary_events])
        if types:
            return plan.failure(template, element.id, types)
    return None


def _concurrent_command(
    state: EngineState, plan: Plan, instance: ElementInstance
) -> Failure | None:
    # a pending trigger belongs to the source definition; tokens waiting at a join are migrated
    # by `migration_gateways` (a join whose flows are all taken activates at once here, so none
    # waits for its activation)
    if instance.key in state.triggers and not waits_for_end_listener(state, instance):
        return plan.failure(CONCURRENT_COMMAND)
    return None
