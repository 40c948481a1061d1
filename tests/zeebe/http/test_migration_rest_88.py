"""POST /v2/process-instances/{processInstanceKey}/migration for what Zeebe 8.8 migrates beyond
8.7's rules (Camunda 8.8 docs "Process instance migration": escalation boundary events and
escalation event subprocesses are supported elements; "Migrating joining parallel and
inclusive gateways"; catch event mappings may not change the event type). 204 on success;
rejections as problem+json (INVALID_ARGUMENT 400, INVALID_STATE 409) with the engine's text.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import Rest

from zeebe.testing.bpmn_builder import Escalation, Message, ProcessBuilder, Timer

pytestmark = pytest.mark.e2e


def plan(target: str, *mapping: tuple[str, str]) -> dict[str, Any]:
    """A MigrateProcessInstance request body."""
    return {
        "targetProcessDefinitionKey": target,
        "mappingInstructions": [{"sourceElementId": s, "targetElementId": t} for s, t in mapping],
    }


def deployed(rest: Rest, source: bytes, target: bytes) -> tuple[str, str]:
    """Deploy both, start the source: (instance key, target definition key)."""
    source_key = rest.deploy(("v1.bpmn", source))["deployments"][0]["processDefinition"]
    target_key = rest.deploy(("v2.bpmn", target))["deployments"][0]["processDefinition"]
    created = rest.post(
        "/process-instances", {"processDefinitionKey": source_key["processDefinitionKey"]}
    )
    assert created.status_code == 200, created.text
    return created.json()["processInstanceKey"], target_key["processDefinitionKey"]


def complete(rest: Rest, job_type: str) -> None:
    """Activate and complete the one job of a type."""
    (job,) = rest.activate(job_type)
    done = rest.post(f"/jobs/{job['jobKey']}/completion", {"variables": {}})
    assert done.status_code == 204, done.text


def escalating(process_id: str, code: str, boundary: tuple[str, Any] | None) -> bytes:
    """start -> sub [A (type rest.esc) -> throw escalation `code` -> end] -> done; an optional
    boundary (id, event definition) on sub leads to end "<id>_end"."""
    builder = ProcessBuilder(process_id).start().sub_process("sub").start("sub_start")
    builder.service_task("A", type="rest.esc").intermediate_throw("up", event=Escalation(code))
    builder.end("sub_end").sub_process_end().end("done")
    if boundary is not None:
        builder.boundary(boundary[0], attached_to="sub", event=boundary[1]).end(
            f"{boundary[0]}_end"
        )
    return builder.to_xml()


def test_escalation_boundary_event_is_migrated_and_catches_on_the_target(rest: Rest) -> None:
    """204; the escalation thrown in the migrated subprocess is caught by the target's
    boundary event: the instance completes at its end event."""
    instance, target = deployed(
        rest,
        escalating("order", "404", ("b1", Escalation("404"))),
        escalating("order2", "405", ("b2", Escalation("405"))),
    )
    response = rest.post(
        f"/process-instances/{instance}/migration",
        plan(target, ("sub", "sub"), ("A", "A"), ("b1", "b2")),
    )
    assert response.status_code == 204, response.text
    complete(rest, "rest.esc")
    elements = rest.search("element-instances", {"filter": {"processInstanceKey": instance}})
    assert "b2_end" in [e["elementId"] for e in elements["items"]]
    shown = rest.get(f"/process-instances/{instance}").json()
    assert (shown["state"], shown["processDefinitionKey"]) == ("COMPLETED", target)


def test_catch_event_mapped_to_another_event_type_is_409(rest: Rest) -> None:
    """INVALID_STATE -> 409 with Zeebe 8.8's requireNoCatchEventMappingToChangeEventType text."""
    instance, target = deployed(
        rest,
        escalating("order", "404", ("b1", Escalation("404"))),
        escalating("order2", "404", ("t2", Timer.duration("PT1H"))),
    )
    body = plan(target, ("sub", "sub"), ("A", "A"), ("b1", "t2"))
    response = rest.post(f"/process-instances/{instance}/migration", body)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Command 'MIGRATE' rejected with code 'INVALID_STATE': Expected to migrate process "
        f"instance '{instance}' but active element with id 'sub' has a catch event with id 'b1' "
        "that is mapped to a catch event with id 't2'. These catch events have different event "
        "types: 'ESCALATION' and 'TIMER'. The event type of a catch event cannot be changed by "
        "process instance migration. Please ensure the event type of the catch event remains "
        "the same or remove the mapping instruction for these catch events."
    )


