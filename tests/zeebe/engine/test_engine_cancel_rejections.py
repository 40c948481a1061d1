"""Rejections of CancelProcessInstance as Zeebe's ProcessInstanceCancelProcessor writes them
(camunda/camunda): an instance whose termination already runs (here: waiting for a `canceling`
user task listener job, Zeebe 8.8) is INVALID_STATE "Expected to cancel a process instance with
key '<key>', but a cancel request is already in progress" (CancelProcessInstanceTest
shouldRejectIfProcessInstanceIsTerminating); a called instance names the root instance of its
call chain."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, service_task
from test_engine_replay import replayed
from test_engine_task_listeners import LINT_REASON
from test_engine_task_listeners_canceling import started, terminated

from zeebe.records import RecordType, RejectionType, ValueType

pytestmark = [pytest.mark.unit, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]


def test_a_second_cancel_while_canceling_listeners_run_is_rejected() -> None:
    """The instance waits in ELEMENT_TERMINATING for the canceling listener job: a second
    CANCEL is INVALID_STATE with Zeebe's text and writes nothing but its rejection."""
    driver, pi = started(("canceling", "notify"))
    assert driver.cancel(pi).rejection is None
    before = len(driver.records)
    second = driver.cancel(pi)
    assert second.rejection is not None
    assert second.rejection.type is RejectionType.INVALID_STATE
    assert second.rejection.reason == (
        f"Expected to cancel a process instance with key '{pi}', but a cancel request is "
        "already in progress"
    )
    written = driver.records[before:]
    assert [r.record_type for r in written] == [RecordType.COMMAND, RecordType.COMMAND_REJECTION]


def test_the_first_cancel_still_finishes_after_the_rejected_one() -> None:
    """The rejected CANCEL changes nothing: completing the listener job terminates the
    instance, and replay gives the same state."""
    driver, pi = started(("canceling", "notify"))
    driver.cancel(pi)
    driver.cancel(pi)
    driver.complete(int(driver.job("notify")["key"]))
    assert terminated(driver, pi)
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def call(process_id: str, called: str) -> bytes:
    """`process_id`: start -> call activity of `called` -> end."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:callActivity id="call"><bpmn:extensionElements>'
        f'<zeebe:calledElement processId="{called}"/></bpmn:extensionElements>'
        '</bpmn:callActivity><bpmn:endEvent id="e"/>'
    )
    return bpmn(process_id, body + chain("s", "call", "e"))


def test_canceling_a_grandchild_names_the_root_instance() -> None:
    """PROCESS_NOT_ROOT_MESSAGE: "... it is created by a parent process instance. Cancel the
    root process instance '<root>' instead." names the root, not the direct parent."""
    leaf = bpmn(
        "leaf",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "work")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e"),
    )
    driver = Driver()
    for resource in (leaf, call("middle", "leaf"), call("root", "middle")):
        assert driver.deploy(resource).rejection is None
    root = driver.create("root")
    leaf_key = int(driver.job("work")["processInstanceKey"])
    result = driver.cancel(leaf_key)
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_STATE
    assert result.rejection.reason == (
        f"Expected to cancel a process instance with key '{leaf_key}', but it is created by a "
        f"parent process instance. Cancel the root process instance '{root}' instead."
    )
    assert driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_TERMINATING") == []
