"""State and event appliers of the fake engine: the only place its state changes.

Replaying EVENT records through `APPLIERS` rebuilds exactly the state processing built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zeebe.records import ValueType


@dataclass
class FakeState:
    """Deployed processes, instances, jobs, incidents, message ids and counters."""

    processes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    instances: dict[int, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[int, dict[str, Any]] = field(default_factory=dict)
    incidents: dict[int, dict[str, Any]] = field(default_factory=dict)
    message_ids: set[str] = field(default_factory=set)
    key: int = 0
    position: int = 0


Applier = Callable[[FakeState, int, dict[str, Any]], None]


def _apply_process(s: FakeState, key: int, v: dict[str, Any]) -> None:
    s.processes.setdefault(v["bpmnProcessId"], []).append(dict(v))


def _apply_instance(s: FakeState, key: int, v: dict[str, Any]) -> None:
    s.instances[key] = {**v, "variables": dict(v["variables"]), "step": 0}


def _apply_instance_end(s: FakeState, key: int, v: dict[str, Any]) -> None:
    s.instances.pop(key, None)
    for job_key in [k for k, j in s.jobs.items() if j["processInstanceKey"] == key]:
        del s.jobs[job_key]


def _apply_job_created(s: FakeState, key: int, v: dict[str, Any]) -> None:
    s.jobs[key] = {**v, "state": "ACTIVATABLE", "deadline": -1, "worker": ""}


def _apply_batch(s: FakeState, key: int, v: dict[str, Any]) -> None:
    for job_key in v["jobKeys"]:
        s.jobs[job_key].update(state="ACTIVATED", deadline=v["deadline"], worker=v["worker"])


def _apply_completed(s: FakeState, key: int, v: dict[str, Any]) -> None:
    job = s.jobs.pop(key)
    instance = s.instances[job["processInstanceKey"]]
    instance["variables"].update(v["variables"])
    instance["step"] += 1


def _apply_failed(s: FakeState, key: int, v: dict[str, Any]) -> None:
    state = "ACTIVATABLE" if v["retries"] > 0 else "FAILED"
    s.jobs[key].update(state=state, retries=v["retries"], deadline=-1)


def _job_update(**fields: Any) -> Applier:
    def apply(s: FakeState, key: int, v: dict[str, Any]) -> None:
        s.jobs[key].update({k: v.get(k, default) for k, default in fields.items()})

    return apply


def _apply_incident(s: FakeState, key: int, v: dict[str, Any]) -> None:
    s.incidents[key] = dict(v)


def _apply_resolved(s: FakeState, key: int, v: dict[str, Any]) -> None:
    incident = s.incidents.pop(key)
    s.jobs[incident["jobKey"]].update(state="ACTIVATABLE", deadline=-1)


def _apply_variables(s: FakeState, key: int, v: dict[str, Any]) -> None:
    s.instances[int(v["scopeKey"])]["variables"].update(v["variables"])


def _apply_message(s: FakeState, key: int, v: dict[str, Any]) -> None:
    if v.get("messageId"):
        s.message_ids.add(str(v["messageId"]))


def _ignore(s: FakeState, key: int, v: dict[str, Any]) -> None:
    """Events that change no fake state."""


APPLIERS: dict[tuple[ValueType, str], Applier] = {
    (ValueType.PROCESS, "CREATED"): _apply_process,
    (ValueType.DEPLOYMENT, "CREATED"): _ignore,
    (ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED"): _apply_instance,
    (ValueType.PROCESS_INSTANCE, "ELEMENT_COMPLETED"): _apply_instance_end,
    (ValueType.PROCESS_INSTANCE, "ELEMENT_TERMINATED"): _apply_instance_end,
    (ValueType.PROCESS_INSTANCE_RESULT, "COMPLETED"): _ignore,
    (ValueType.JOB, "CREATED"): _apply_job_created,
    (ValueType.JOB_BATCH, "ACTIVATED"): _apply_batch,
    (ValueType.JOB, "COMPLETED"): _apply_completed,
    (ValueType.JOB, "FAILED"): _apply_failed,
    (ValueType.JOB, "ERROR_THROWN"): _job_update(state="ERROR_THROWN"),
    (ValueType.JOB, "RETRIES_UPDATED"): _job_update(retries=0),
    (ValueType.JOB, "TIMEOUT_UPDATED"): _job_update(deadline=-1),
    (ValueType.JOB, "TIMED_OUT"): _job_update(state="ACTIVATABLE", deadline=-1),
    (ValueType.JOB, "YIELDED"): _job_update(state="ACTIVATABLE", deadline=-1),
    (ValueType.INCIDENT, "CREATED"): _apply_incident,
    (ValueType.INCIDENT, "RESOLVED"): _apply_resolved,
    (ValueType.VARIABLE_DOCUMENT, "UPDATED"): _apply_variables,
    (ValueType.MESSAGE, "PUBLISHED"): _apply_message,
    (ValueType.SIGNAL, "BROADCASTED"): _ignore,
}
