"""Event appliers of process instance migration (the `MIGRATED` intents).

A migrated element instance, job, user task, incident, timer or subscription (message, signal,
compensation) keeps its key and state; only the definition it belongs to changes (process
definition key, bpmn process id, version, element id). A token waiting at a joining gateway
moves from one sequence flow to another: SEQUENCE_FLOW_DELETED, then SEQUENCE_FLOW_TAKEN.
The records carry the whole new value, so each applier replaces the stored value.
"""

from __future__ import annotations

from collections.abc import Callable

from zeebe.records import Record, ValueType
from zeebe.state import EngineState, Incident, Subscription, Timer

Applier = Callable[[EngineState, Record], None]


def _element_migrated(state: EngineState, record: Record) -> None:
    instance = state.instances.get(record.key)
    if instance is not None:
        instance.value = record.value
        instance.element_id = str(record.value["elementId"])
        instance.process_definition_key = int(record.value["processDefinitionKey"])


def _job_migrated(state: EngineState, record: Record) -> None:
    job = state.jobs.get(record.key)
    if job is not None:
        # the job type is unchanged, so the activatable index stays valid
        job.value = record.value


# the fields of a USER_TASK value a migration changes
_TASK_DEFINITION_FIELDS = (
    "processDefinitionKey",
    "processDefinitionVersion",
    "bpmnProcessId",
    "elementId",
)


def _user_task_migrated(state: EngineState, record: Record) -> None:
    task = state.user_tasks.get(record.key)
    if task is not None:
        task.value = record.value
        if task.intermediate is not None:
            # a transition waiting for its task listeners finishes with this value: it must name
            # the target definition too, e.g. CREATED after the `creating` listeners
            moved = {f: record.value[f] for f in _TASK_DEFINITION_FIELDS}
            task.intermediate = task.intermediate | moved


def _incident_migrated(state: EngineState, record: Record) -> None:
    if record.key in state.incidents:
        # same element instance key, so the by-element index is unchanged
        state.incidents[record.key] = Incident(record.key, record.value)


def _timer_migrated(state: EngineState, record: Record) -> None:
    if record.key in state.timers:
        # same element instance and due date: the indexes and the heap entry stay valid
        state.timers[record.key] = Timer(record.key, record.value)


def _message_subscription_migrated(state: EngineState, record: Record) -> None:
    if record.key in state.subscriptions:
        # same message name and correlation key: the indexes stay valid
        state.subscriptions[record.key] = Subscription(record.key, record.value)


def _compensation_subscription_migrated(state: EngineState, record: Record) -> None:
    if record.key in state.compensations:
        # same instance keys (activity, scope, process instance): the indexes stay valid
        state.put_compensation(record.key, record.value)


def _signal_subscription_migrated(state: EngineState, record: Record) -> None:
    if record.key in state.signal_subscriptions:
        state.signal_subscriptions[record.key] = record.value


def _sequence_flow_deleted(state: EngineState, record: Record) -> None:
    # a token waiting at a joining gateway moves to another flow: the source flow gives it up
    scope = state.instances.get(int(record.value["flowScopeKey"]))
    flow_id = str(record.value["elementId"])
    if scope is not None and flow_id in scope.taken_flows:
        remaining = scope.taken_flows[flow_id] - 1
        if remaining > 0:
            scope.taken_flows[flow_id] = remaining
        else:
            del scope.taken_flows[flow_id]


APPLIERS: dict[tuple[ValueType, str], Applier] = {
    (ValueType.PROCESS_INSTANCE, "SEQUENCE_FLOW_DELETED"): _sequence_flow_deleted,
    (ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED"): _element_migrated,
    (ValueType.JOB, "MIGRATED"): _job_migrated,
    (ValueType.USER_TASK, "MIGRATED"): _user_task_migrated,
    (ValueType.INCIDENT, "MIGRATED"): _incident_migrated,
    (ValueType.TIMER, "MIGRATED"): _timer_migrated,
    (ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "MIGRATED"): _message_subscription_migrated,
    (ValueType.SIGNAL_SUBSCRIPTION, "MIGRATED"): _signal_subscription_migrated,
    (ValueType.COMPENSATION_SUBSCRIPTION, "MIGRATED"): _compensation_subscription_migrated,
}
