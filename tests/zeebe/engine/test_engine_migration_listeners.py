"""Process instance migration of instances waiting for listener jobs (Zeebe 8.8).

Zeebe has no precondition for listeners: the job an element instance waits for, an execution
listener job (start or end) or a user task listener job (creating, completing ...), is migrated
like the job of a service task, JOB MIGRATED with the same key and the target definition
(camunda/camunda PR #26644 "Support migrating user task with active task listener": "does not
require any production code changes because of the generic job migration"). The Camunda 8.8
docs ("Jobs, expressions, and input mappings") keep the job as it is: "the job keeps all
properties it had before the migration, including the job type". What comes after the listener
follows the target definition.
"""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain
from test_engine_execution_listeners import listeners as execution_listeners
from test_engine_execution_listeners import task
from test_engine_migration import deployed_key, migrate
from test_engine_replay import replayed
from test_engine_task_listeners import LINT_REASON
from test_engine_task_listeners import listeners as task_listeners

from zeebe.records import ValueType

pytestmark = [pytest.mark.unit, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]

JOB = ValueType.JOB


def with_task(
    process_id: str, job_type: str, listener: tuple[str, str], *, then: str = ""
) -> bytes:
    """start -> A (job `job_type`, one execution listener) [-> service task `then`] -> end."""
    tasks = [task("A", job_type, execution_listeners(listener))]
    ids = ["s", "A"]
    if then:
        tasks.append(task(then, then))
        ids.append(then)
    body = '<bpmn:startEvent id="s"/>' + "".join(tasks) + '<bpmn:endEvent id="e"/>'
    return bpmn(process_id, body + chain(*ids, "e"))


def deployed(source: bytes, target: bytes) -> tuple[Driver, int, int]:
    """Deploy source (process "p") and target (process "p2"); start "p": (driver, instance,
    target definition key)."""
    driver = Driver()
    deployed_key(driver, source, "v1.bpmn")
    target_key = deployed_key(driver, target, "v2.bpmn")
    return driver, driver.create("p"), target_key


def test_start_listener_job_is_migrated_and_the_target_task_job_follows() -> None:
    """The element waits ACTIVATING for its start listener job: JOB MIGRATED (same key, target
    definition, job type kept); once the listener completes, the task's job is created from the
    target definition."""
    source = with_task("p", "a", ("start", "audit"))
    driver, pi, target = deployed(source, with_task("p2", "a2", ("start", "audit2")))
    (created,) = driver.events(JOB, "CREATED")
    result = migrate(driver, pi, target, ("A", "A"))
    assert result.rejection is None
    (migrated,) = [r for r in result.records if r.value_type is JOB]
    assert (migrated.intent, migrated.key) == ("MIGRATED", created.key)
    assert migrated.value["type"] == "audit"
    assert migrated.value["jobKind"] == "EXECUTION_LISTENER"
    assert (migrated.value["processDefinitionKey"], migrated.value["bpmnProcessId"]) == (
        target,
        "p2",
    )
    listener = driver.job("audit")
    driver.complete(listener["key"])
    assert driver.job("a2")["processDefinitionKey"] == target


def test_element_waiting_for_its_end_listener_is_migrated() -> None:
    """The element completes and waits for its end listener job (its job result is already
    applied): no concurrent command; the listener job migrates and the instance goes on with
    the target's flows (B only exists in the target)."""
    source = with_task("p", "a", ("end", "audit"))
    driver, pi, target = deployed(source, with_task("p2", "a", ("end", "audit"), then="B"))
    driver.complete(driver.job("a")["key"], {"total": 3})
    assert ("A", "ELEMENT_COMPLETING") in driver.active(pi)
    result = migrate(driver, pi, target, ("A", "A"))
    assert result.rejection is None
    assert [r.intent for r in result.records if r.value_type is JOB] == ["MIGRATED"]
    driver.complete(driver.job("audit")["key"])
    job = driver.job("B")
    assert job["processDefinitionKey"] == target
    assert driver.variables(pi)["total"] == 3


def user_task(process_id: str, event: str, listener_type: str, *, then: str = "") -> bytes:
    """start -> U (Camunda user task, one task listener) [-> service task `then`] -> end."""
    extensions = "<zeebe:userTask />" + task_listeners((event, listener_type))
    body = (
        '<bpmn:startEvent id="s"/><bpmn:userTask id="U"><bpmn:extensionElements>'
        f"{extensions}</bpmn:extensionElements></bpmn:userTask>"
    )
    ids = ["s", "U"]
    if then:
        body += task(then, then)
        ids.append(then)
    return bpmn(process_id, body + '<bpmn:endEvent id="e"/>' + chain(*ids, "e"))


def test_completing_user_task_keeps_its_listener_job() -> None:
    """A user task COMPLETING waits for its completing listener job: JOB MIGRATED and
    USER_TASK MIGRATED; completing the listener completes the task on the target's flows."""
    source = user_task("p", "completing", "audit")
    driver, pi, target = deployed(source, user_task("p2", "completing", "audit", then="B"))
    (created,) = driver.events(ValueType.USER_TASK, "CREATED")
    complete = driver.send(ValueType.USER_TASK, "COMPLETE", {}, key=created.key)
    assert complete.rejection is None
    result = migrate(driver, pi, target, ("U", "U"))
    assert result.rejection is None
    intents = [(r.value_type, r.intent) for r in result.records]
    assert (JOB, "MIGRATED") in intents
    assert (ValueType.USER_TASK, "MIGRATED") in intents
    listener = driver.job("audit")
    assert (listener["processDefinitionKey"], listener["jobKind"]) == (target, "TASK_LISTENER")
    driver.complete(listener["key"])
    assert driver.events(ValueType.USER_TASK, "COMPLETED")[0].key == created.key
    assert driver.job("B")["processDefinitionKey"] == target


def test_creating_user_task_listener_job_is_migrated() -> None:
    """While its creating listener runs, the user task is migrated with its listener job; the
    listener's completion creates the task, which belongs to the target definition."""
    source = user_task("p", "creating", "enrich")
    driver, pi, target = deployed(source, user_task("p2", "creating", "enrich"))
    result = migrate(driver, pi, target, ("U", "U"))
    assert result.rejection is None
    assert [r.intent for r in result.records if r.value_type is JOB] == ["MIGRATED"]
    driver.complete(driver.job("enrich")["key"])
    (created,) = driver.events(ValueType.USER_TASK, "CREATED")
    assert (created.value["processDefinitionKey"], created.value["elementId"]) == (target, "U")


def test_replay_rebuilds_an_instance_migrated_while_waiting_for_a_listener() -> None:
    """The migrated listener job and element replay to the same state."""
    source = with_task("p", "a", ("end", "audit"))
    driver, pi, target = deployed(source, with_task("p2", "a", ("end", "audit"), then="B"))
    driver.complete(driver.job("a")["key"])
    migrate(driver, pi, target, ("A", "A"))
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
