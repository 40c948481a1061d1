"""MigrateProcessInstance (spec 1.2 row 18; Camunda 8.7 docs "Process instance migration").

Docs: "Use the migration command to change the process model of a running process instance";
"You must provide a migration plan with mapping instructions to the target process definition";
every active element needs a mapping; elements keep their keys and state ("we aim to interfere as
little as possible with the process instance state"). Rejection texts follow Zeebe's
`ProcessInstanceMigrationPreconditions`.
"""

from __future__ import annotations

import pytest
from engine_support import Driver
from test_engine_ad_hoc import ad_hoc
from test_engine_replay import replayed

from zeebe.engine.api import CommandResult, Rejection
from zeebe.records import RecordType, RejectionType, ValueType
from zeebe.testing.bpmn_builder import Error, MultiInstance, ProcessBuilder

pytestmark = pytest.mark.unit

PREFIX = "Expected to migrate process instance '{}' but "


def one_task(process_id: str = "order", task: str = "A") -> bytes:
    """start -> service task (type "a") -> end."""
    return ProcessBuilder(process_id).start().service_task(task, type="a").end().to_xml()


def two_tasks(process_id: str = "order") -> bytes:
    """The new version: start -> A -> B (type "b") -> end."""
    builder = ProcessBuilder(process_id).start().service_task("A", type="a")
    return builder.service_task("B", type="b").end().to_xml()


def deployed_key(driver: Driver, resource: bytes, name: str) -> int:
    """Deploy one process and return its definition key."""
    response = driver.deploy(resource, names=(name,)).response
    assert response is not None
    return int(response["deployments"][0]["processDefinitionKey"])


def migrate(driver: Driver, instance: int, target: int, *mapping: tuple[str, str]) -> CommandResult:
    """Send PROCESS_INSTANCE_MIGRATION MIGRATE."""
    value = {
        "processInstanceKey": instance,
        "targetProcessDefinitionKey": target,
        "mappingInstructions": [{"sourceElementId": s, "targetElementId": t} for s, t in mapping],
    }
    return driver.send(ValueType.PROCESS_INSTANCE_MIGRATION, "MIGRATE", value, key=instance)


def started(
    source: bytes, target: bytes, *, driver: Driver | None = None
) -> tuple[Driver, int, int]:
    """Driver with source and target deployed and one instance of the source: (driver,
    process instance key, target definition key)."""
    driver = driver or Driver()
    source_key = deployed_key(driver, source, "v1.bpmn")
    target_key = deployed_key(driver, target, "v2.bpmn")
    result = driver.send(
        ValueType.PROCESS_INSTANCE_CREATION,
        "CREATE",
        {"processDefinitionKey": source_key, "version": -1, "variables": {"amount": 7}},
    )
    assert result.response is not None, result.rejection
    return driver, int(result.response["processInstanceKey"]), target_key


def active_keys(driver: Driver, pi: int) -> dict[int, tuple[str, int]]:
    """Element instance key -> (element id, definition key) of live instances, from state."""
    return {
        k: (i.element_id, i.process_definition_key)
        for k, i in driver.engine.state.instances.items()
        if i.process_instance_key == pi
    }


def rejected(result: CommandResult) -> Rejection:
    """The rejection of a result (fails the test if the command was accepted)."""
    assert result.rejection is not None, "expected a rejection"
    return result.rejection


def test_migrated_job_continues_on_the_target_flows() -> None:
    """Docs example: an instance waiting at A is migrated to a version with B after A; when A
    completes, the instance reaches B."""
    driver, pi, target = started(one_task(), two_tasks())
    assert migrate(driver, pi, target, ("A", "A")).rejection is None
    driver.complete(driver.job("a")["key"])
    job_b = driver.job("b")
    assert job_b["processDefinitionKey"] == target
    driver.complete(job_b["key"])
    assert driver.completed(pi)[-3:] == ["B", "end", "order"]


