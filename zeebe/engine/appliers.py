"""Event appliers: the only code that changes engine state, one function per (value type, intent).

Replay runs exactly these functions over the EVENT records of a log, so they must depend on
nothing but the state and the record.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from zeebe.engine import (
    appliers_definitions,
    appliers_jobs,
    appliers_messages,
    appliers_migration,
    appliers_user_tasks,
)
from zeebe.engine.bpmn import ad_hoc_appliers
from zeebe.engine.deploy import model_for
from zeebe.model.elements import ElementType, EventType
from zeebe.records import Record, ValueType
from zeebe.state import (
    AwaitingResult,
    ElementInstance,
    EngineState,
    EventTrigger,
    Incident,
    JobState,
    ProcessDefinition,
    Timer,
)

Applier = Callable[[EngineState, Record], None]
PI = ValueType.PROCESS_INSTANCE
MULTI_INSTANCE_BODY = ElementType.MULTI_INSTANCE_BODY.value
JOINS = (ElementType.PARALLEL_GATEWAY, ElementType.INCLUSIVE_GATEWAY)


def _process_created(state: EngineState, record: Record) -> None:
    value = record.value
    resource, process = model_for(state, value)
    state.put_process(
        ProcessDefinition(
            key=record.key,
            bpmn_process_id=str(value["bpmnProcessId"]),
            version=int(value["version"]),
            resource_name=str(value["resourceName"]),
            checksum=str(value["checksum"]),
            resource=resource,
            process=process,
            tenant_id=str(value["tenantId"]),
            deployment_key=int(value.get("deploymentKey", -1)),
        )
    )
    process_id, version = str(value["bpmnProcessId"]), int(value["version"])
    state.definitions.note_process_version(process_id, version, str(value["checksum"]))


def _process_deleted(state: EngineState, record: Record) -> None:
    deleted = state.processes[record.key]
    latest = state.latest(deleted.bpmn_process_id)
    latest_version = latest.version if latest is not None else -1
    state.definitions.note_process_deleted(deleted.bpmn_process_id, deleted.version, latest_version)
    state.remove_process(record.key)


def _element_activating(state: EngineState, record: Record) -> None:
    value = record.value
    instance = ElementInstance(
        key=record.key,
        element_id=str(value["elementId"]),
        state=record.intent,
        value=value,
        flow_scope_key=int(value["flowScopeKey"]),
        process_instance_key=int(value["processInstanceKey"]),
        process_definition_key=int(value["processDefinitionKey"]),
    )
    state.put_instance(instance)
    scope = state.instances.get(instance.flow_scope_key)
    if scope is not None and scope.value["bpmnElementType"] == MULTI_INSTANCE_BODY:
        scope.loop_counter += 1
    if value["bpmnElementType"] in JOINS:
        _consume_join_tokens(state, instance)


def _consume_join_tokens(state: EngineState, gateway: ElementInstance) -> None:
    scope = state.instances.get(gateway.flow_scope_key)
    element = state.processes[gateway.process_definition_key].process.element(gateway.element_id)
    if scope is None or len(element.incoming) < 2:
        return
    for flow_id in element.incoming:
        remaining = scope.taken_flows.get(flow_id, 0) - 1
        if remaining > 0:
            scope.taken_flows[flow_id] = remaining
        else:
            scope.taken_flows.pop(flow_id, None)


def _element_transition(state: EngineState, record: Record) -> None:
    instance = state.instances.get(record.key)
    if instance is not None:
        instance.state = record.intent


def _element_activated(state: EngineState, record: Record) -> None:
    _element_transition(state, record)
    instance = state.instances.get(record.key)
    if instance is not None:
        instance.execution_listener_index = 0  # end listeners count from the first again
    if state.start_instructions:
        state.start_instructions.pop(record.key, None)


def _element_finished(state: EngineState, record: Record) -> None:
    instance = state.remove_instance(record.key)
    value = record.value
    if instance is None:
        return
    scope = state.instances.get(instance.flow_scope_key)
    is_inner = scope is not None and scope.value["bpmnElementType"] == MULTI_INSTANCE_BODY
    if is_inner and record.intent == "ELEMENT_COMPLETED" and scope is not None:
        scope.completed_children += 1
    elif is_inner and record.intent == "ELEMENT_TERMINATED" and scope is not None:
        scope.terminated_children += 1
    if value["bpmnEventType"] == EventType.TERMINATE and record.intent == "ELEMENT_COMPLETED":
        scope = state.instances.get(instance.flow_scope_key)
        if scope is not None:
            scope.taken_flows.clear()
    if value["bpmnElementType"] == ElementType.PROCESS:
        state.awaiting.pop(record.key, None)
        started = state.message_started_by_instance.pop(record.key, None)
        if started is not None:
            state.message_started.pop(started, None)


def _sequence_flow_taken(state: EngineState, record: Record) -> None:
    value = record.value
    definition = state.processes[int(value["processDefinitionKey"])]
    flow = definition.process.flows[str(value["elementId"])]
    target = definition.process.element(flow.target)
    if target.element_type in JOINS and len(target.incoming) > 1:
        scope = state.instances[int(value["flowScopeKey"])]
        scope.taken_flows[flow.id] = scope.taken_flows.get(flow.id, 0) + 1


def _variable_put(state: EngineState, record: Record) -> None:
    value = record.value
    state.variables.put(
        int(value["scopeKey"]), str(value["name"]), record.key, json.loads(str(value["value"]))
    )


def _event_triggering(state: EngineState, record: Record) -> None:
    value = record.value
    state.triggers[record.key] = EventTrigger(
        element_id=str(value["targetElementId"]),
        variables=dict(value["variables"]),
        key=record.key,
        scope_key=int(value["scopeKey"]),
    )
    scope = state.instances.get(int(value["scopeKey"]))
    if scope is not None and value.get("interrupting", False):
        scope.interrupted = True
        scope.pending_event = record.key
        scope.taken_flows.clear()


def _compensation_put(state: EngineState, record: Record) -> None:
    state.put_compensation(record.key, record.value)


def _compensation_deleted(state: EngineState, record: Record) -> None:
    state.remove_compensation(record.key)


def _signal_subscribed(state: EngineState, record: Record) -> None:
    state.put_signal_subscription(record.key, record.value)


def _signal_unsubscribed(state: EngineState, record: Record) -> None:
    state.remove_signal_subscription(record.key)


def _incident_created(state: EngineState, record: Record) -> None:
    state.put_incident(Incident(record.key, record.value))


def _incident_resolved(state: EngineState, record: Record) -> None:
    state.remove_incident(record.key)
    instance = state.instances.get(int(record.value["elementInstanceKey"]))
    if instance is not None and record.value["errorType"] == "EXTRACT_VALUE_ERROR":
        instance.execution_listener_index = 0  # every listener of the phase runs again
    job = state.jobs.get(int(record.value["jobKey"]))
    if job is not None and job.state in (JobState.FAILED, JobState.ERROR_THROWN):
        job.recur_at = -1
        if (
            instance is not None
            and job.value.get("elementId") == appliers_jobs.NO_CATCH_EVENT_FOUND
        ):
            # IncidentResolvedApplier.resetElementId: the job names its task again
            job.value = job.value | {"elementId": instance.element_id}
        state.set_job_state(job, JobState.ACTIVATABLE)


def _timer_created(state: EngineState, record: Record) -> None:
    state.put_timer(Timer(record.key, record.value))


def _timer_removed(state: EngineState, record: Record) -> None:
    state.remove_timer(record.key)


def _instance_created(state: EngineState, record: Record) -> None:
    value = record.value
    instructions = tuple(str(i["elementId"]) for i in value.get("startInstructions") or [])
    if instructions:
        state.start_instructions[int(value["processInstanceKey"])] = instructions
    if value.get("awaitingResult", False):
        state.awaiting[int(value["processInstanceKey"])] = AwaitingResult(
            process_instance_key=int(value["processInstanceKey"]),
            fetch_variables=tuple(value["fetchVariables"]),
            request_id=int(value.get("requestId", -1)),
        )


def _clock_pinned(state: EngineState, record: Record) -> None:
    state.clock_pinned_at = int(record.value["time"])


def _clock_resetted(state: EngineState, record: Record) -> None:
    state.clock_pinned_at = None


def _result_completed(state: EngineState, record: Record) -> None:
    state.awaiting.pop(int(record.value["processInstanceKey"]), None)


APPLIERS: dict[tuple[ValueType, str], Applier] = {
    (ValueType.PROCESS, "CREATED"): _process_created,
    (ValueType.PROCESS, "DELETED"): _process_deleted,
    (PI, "ELEMENT_ACTIVATING"): _element_activating,
    (PI, "ELEMENT_ACTIVATED"): _element_activated,
    (PI, "ELEMENT_COMPLETING"): _element_transition,
    (PI, "ELEMENT_TERMINATING"): _element_transition,
    (PI, "ELEMENT_COMPLETED"): _element_finished,
    (PI, "ELEMENT_TERMINATED"): _element_finished,
    (PI, "SEQUENCE_FLOW_TAKEN"): _sequence_flow_taken,
    (ValueType.PROCESS_INSTANCE_CREATION, "CREATED"): _instance_created,
    (ValueType.PROCESS_INSTANCE_RESULT, "COMPLETED"): _result_completed,
    (ValueType.VARIABLE, "CREATED"): _variable_put,
    (ValueType.VARIABLE, "UPDATED"): _variable_put,
    (ValueType.PROCESS_EVENT, "TRIGGERING"): _event_triggering,
    (ValueType.INCIDENT, "CREATED"): _incident_created,
    (ValueType.SIGNAL_SUBSCRIPTION, "CREATED"): _signal_subscribed,
    (ValueType.SIGNAL_SUBSCRIPTION, "DELETED"): _signal_unsubscribed,
    (ValueType.COMPENSATION_SUBSCRIPTION, "CREATED"): _compensation_put,
    (ValueType.COMPENSATION_SUBSCRIPTION, "TRIGGERED"): _compensation_put,
    (ValueType.COMPENSATION_SUBSCRIPTION, "COMPLETED"): _compensation_put,
    (ValueType.COMPENSATION_SUBSCRIPTION, "DELETED"): _compensation_deleted,
    (ValueType.INCIDENT, "RESOLVED"): _incident_resolved,
    (ValueType.TIMER, "CREATED"): _timer_created,
    (ValueType.TIMER, "TRIGGERED"): _timer_removed,
    (ValueType.TIMER, "CANCELED"): _timer_removed,
    (ValueType.CLOCK, "PINNED"): _clock_pinned,
    (ValueType.CLOCK, "RESETTED"): _clock_resetted,
    **appliers_definitions.APPLIERS,
    **appliers_jobs.APPLIERS,
    **appliers_messages.APPLIERS,
    **appliers_migration.APPLIERS,
    **appliers_user_tasks.APPLIERS,
    **ad_hoc_appliers.APPLIERS,
}
