"""Work that becomes due with time (run by `Engine.tick`): timers, job timeouts, retry back-offs,
message TTLs. Each due item is handled like a command of its own."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zeebe.engine.bpmn.events import is_interrupting, trigger_event
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import evaluate
from zeebe.engine.processors.instances import start_instance
from zeebe.engine.timers import INFINITE, next_cycle_due
from zeebe.model.elements import TimerKind
from zeebe.records import ValueType
from zeebe.state import EngineState, JobState


@dataclass(frozen=True, slots=True)
class DueItem:
    """One thing to fire: the command written for it and the handler."""

    value_type: ValueType
    intent: str
    key: int
    handle: Callable[[Context, int], None]


def _fire_timer(ctx: Context, key: int) -> None:
    timer = ctx.state.timers[key]
    value = timer.value
    definition = ctx.state.processes[int(value["processDefinitionKey"])]
    target = definition.process.elements[str(value["targetElementId"])]
    element_key = int(value["elementInstanceKey"])
    if element_key < 0:
        # a timer start event: TRIGGERED names the instance it creates (TriggerTimerProcessor)
        instance_key, start_key = ctx.next_key(), ctx.next_key()
        triggered = value | {"processInstanceKey": instance_key}
        ctx.event(key, ValueType.TIMER, "TRIGGERED", triggered)
        trigger = {
            "scopeKey": instance_key,
            "targetElementId": target.id,
            "variables": {},
            "processDefinitionKey": definition.key,
            "processInstanceKey": instance_key,
            "bpmnProcessId": definition.bpmn_process_id,
            "tenantId": definition.tenant_id,
        }
        ctx.event(start_key, ValueType.PROCESS_EVENT, "TRIGGERING", trigger)
        start_instance(ctx, definition, {}, (target.id,), start_key, key=instance_key)
        _repeat(ctx, value, -1)
        return
    ctx.event(key, ValueType.TIMER, "TRIGGERED", value)
    scope = ctx.state.instances.get(element_key)
    if scope is None or not trigger_event(ctx, scope, target.id, {}):
        return
    if not is_interrupting(target) and scope.state == "ELEMENT_ACTIVATED":
        _repeat(ctx, value, scope.key)


def _repeat(ctx: Context, value: dict[str, Any], scope_key: int) -> None:
    """Cycles fire again until their repetitions are used up (spec 9.1)."""
    repetitions = int(value["repetitions"])
    if repetitions in (0, 1):
        return
    definition = ctx.state.processes[int(value["processDefinitionKey"])]
    event = definition.process.elements[str(value["targetElementId"])].event_definition
    if event is None or event.timer_kind is not TimerKind.CYCLE or event.timer is None:
        return
    variables: Any = visible(ctx.state, scope_key) if scope_key >= 0 else {}
    text = evaluate(event.timer, variables, ctx.now)
    due = next_cycle_due(text, ctx.now) if isinstance(text, str) else None
    if due is None:
        return
    remaining = INFINITE if repetitions == INFINITE else repetitions - 1
    repeated = value | {"dueDate": due, "repetitions": remaining}
    ctx.event(ctx.next_key(), ValueType.TIMER, "CREATED", repeated)


def _time_out_job(ctx: Context, key: int) -> None:
    job = ctx.state.jobs[key]
    ctx.event(key, ValueType.JOB, "TIMED_OUT", job.value | {"deadline": -1})
    ctx.jobs_available(str(job.value["type"]))


def _recur_job(ctx: Context, key: int) -> None:
    job = ctx.state.jobs[key]
    ctx.event(key, ValueType.JOB, "RECURRED_AFTER_BACKOFF", job.value | {"recurringTime": -1})
    ctx.jobs_available(str(job.value["type"]))


def _expire_message(ctx: Context, key: int) -> None:
    ctx.event(key, ValueType.MESSAGE, "EXPIRED", ctx.state.messages[key].value)


def _valid_timer(state: EngineState, due: int, key: int) -> bool:
    timer = state.timers.get(key)
    return timer is not None and int(timer.value["dueDate"]) == due


def _valid_deadline(state: EngineState, due: int, key: int) -> bool:
    job = state.jobs.get(key)
    return job is not None and job.state is JobState.ACTIVATED and job.deadline == due


def _valid_backoff(state: EngineState, due: int, key: int) -> bool:
    job = state.jobs.get(key)
    return job is not None and job.state is JobState.FAILED and job.recur_at == due


def _valid_message(state: EngineState, due: int, key: int) -> bool:
    message = state.messages.get(key)
    return message is not None and message.deadline == due


Validity = Callable[[EngineState, int, int], bool]
SOURCES: tuple[tuple[str, Validity, ValueType, str, Callable[[Context, int], None]], ...] = (
    ("timer_heap", _valid_timer, ValueType.TIMER, "TRIGGER", _fire_timer),
    ("job_deadlines", _valid_deadline, ValueType.JOB, "TIME_OUT", _time_out_job),
    ("job_backoffs", _valid_backoff, ValueType.JOB, "RECUR_AFTER_BACKOFF", _recur_job),
    ("message_deadlines", _valid_message, ValueType.MESSAGE, "EXPIRE", _expire_message),
)


def _clean(state: EngineState, heap: list[tuple[int, int]], valid: Validity) -> None:
    while heap and not valid(state, heap[0][0], heap[0][1]):
        heapq.heappop(heap)


def next_due(state: EngineState) -> int | None:
    """The earliest valid due time over all heaps (stale entries are dropped on the way)."""
    times = []
    for attribute, valid, *_ in SOURCES:
        heap: list[tuple[int, int]] = getattr(state, attribute)
        _clean(state, heap, valid)
        if heap:
            times.append(heap[0][0])
    return min(times) if times else None


def pop_due(state: EngineState, now: int) -> DueItem | None:
    """Take the earliest item due at `now`, or None."""
    best: tuple[int, int, int] | None = None
    for index, (attribute, valid, *_) in enumerate(SOURCES):
        heap: list[tuple[int, int]] = getattr(state, attribute)
        _clean(state, heap, valid)
        if heap and heap[0][0] <= now and (best is None or heap[0][0] < best[0]):
            best = (heap[0][0], heap[0][1], index)
    if best is None:
        return None
    attribute, _, value_type, intent, handle = SOURCES[best[2]]
    heapq.heappop(getattr(state, attribute))
    return DueItem(value_type, intent, best[1], handle)