def test_each_element_instance_gets_element_migrated_with_the_new_definition() -> None:
    """ELEMENT_MIGRATED for the process and the active task, same keys, new processDefinitionKey,
    version and elementId; PROCESS_INSTANCE_MIGRATION MIGRATED closes the command."""
    driver, pi, target = started(one_task(task="A"), one_task(task="A2"))
    result = migrate(driver, pi, target, ("A", "A2"))
    events = [r for r in result.records if r.record_type is RecordType.EVENT]
    migrated = [r for r in events if r.intent == "ELEMENT_MIGRATED"]
    (task,) = [k for k, (element_id, _) in active_keys(driver, pi).items() if element_id == "A2"]
    assert [(r.key, r.value["elementId"]) for r in migrated] == [(pi, "order"), (task, "A2")]
    assert {(r.value["processDefinitionKey"], r.value["version"]) for r in migrated} == {
        (target, 2)
    }
    last = events[-1]
    assert (last.value_type, last.intent, last.key) == (
        ValueType.PROCESS_INSTANCE_MIGRATION,
        "MIGRATED",
        pi,
    )
    assert last.value["targetProcessDefinitionKey"] == target
    assert result.response == {}


def test_job_is_migrated_with_the_same_key() -> None:
    """JOB MIGRATED keeps the job key and carries the new definition and element id."""
    driver, pi, target = started(one_task(task="A"), one_task(task="A2"))
    before = driver.job("a")
    migrate(driver, pi, target, ("A", "A2"))
    (job,) = driver.events(ValueType.JOB, "MIGRATED")
    assert job.key == before["key"]
    assert job.value["elementId"] == "A2"
    assert job.value["processDefinitionKey"] == target
    assert job.value["processDefinitionVersion"] == 2
    assert job.value["type"] == "a"
    assert driver.complete(before["key"]).rejection is None
    assert driver.is_completed(pi)


def test_variables_stay_and_get_variable_migrated() -> None:
    """Variables keep their values; each gets VARIABLE MIGRATED (same key, new definition,
    value null as in Zeebe, which only moves the variable to the target definition)."""
    driver, pi, target = started(one_task(), two_tasks())
    (created,) = driver.events(ValueType.VARIABLE, "CREATED")
    migrate(driver, pi, target, ("A", "A"))
    (migrated,) = driver.events(ValueType.VARIABLE, "MIGRATED")
    assert migrated.key == created.key
    assert (migrated.value["name"], migrated.value["value"]) == ("amount", "null")
    assert migrated.value["processDefinitionKey"] == target
    assert driver.variables(pi) == {"amount": 7}


def test_user_task_is_migrated() -> None:
    """A Camunda user task gets USER_TASK MIGRATED and completes onto the target's flows."""
    source = ProcessBuilder("order").start().user_task("U").end().to_xml()
    target_model = ProcessBuilder("order").start().user_task("U").service_task("B", type="b")
    driver, pi, target = started(source, target_model.end().to_xml())
    migrate(driver, pi, target, ("U", "U"))
    (task,) = driver.events(ValueType.USER_TASK, "MIGRATED")
    assert task.value["processDefinitionKey"] == target
    driver.send(ValueType.USER_TASK, "COMPLETE", {"variables": {}}, key=task.key)
    assert driver.job("b")["processDefinitionKey"] == target


def test_incident_is_migrated_and_resolves_on_the_target() -> None:
    """An open incident gets INCIDENT MIGRATED; resolving it continues on the target."""
    driver, pi, target = started(one_task(), two_tasks())
    job = driver.job("a")
    driver.fail(job["key"], retries=0, message="down")
    migrate(driver, pi, target, ("A", "A"))
    (incident,) = driver.events(ValueType.INCIDENT, "MIGRATED")
    assert incident.value["processDefinitionKey"] == target
    driver.send(ValueType.JOB, "UPDATE_RETRIES", {"retries": 1}, key=job["key"])
    driver.resolve(incident.key)
    driver.complete(driver.job("a")["key"])
    assert driver.job("b")["processDefinitionKey"] == target


