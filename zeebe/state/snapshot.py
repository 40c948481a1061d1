"""A deterministic, comparable view of the engine state (used by the replay tests)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zeebe.state.state import EngineState


def snapshot(state: EngineState) -> dict[str, Any]:
    """Primary state only: derived indexes (heaps, by-name indexes) are rebuilt by appliers."""
    return {
        "last_key": state.last_key,
        "last_position": state.last_position,
        "processes": sorted(
            (d.key, d.bpmn_process_id, d.version, d.checksum) for d in state.processes.values()
        ),
        "definitions": state.definitions.snapshot(),
        "instances": {
            k: (
                i.element_id,
                i.state,
                i.flow_scope_key,
                i.active_children,
                i.taken_flows,
                i.loop_counter,
                i.completed_children,
                i.terminated_children,
                i.execution_listener_index,
                i.completion_condition_fulfilled,
            )
            for k, i in sorted(state.instances.items())
        },
        "variables": state.variables.snapshot(),
        "start_instructions": dict(sorted(state.start_instructions.items())),
        "triggers": dict(sorted(state.triggers.items())),
        "jobs": {k: (j.state, j.value, j.deadline, j.recur_at) for k, j in state.jobs.items()},
        "activatable": {t: list(q) for t, q in sorted(state.activatable.items()) if q},
        "incidents": {k: i.value for k, i in sorted(state.incidents.items())},
        "messages": {
            k: (m.value, m.deadline, sorted(m.correlated_processes))
            for k, m in sorted(state.messages.items())
        },
        "subscriptions": {k: s.value for k, s in sorted(state.subscriptions.items())},
        "start_subscriptions": {k: s.value for k, s in state.start_subscriptions.items()},
        "message_started": dict(sorted(state.message_started.items())),
        "timers": {k: t.value for k, t in sorted(state.timers.items())},
        "awaiting": dict(sorted(state.awaiting.items())),
        "compensations": dict(sorted(state.compensations.items())),
        "signal_subscriptions": dict(sorted(state.signal_subscriptions.items())),
        "user_tasks": {
            k: (t.state, t.value, t.intermediate, t.listener_index)
            for k, t in sorted(state.user_tasks.items())
        },
    }