def joining(process_id: str, join: str) -> bytes:
    """start -> fork -> (rest.j1 | rest.j2) -> `join` -> rest.after -> end."""
    builder = ProcessBuilder(process_id).start().parallel_gateway("fork")
    builder.service_task("t1", type="rest.j1").parallel_gateway(join)
    builder.service_task("after", type="rest.after").end()
    return builder.move_to("fork").service_task("t2", type="rest.j2").connect_to(join).to_xml()


def test_joining_gateway_with_a_taken_flow_is_migrated(rest: Rest) -> None:
    """204 with the join and its taken flow mapped; the target join fires when the other
    branch completes, and the next job belongs to the target."""
    instance, target = deployed(rest, joining("order", "join1"), joining("order2", "join2"))
    complete(rest, "rest.j1")
    mapping = (("t2", "t2"), ("join1", "join2"), ("Flow_t1_join1", "Flow_t1_join2"))
    response = rest.post(f"/process-instances/{instance}/migration", plan(target, *mapping))
    assert response.status_code == 204, response.text
    complete(rest, "rest.j2")
    (after,) = rest.activate("rest.after")
    assert after["processDefinitionKey"] == target


def test_unmapped_joining_gateway_is_400(rest: Rest) -> None:
    """INVALID_ARGUMENT -> 400: a join with a taken flow must be mapped."""
    instance, target = deployed(rest, joining("order", "join1"), joining("order2", "join2"))
    complete(rest, "rest.j1")
    response = rest.post(f"/process-instances/{instance}/migration", plan(target, ("t2", "t2")))
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Command 'MIGRATE' rejected with code 'INVALID_ARGUMENT': Expected to migrate process "
        f"instance '{instance}' but gateway 'join1' has at least one incoming sequence flow "
        "taken. Joining gateways with at least one incoming sequence flow taken must be mapped "
        "to a gateway of the same type in the target process definition."
    )


def with_cancel_boundary(process_id: str, correlation_key: str) -> bytes:
    """start -> A (type rest.msg) -> end, with a "cancel" message boundary event on A."""
    builder = ProcessBuilder(process_id).start().service_task("A", type="rest.msg").end()
    builder.boundary("m", attached_to="A", event=Message("cancel", correlation_key))
    return builder.end("cancelled").to_xml()


def test_re_creating_a_message_catch_event_with_the_same_name_is_409(rest: Rest) -> None:
    """INVALID_STATE -> 409: the target boundary of the same message (new correlation key) must
    be mapped, a new subscription cannot replace the old one (8.8 docs, catch events tip)."""
    source = rest.deploy(("v1.bpmn", with_cancel_boundary("order", "= orderId")))
    target = rest.deploy(("v2.bpmn", with_cancel_boundary("order2", "= refundId")))
    source_key = source["deployments"][0]["processDefinition"]["processDefinitionKey"]
    target_key = target["deployments"][0]["processDefinition"]["processDefinitionKey"]
    variables = {"orderId": "o-1", "refundId": "r-9"}
    created = rest.post(
        "/process-instances", {"processDefinitionKey": source_key, "variables": variables}
    )
    assert created.status_code == 200, created.text
    instance = created.json()["processInstanceKey"]
    response = rest.post(f"/process-instances/{instance}/migration", plan(target_key, ("A", "A")))
    assert response.status_code == 409
    assert response.json()["detail"].endswith(
        "Please provide a mapping instruction to message catch event with id 'm' to migrate the "
        "respective message subscription."
    )


def test_job_worker_user_task_becomes_a_camunda_user_task(rest: Rest) -> None:
    """8.8.20+: a job worker user task mapped to a Camunda user task is converted (204): the
    job is gone, the user task search shows the new task of the target, and completing it over
    REST goes on with the target's flows."""
    source = ProcessBuilder("order").start().user_task("U", job_based=True).end().to_xml()
    target_model = ProcessBuilder("order2").start().user_task("U")
    target_model.service_task("after", type="rest.after").end()
    instance, target = deployed(rest, source, target_model.to_xml())
    response = rest.post(f"/process-instances/{instance}/migration", plan(target, ("U", "U")))
    assert response.status_code == 204, response.text
    assert rest.activate("io.camunda.zeebe:userTask") == []
    (task,) = rest.search("user-tasks", {"filter": {"processInstanceKey": instance}})["items"]
    assert (task["processDefinitionKey"], task["elementId"]) == (target, "U")
    done = rest.post(f"/user-tasks/{task['userTaskKey']}/completion", {"variables": {}})
    assert done.status_code == 204, done.text
    (after,) = rest.activate("rest.after")
    assert after["processDefinitionKey"] == target