def test_subprocess_and_its_children_are_migrated() -> None:
    """Mapped subprocess and inner task keep their flow scope and move to the target."""

    def model(inner: str) -> bytes:
        builder = ProcessBuilder("order").start().sub_process("S").start("s_start")
        return builder.service_task(inner, type="a").end("s_end").sub_process_end().end().to_xml()

    driver, pi, target = started(model("A"), model("A2"))
    assert migrate(driver, pi, target, ("S", "S"), ("A", "A2")).rejection is None
    assert sorted(driver.active(pi)) == [("A2", "ELEMENT_ACTIVATED"), ("S", "ELEMENT_ACTIVATED")]
    driver.complete(driver.job("a")["key"])
    assert driver.is_completed(pi)


def test_replay_rebuilds_the_migrated_state() -> None:
    """State changes only in appliers: replaying the log gives the same state."""
    driver, pi, target = started(one_task(), two_tasks())
    driver.fail(driver.job("a")["key"], retries=0)
    migrate(driver, pi, target, ("A", "A"))
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def test_unknown_process_instance_is_not_found() -> None:
    """NOT_FOUND with Zeebe's text for an instance that does not exist."""
    driver, _, target = started(one_task(), two_tasks())
    rejection = rejected(migrate(driver, 42, target))
    assert rejection.type is RejectionType.NOT_FOUND
    assert rejection.reason == (
        "Expected to migrate process instance but no process instance found with key '42'"
    )


def test_unknown_target_definition_is_not_found() -> None:
    """NOT_FOUND with Zeebe's text for a target process definition that does not exist."""
    driver, pi, _ = started(one_task(), two_tasks())
    rejection = rejected(migrate(driver, pi, 77, ("A", "A")))
    assert rejection.type is RejectionType.NOT_FOUND
    assert rejection.reason == (
        "Expected to migrate process instance to process definition but no process definition "
        "found with key '77'"
    )


def test_duplicate_source_element_ids_are_invalid() -> None:
    """INVALID_ARGUMENT: "the mapping instructions contain duplicate source element ids"."""
    driver, pi, target = started(one_task(), two_tasks())
    rejection = rejected(migrate(driver, pi, target, ("A", "A"), ("A", "B")))
    assert rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejection.reason == (
        PREFIX.format(pi) + "the mapping instructions contain duplicate source element ids '[A]'."
    )


@pytest.mark.parametrize(
    ("mapping", "side", "missing"),
    [(("X", "A"), "source", "X"), (("A", "Y"), "target", "Y")],
)
def test_mapping_to_unknown_elements_is_invalid(
    mapping: tuple[str, str], side: str, missing: str
) -> None:
    """INVALID_ARGUMENT: elements in mapping instructions must exist in both definitions."""
    driver, pi, target = started(one_task(), two_tasks())
    rejection = rejected(migrate(driver, pi, target, mapping))
    assert rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejection.reason == (
        PREFIX.format(pi) + f"mapping instructions contain a non-existing {side} element id "
        f"'{missing}'. Elements provided in mapping instructions must exist in the {side} "
        "process definition."
    )


def test_active_element_without_mapping_is_rejected() -> None:
    """INVALID_STATE: active elements are not mapped by id implicitly; each needs a mapping."""
    driver, pi, target = started(one_task(), two_tasks())
    rejection = rejected(migrate(driver, pi, target))
    assert rejection.type is RejectionType.INVALID_STATE
    assert rejection.reason == (
        PREFIX.format(pi) + "no mapping instruction defined for active element with id 'A'. "
        "Elements cannot be migrated without a mapping."
    )


