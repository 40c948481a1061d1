"""The engine state: primary dicts plus derived indexes (heaps use lazy deletion).

Mutators are called by event appliers only; processors use the read helpers.
`snapshot()` covers primary data only, so states built by processing and by replay compare equal.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from typing import Any

from zeebe.state.definitions import DefinitionStore
from zeebe.state.entities import (
    AwaitingResult,
    ElementInstance,
    EventTrigger,
    Incident,
    Job,
    JobState,
    Message,
    MessageStartSubscription,
    ProcessDefinition,
    Subscription,
    Timer,
    UserTask,
)
from zeebe.state.variables import VariableStore

CorrelationIndex = dict[tuple[str, str], "OrderedDict[int, None]"]


class EngineState:
    """All state of one partition. Public attributes are read by processors, written by appliers."""

    # Epoch ms the engine clock is pinned at (CLOCK PINNED), None while it follows its clock. A
    # class default so that snapshots pickled before the attribute existed still load.
    clock_pinned_at: int | None = None

    def __init__(self) -> None:
        self.last_key = 0
        self.last_position = 0
        self.processes: dict[int, ProcessDefinition] = {}
        self.process_versions: dict[tuple[str, int], int] = {}
        self.latest_process: dict[str, int] = {}
        self.definitions = DefinitionStore()
        self.instances: dict[int, ElementInstance] = {}
        self.children: dict[int, dict[int, None]] = {}
        self.called: dict[int, int] = {}
        self.variables = VariableStore()
        self.triggers: dict[int, EventTrigger] = {}
        self.start_instructions: dict[int, tuple[str, ...]] = {}
        self.jobs: dict[int, Job] = {}
        self.activatable: dict[str, OrderedDict[int, None]] = {}
        self.job_deadlines: list[tuple[int, int]] = []
        self.job_backoffs: list[tuple[int, int]] = []
        self.incidents: dict[int, Incident] = {}
        self.incidents_by_element: dict[int, set[int]] = {}
        self.messages: dict[int, Message] = {}
        self.message_buffer: CorrelationIndex = {}
        self.message_ids: set[tuple[str, str, str]] = set()
        self.message_deadlines: list[tuple[int, int]] = []
        self.subscriptions: dict[int, Subscription] = {}
        self.subscriptions_by_name: CorrelationIndex = {}
        self.subscriptions_by_element: dict[int, set[int]] = {}
        self.start_subscriptions: dict[int, MessageStartSubscription] = {}
        self.message_started: dict[tuple[str, str], int] = {}
        self.message_started_by_instance: dict[int, tuple[str, str]] = {}
        self.timers: dict[int, Timer] = {}
        self.timers_by_element: dict[int, set[int]] = {}
        self.timer_heap: list[tuple[int, int]] = []
        self.awaiting: dict[int, AwaitingResult] = {}
        self.compensations: dict[int, dict[str, Any]] = {}
        self.signal_subscriptions: dict[int, dict[str, Any]] = {}
        self.signals_by_name: dict[str, dict[int, None]] = {}
        self.signals_by_element: dict[int, set[int]] = {}
        self.compensations_by_scope: dict[int, set[int]] = {}
        self.compensations_by_instance: dict[int, set[int]] = {}
        self.user_tasks: dict[int, UserTask] = {}
        self.user_task_by_element: dict[int, int] = {}
        self.parse_cache: dict[str, Any] = {}
        self.parser: Any = None

    # -- processes ---------------------------------------------------------------------------
    def put_process(self, definition: ProcessDefinition) -> None:
        """Index a deployed process version (applier of PROCESS CREATED)."""
        self.processes[definition.key] = definition
        self.process_versions[(definition.bpmn_process_id, definition.version)] = definition.key
        latest = self.latest_process.get(definition.bpmn_process_id)
        if latest is None or self.processes[latest].version < definition.version:
            self.latest_process[definition.bpmn_process_id] = definition.key

    def remove_process(self, key: int) -> None:
        """Forget a deleted process version; the highest remaining version becomes the latest."""
        definition = self.processes.pop(key)
        self.process_versions.pop((definition.bpmn_process_id, definition.version), None)
        remaining = [
            d for d in self.processes.values() if d.bpmn_process_id == definition.bpmn_process_id
        ]
        if remaining:
            self.latest_process[definition.bpmn_process_id] = max(
                remaining, key=lambda d: d.version
            ).key
        else:
            self.latest_process.pop(definition.bpmn_process_id, None)

    def latest(self, bpmn_process_id: str) -> ProcessDefinition | None:
        """The latest deployed version of a process id."""
        key = self.latest_process.get(bpmn_process_id)
        return None if key is None else self.processes[key]

    # -- jobs -------------------------------------------------------------------------------
    def set_job_state(self, job: Job, state: JobState) -> None:
        """Move a job between states, keeping the activatable index (FIFO per type) in step."""
        job_type = str(job.value["type"])
        if job.state is JobState.ACTIVATABLE and state is not JobState.ACTIVATABLE:
            self.activatable.get(job_type, OrderedDict()).pop(job.key, None)
        if state is JobState.ACTIVATABLE:
            self.activatable.setdefault(job_type, OrderedDict())[job.key] = None
        job.state = state

    def remove_job(self, job_key: int) -> None:
        """Delete a job (completed, canceled, caught error)."""
        job = self.jobs.pop(job_key, None)
        if job is not None and job.state is JobState.ACTIVATABLE:
            self.activatable.get(str(job.value["type"]), OrderedDict()).pop(job_key, None)

    def activatable_types(self) -> frozenset[str]:
        """Job types that have at least one activatable job."""
        return frozenset(t for t, jobs in self.activatable.items() if jobs)

    # -- incidents --------------------------------------------------------------------------
    def put_incident(self, incident: Incident) -> None:
        """Store an incident and index it by its element instance."""
        self.incidents[incident.key] = incident
        element_key = int(incident.value["elementInstanceKey"])
        self.incidents_by_element.setdefault(element_key, set()).add(incident.key)

    def remove_incident(self, incident_key: int) -> None:
        """Forget a resolved incident."""
        incident = self.incidents.pop(incident_key)
        element_key = int(incident.value["elementInstanceKey"])
        keys = self.incidents_by_element.get(element_key, set())
        keys.discard(incident_key)
        if not keys:
            self.incidents_by_element.pop(element_key, None)

    # -- messages and subscriptions ----------------------------------------------------------
    def put_subscription(self, subscription: Subscription) -> None:
        """Open a process message subscription."""
        value = subscription.value
        self.subscriptions[subscription.key] = subscription
        index_key = (str(value["messageName"]), str(value["correlationKey"]))
        self.subscriptions_by_name.setdefault(index_key, OrderedDict())[subscription.key] = None
        element_key = int(value["elementInstanceKey"])
        self.subscriptions_by_element.setdefault(element_key, set()).add(subscription.key)

    def remove_subscription(self, key: int) -> None:
        """Close a process message subscription."""
        subscription = self.subscriptions.pop(key, None)
        if subscription is None:
            return
        value = subscription.value
        index_key = (str(value["messageName"]), str(value["correlationKey"]))
        _discard(self.subscriptions_by_name, index_key, key)
        element_key = int(value["elementInstanceKey"])
        _discard_set(self.subscriptions_by_element, element_key, key)

    def remove_message(self, key: int) -> None:
        """Drop a message from the buffer (expired)."""
        message = self.messages.pop(key, None)
        if message is None:
            return
        value = message.value
        index_key = (str(value["name"]), str(value["correlationKey"]))
        _discard(self.message_buffer, index_key, key)
        message_id = str(value.get("messageId", ""))
        if message_id:
            self.message_ids.discard((index_key[0], index_key[1], message_id))

    # -- signal subscriptions ----------------------------------------------------------------
    def put_signal_subscription(self, key: int, value: dict[str, Any]) -> None:
        """Open a signal subscription (catch event, boundary, start event)."""
        self.signal_subscriptions[key] = value
        self.signals_by_name.setdefault(str(value["signalName"]), {})[key] = None
        element_key = int(value["catchEventInstanceKey"])
        self.signals_by_element.setdefault(element_key, set()).add(key)

    def remove_signal_subscription(self, key: int) -> None:
        """Close a signal subscription."""
        value = self.signal_subscriptions.pop(key, None)
        if value is None:
            return
        by_name = self.signals_by_name.get(str(value["signalName"]), {})
        by_name.pop(key, None)
        if not by_name:
            self.signals_by_name.pop(str(value["signalName"]), None)
        _discard_set(self.signals_by_element, int(value["catchEventInstanceKey"]), key)

    # -- compensation subscriptions ----------------------------------------------------------
    def put_compensation(self, key: int, value: dict[str, Any]) -> None:
        """Create or update a compensation subscription (spec 3.2)."""
        self.compensations[key] = value
        scope = int(value["compensableActivityScopeKey"])
        self.compensations_by_scope.setdefault(scope, set()).add(key)
        process_instance = int(value["processInstanceKey"])
        self.compensations_by_instance.setdefault(process_instance, set()).add(key)

    def remove_compensation(self, key: int) -> None:
        """Delete a compensation subscription."""
        value = self.compensations.pop(key, None)
        if value is not None:
            scope = int(value["compensableActivityScopeKey"])
            _discard_set(self.compensations_by_scope, scope, key)
            process_instance = int(value["processInstanceKey"])
            _discard_set(self.compensations_by_instance, process_instance, key)

    # -- timers -----------------------------------------------------------------------------
    def put_timer(self, timer: Timer) -> None:
        """Schedule a timer."""
        self.timers[timer.key] = timer
        element_key = int(timer.value["elementInstanceKey"])
        self.timers_by_element.setdefault(element_key, set()).add(timer.key)
        heapq.heappush(self.timer_heap, (int(timer.value["dueDate"]), timer.key))

    def remove_timer(self, key: int) -> None:
        """Forget a triggered or canceled timer (its heap entry is skipped lazily)."""
        timer = self.timers.pop(key, None)
        if timer is not None:
            _discard_set(self.timers_by_element, int(timer.value["elementInstanceKey"]), key)

    # -- element instances ------------------------------------------------------------------
    def put_instance(self, instance: ElementInstance) -> None:
        """Add a new element instance and count it as a child of its flow scope."""
        self.instances[instance.key] = instance
        caller = int(instance.value["parentElementInstanceKey"])
        if caller > 0:
            self.called[caller] = instance.key
        self.children.setdefault(instance.flow_scope_key, {})[instance.key] = None
        scope = self.instances.get(instance.flow_scope_key)
        if scope is not None:
            scope.active_children += 1

    def remove_instance(self, key: int) -> ElementInstance | None:
        """Drop a finished element instance with its local variables and trigger."""
        instance = self.instances.pop(key, None)
        if instance is None:
            return None
        siblings = self.children.get(instance.flow_scope_key)
        if siblings is not None:
            siblings.pop(key, None)
            if not siblings:
                del self.children[instance.flow_scope_key]
        scope = self.instances.get(instance.flow_scope_key)
        if scope is not None:
            scope.active_children -= 1
        self.variables.drop_scope(key)
        self.triggers.pop(key, None)
        caller = int(instance.value["parentElementInstanceKey"])
        if caller > 0:
            self.called.pop(caller, None)
        return instance

    def children_of(self, scope_key: int) -> list[ElementInstance]:
        """Live child element instances of a scope, in creation (key) order."""
        return [self.instances[k] for k in self.children.get(scope_key, {})]

    def snapshot(self) -> dict[str, Any]:
        """A deterministic, comparable view of the primary state (derived indexes excluded)."""
        from zeebe.state.snapshot import snapshot

        return snapshot(self)


def _discard(index: CorrelationIndex, index_key: tuple[str, str], key: int) -> None:
    entries = index.get(index_key)
    if entries is not None:
        entries.pop(key, None)
        if not entries:
            del index[index_key]


def _discard_set(index: dict[int, set[int]], index_key: int, key: int) -> None:
    entries = index.get(index_key)
    if entries is not None:
        entries.discard(key)
        if not entries:
            del index[index_key]
