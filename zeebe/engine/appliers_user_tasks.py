"""Event appliers of Camunda user tasks (USER_TASK records).

A user task lives from CREATING to COMPLETED / CANCELED; its lifecycle state is the last
state-like intent (Zeebe's `LifecycleState`: CLAIMING counts as ASSIGNING). ASSIGNED and UPDATED
end a transition: the task is CREATED again, with the new value.

Task listeners (Zeebe 8.7+): a transition event (ASSIGNING, UPDATING, COMPLETING, CANCELING)
also stores the value the transition will finish with as the task's intermediate state;
CORRECTED replaces it; each completed listener job advances the listener index; a *_DENIED
event rolls the task back to CREATED with its persisted value.
"""

from __future__ import annotations

from collections.abc import Callable

from zeebe.records import Record, ValueType
from zeebe.state import EngineState, UserTask

Applier = Callable[[EngineState, Record], None]
UT = ValueType.USER_TASK


def _creating(state: EngineState, record: Record) -> None:
    state.user_tasks[record.key] = UserTask(record.key, "CREATING", record.value, record.value)
    state.user_task_by_element[int(record.value["elementInstanceKey"])] = record.key


def _settled(state: EngineState, record: Record) -> None:
    """CREATED, ASSIGNED, UPDATED: the task waits again, with the value of the event."""
    task = state.user_tasks[record.key]
    task.state = "CREATED"
    task.value = record.value
    task.intermediate = None
    task.listener_index = 0


def _transition(lifecycle_state: str) -> Applier:
    def apply(state: EngineState, record: Record) -> None:
        task = state.user_tasks[record.key]
        task.state = lifecycle_state
        task.intermediate = record.value
        task.listener_index = 0

    return apply


def _corrected(state: EngineState, record: Record) -> None:
    """A listener corrected the pending transition's value (the task keeps its state)."""
    state.user_tasks[record.key].intermediate = record.value


def _denied(state: EngineState, record: Record) -> None:
    """A listener denied the transition: the task is CREATED again with its persisted value."""
    task = state.user_tasks[record.key]
    task.state = "CREATED"
    task.intermediate = None
    task.listener_index = 0


def listener_job_completed(state: EngineState, record: Record) -> None:
    """JOB COMPLETED of a task listener job: the next listener of the transition is due."""
    key = state.user_task_by_element.get(int(record.value["elementInstanceKey"]))
    task = state.user_tasks.get(key) if key is not None else None
    if task is not None:
        task.listener_index += 1


def _ended(state: EngineState, record: Record) -> None:
    task = state.user_tasks.pop(record.key, None)
    if task is not None:
        state.user_task_by_element.pop(int(task.value["elementInstanceKey"]), None)


APPLIERS: dict[tuple[ValueType, str], Applier] = {
    (UT, "CREATING"): _creating,
    (UT, "CREATED"): _settled,
    (UT, "ASSIGNING"): _transition("ASSIGNING"),
    (UT, "CLAIMING"): _transition("ASSIGNING"),
    (UT, "ASSIGNED"): _settled,
    (UT, "UPDATING"): _transition("UPDATING"),
    (UT, "UPDATED"): _settled,
    (UT, "COMPLETING"): _transition("COMPLETING"),
    (UT, "CANCELING"): _transition("CANCELING"),
    (UT, "COMPLETED"): _ended,
    (UT, "CANCELED"): _ended,
    (UT, "CORRECTED"): _corrected,
    (UT, "COMPLETION_DENIED"): _denied,
    (UT, "ASSIGNMENT_DENIED"): _denied,
    (UT, "UPDATE_DENIED"): _denied,
}