def test_element_type_must_not_change() -> None:
    """INVALID_STATE: elements must be mapped to elements of the same type."""
    target_model = ProcessBuilder("order").start().user_task("A", job_based=True).end().to_xml()
    driver, pi, target = started(one_task(), target_model)
    rejection = rejected(migrate(driver, pi, target, ("A", "A")))
    assert rejection.type is RejectionType.INVALID_STATE
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'A' and type 'SERVICE_TASK' is mapped to "
        "an element with id 'A' and different type 'USER_TASK'. Elements must be mapped to "
        "elements of the same type."
    )


def test_camunda_user_task_cannot_become_a_job_worker_user_task() -> None:
    """INVALID_STATE: "Mapping instructions can only change the user task implementation from a
    job-worker user task to a Camunda user task, but not vice versa" (8.8 docs)."""
    source = ProcessBuilder("order").start().user_task("U").end().to_xml()
    target_model = ProcessBuilder("order").start().user_task("U", job_based=True).end().to_xml()
    driver, pi, target = started(source, target_model)
    rejection = rejected(migrate(driver, pi, target, ("U", "U")))
    assert rejection.reason == (
        PREFIX.format(pi) + "active user task with id 'U' and implementation 'zeebe user task' "
        "is mapped to an user task with id 'U' and different implementation 'job worker'. "
        "Elements must be mapped to elements of the same implementation."
    )


def test_flow_scope_must_not_change() -> None:
    """INVALID_STATE: an active element cannot move into another flow scope."""
    builder = ProcessBuilder("order").start().sub_process("S").start("s_start")
    target_model = builder.service_task("A", type="a").end("s_end").sub_process_end().end()
    driver, pi, target = started(one_task(), target_model.to_xml())
    rejection = rejected(migrate(driver, pi, target, ("A", "A")))
    assert rejection.reason == (
        PREFIX.format(pi) + "the flow scope of active element with id 'A' is changed. The flow "
        "scope of the active element is expected to be 'order' but was 'S'. The flow scope of "
        "an element cannot be changed during migration yet."
    )


def with_error_handling(error_path_task: str) -> bytes:
    """start -> A -> end, an error boundary on A and an error event subprocess, each leading
    to a task of type `error_path_task`."""
    builder = ProcessBuilder("order").start().service_task("A", type="a").end()
    builder.boundary("caught", attached_to="A", event=Error("E1"))
    builder.service_task("on_e1", type=error_path_task).end("failed")
    builder.event_sub_process("E").start("e_start", event=Error("E2"))
    builder.service_task("on_e2", type=error_path_task).end("e_end")
    return builder.sub_process_end().to_xml()


def test_error_catch_events_are_migrated_and_the_target_catches() -> None:
    """Error boundary events and error event subprocesses hold no subscription (Zeebe 8.7
    allows them): the migration is accepted and an error thrown afterwards is caught by the
    target's boundary event."""
    driver, pi, target = started(with_error_handling("old"), with_error_handling("new"))
    assert migrate(driver, pi, target, ("A", "A")).rejection is None
    driver.throw(driver.job("a")["key"], "E1")
    assert driver.activate("old") == []
    assert driver.job("new")["elementId"] == "on_e1"


def test_mapped_boundary_event_must_stay_attached() -> None:
    """INVALID_STATE: a mapping may not move an element's catch event to another element."""
    source = ProcessBuilder("order").start().service_task("A", type="a").end()
    source.boundary("caught", attached_to="A", event=Error("E1")).end("failed")
    target_model = ProcessBuilder("order").start().service_task("A", type="a")
    target_model.service_task("B", type="b").end()
    target_model.boundary("caught_b", attached_to="B", event=Error("E1")).end("failed")
    driver, pi, target = started(source.to_xml(), target_model.to_xml())
    rejection = rejected(migrate(driver, pi, target, ("A", "A"), ("caught", "caught_b")))
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'A' is mapped to an element with id 'A' "
        "and has a catch event with id 'caught' that is mapped to a catch event with id "
        "'caught_b'. These mappings detach the catch event from the element in the target "
        "process. Catch events must stay attached to the same element instance."
    )


def test_exclusive_gateway_in_incident_resolves_on_the_target() -> None:
    """A gateway waiting in an incident (no condition matched) is migrated; resolving it
    evaluates the target's conditions."""

    def model(task_type: str) -> bytes:
        builder = ProcessBuilder("order").start().exclusive_gateway("G")
        builder.condition("= go = true").service_task("T", type=task_type).end()
        return builder.to_xml()

    driver, pi, target = started(model("old"), model("new"))
    (incident,) = driver.incidents()
    assert migrate(driver, pi, target, ("G", "G")).rejection is None
    driver.set_variables(pi, {"go": True})
    driver.resolve(incident["key"])
    assert driver.job("new")["processDefinitionKey"] == target


def multi_instance(*, sequential: bool = False, then_b: bool = False) -> bytes:
    """start -> A (multi-instance over [1, 2, 3], job type "a") [-> B] -> end."""
    loop = MultiInstance(input_collection="=[1, 2, 3]", input_element="item", sequential=sequential)
    builder = ProcessBuilder("order").start().service_task("A", type="a", loop=loop)
    if then_b:
        builder.service_task("B", type="b")
    return builder.end().to_xml()


def test_multi_instance_body_and_inner_instances_are_migrated() -> None:
    """Zeebe 8.7 migrates a multi-instance body with its inner instances (same element id);
    the loop goes on, and after the last inner instance the target's flow is taken."""
    driver, pi, target = started(multi_instance(), multi_instance(then_b=True))
    first, *rest = driver.activate("a")
    driver.complete(first["key"])
    result = migrate(driver, pi, target, ("A", "A"))
    assert result.rejection is None
    kinds = [r.value["bpmnElementType"] for r in result.records if r.intent == "ELEMENT_MIGRATED"]
    assert kinds == ["PROCESS", "MULTI_INSTANCE_BODY", "SERVICE_TASK", "SERVICE_TASK"]
    assert len(driver.events(ValueType.JOB, "MIGRATED")) == len(rest) == 2
    for job in rest:
        driver.complete(job["key"])
    assert driver.job("b")["processDefinitionKey"] == target


def test_multi_instance_loop_characteristics_must_not_change() -> None:
    """INVALID_STATE: a parallel multi-instance cannot become sequential."""
    driver, pi, target = started(multi_instance(), multi_instance(sequential=True))
    rejection = rejected(migrate(driver, pi, target, ("A", "A")))
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'A' has a different loop characteristics "
        "than the target element with id 'A'. Both elements must have either sequential or "
        "parallel loop characteristics."
    )


def test_multi_instance_cannot_become_a_single_task() -> None:
    """INVALID_STATE: the body's type MULTI_INSTANCE_BODY differs from a plain task."""
    driver, pi, target = started(multi_instance(), two_tasks())
    rejection = rejected(migrate(driver, pi, target, ("A", "A")))
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'A' and type 'MULTI_INSTANCE_BODY' is "
        "mapped to an element with id 'A' and different type 'SERVICE_TASK'. Elements must be "
        "mapped to elements of the same type."
    )


def test_ad_hoc_subprocess_is_an_unsupported_type() -> None:
    """INVALID_STATE: "The migration of a AD_HOC_SUB_PROCESS is not supported." (8.7 does not
    list ad-hoc subprocesses among the migratable elements)."""
    driver = Driver()
    source_key = deployed_key(driver, ad_hoc("= [&quot;pick&quot;]"), "v1.bpmn")
    target = deployed_key(driver, ad_hoc("= [&quot;pick&quot;]"), "v2.bpmn")
    value = {"processDefinitionKey": source_key, "version": -1, "variables": {}}
    created = driver.send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value).response
    assert created is not None
    pi = int(created["processInstanceKey"])
    rejection = rejected(migrate(driver, pi, target, ("adhoc", "adhoc"), ("pick", "pick")))
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'adhoc' has an unsupported type. "
        "The migration of a AD_HOC_SUB_PROCESS is not supported."
    )


def test_rejected_migration_leaves_the_instance_unchanged() -> None:
    """A rejection is for the whole command: nothing is migrated, the source flows apply."""
    driver, pi, target = started(one_task(), two_tasks())
    result = migrate(driver, pi, target, ("A", "A"), ("end", "missing"))
    assert result.rejection is not None
    assert [r.record_type for r in result.records] == [
        RecordType.COMMAND,
        RecordType.COMMAND_REJECTION,
    ]
    driver.complete(driver.job("a")["key"])
    assert driver.is_completed(pi)
    assert driver.activate("b") == []


def test_call_activity_is_migrated_and_its_child_keeps_its_definition() -> None:
    """A mapped call activity moves to the target; the called instance stays on its own
    definition and, when it completes, the parent continues on the target's flows."""
    child = one_task(process_id="child")
    source = ProcessBuilder("order").start().call_activity("C", process_id="child").end()
    target_model = ProcessBuilder("order").start().call_activity("C", process_id="child")
    driver = Driver()
    driver.deploy(child, names=("child.bpmn",))
    driver, pi, target = started(
        source.to_xml(), target_model.service_task("B", type="b").end().to_xml(), driver=driver
    )
    child_job = driver.job("a")
    assert migrate(driver, pi, target, ("C", "C")).rejection is None
    assert driver.events(ValueType.JOB, "MIGRATED") == []
    assert child_job["bpmnProcessId"] == "child"
    driver.complete(child_job["key"])
    assert driver.job("b")["processDefinitionKey"] == target


def test_active_error_event_subprocess_is_migrated() -> None:
    """An event subprocess triggered by an error (Zeebe 8.7 migrates EVENT_SUB_PROCESS) moves
    with its inner task; completing the task completes the instance."""
    driver, pi, target = started(with_error_handling("old"), with_error_handling("new"))
    driver.throw(driver.job("a")["key"], "E2")
    inner = driver.job("old")
    result = migrate(driver, pi, target, ("E", "E"), ("on_e2", "on_e2"))
    assert result.rejection is None
    migrated = [r.value["elementId"] for r in result.records if r.intent == "ELEMENT_MIGRATED"]
    assert migrated == ["order", "E", "on_e2"]
    driver.complete(inner["key"])
    assert driver.is_completed(pi)


def test_replay_rebuilds_a_migrated_multi_instance() -> None:
    """Replay also rebuilds the loop state of a migrated multi-instance body."""
    driver, pi, target = started(multi_instance(), multi_instance(then_b=True))
    driver.complete(driver.activate("a", max_jobs=1)[0]["key"])
    migrate(driver, pi, target, ("A", "A"))
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def test_token_waiting_at_an_unmapped_join_is_rejected() -> None:
    """INVALID_ARGUMENT: a sequence flow taken to a joining gateway waits there; Zeebe 8.7+
    migrates it only with a mapping for the gateway (test_engine_migration_gateways), so
    mapping only the active task is rejected."""

    def model(after: str) -> bytes:
        builder = ProcessBuilder("order").start().parallel_gateway("fork")
        builder.service_task("A", type="a").parallel_gateway("join")
        builder.service_task(after, type=after).end()
        return builder.move_to("fork").service_task("B", type="b").connect_to("join").to_xml()

    driver, pi, target = started(model("C"), model("D"))
    driver.complete(driver.job("a")["key"])
    rejection = rejected(migrate(driver, pi, target, ("B", "B")))
    assert rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejection.reason.startswith(
        PREFIX.format(pi) + "gateway 'join' has at least one incoming sequence flow taken."
    )
