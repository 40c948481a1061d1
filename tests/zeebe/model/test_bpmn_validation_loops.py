"""Straight-through processing loops (Zeebe's StraightThroughProcessingLoopValidator, run after
the element rules): a process where a token could cycle forever without waiting is rejected,
"Processes are not allowed to contain a straight-through processing loop: a > b > a"; loops
that wait somewhere (user or service tasks) and loops of gateways alone are deployed."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, parse_one, wrap

from zeebe.model import parse_bpmn
from zeebe.model.errors import BpmnValidationError

pytestmark = pytest.mark.unit

ERROR = "    - ERROR: Processes are not allowed to contain a straight-through processing loop: "


def loop_rejection(body: str) -> str:
    """The full rejection reason of a one-process resource `loop.bpmn` with process id `p`."""
    with pytest.raises(BpmnValidationError) as raised:
        parse_bpmn(wrap(body), "loop.bpmn")
    return str(raised.value)


def expected(chain_text: str, process_id: str = "p") -> str:
    return (
        "Expected to deploy new resources, but encountered the following errors:\n"
        f"`loop.bpmn`: - Process: {process_id}\n{ERROR}{chain_text}\n"
    )


def nodes(tag: str, *ids: str) -> str:
    return "".join(f'<bpmn:{tag} id="{i}" />' for i in ids)


def test_loop_of_undefined_tasks_is_rejected() -> None:
    """ "shouldRejectDeploymentWithSimpleUndefinedTaskLoop": task1 > task2 > task1."""
    body = nodes("startEvent", "s") + nodes("task", "task1", "task2")
    body += chain("s", "task1", "task2", "task1")
    assert loop_rejection(body) == expected("task1 > task2 > task1")


def test_loop_of_manual_tasks_and_throw_events_is_rejected() -> None:
    """Manual tasks and intermediate (none) throw events complete at once too."""
    body = (
        nodes("startEvent", "s") + nodes("manualTask", "m1") + nodes("intermediateThrowEvent", "e1")
    )
    body += chain("s", "m1", "e1", "m1")
    assert loop_rejection(body) == expected("e1 > m1 > e1")


def test_loop_found_from_the_first_task_in_id_order_even_deep_in_the_process() -> None:
    """The search starts at the tasks sorted by id and reports only the cycle itself."""
    body = nodes("startEvent", "s") + nodes("task", "a", "b", "c", "d")
    body += chain("s", "a", "b", "c", "d", "b")
    assert loop_rejection(body) == expected("b > c > d > b")


def test_loop_through_a_gateway_with_a_condition_is_rejected() -> None:
    """Exclusive gateways are straight-through elements as well."""
    body = (
        nodes("startEvent", "s")
        + nodes("endEvent", "end")
        + nodes("task", "work")
        + '<bpmn:exclusiveGateway id="again" default="f_done" />'
        + chain("s", "work", "again")
        + '<bpmn:sequenceFlow id="f_done" sourceRef="again" targetRef="end" />'
        + '<bpmn:sequenceFlow id="f_loop" sourceRef="again" targetRef="work">'
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=true'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )
    assert loop_rejection(body) == expected("work > again > work")


def test_loop_through_a_subprocess_and_its_implicit_end_is_rejected() -> None:
    """ "shouldRejectDeploymentWithImplicitEndEventAsPartOfLoop": the subprocess enters at its
    start event; an inner element without outgoing flows continues after the subprocess."""
    sub = (
        '<bpmn:subProcess id="sub"><bpmn:startEvent id="subStart" /><bpmn:task id="task2" />'
        + chain("subStart", "task2")
        + "</bpmn:subProcess>"
    )
    body = nodes("startEvent", "s") + nodes("task", "task1", "task3") + sub
    body += chain("s", "task1", "sub", "task3", "task1")
    assert loop_rejection(body) == expected("task1 > sub > subStart > task2 > task3 > task1")


def test_multi_instance_task_in_a_loop_is_reported_once() -> None:
    """ "shouldRejectDeploymentWithMultiInstanceAsPartOfLoop": the body is traversed but not
    listed, so the chain names the task once."""
    mi = (
        '<bpmn:task id="task2"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>'
        '<zeebe:loopCharacteristics inputCollection="=[1,2,3]" /></bpmn:extensionElements>'
        "</bpmn:multiInstanceLoopCharacteristics></bpmn:task>"
    )
    body = (
        nodes("startEvent", "s")
        + nodes("task", "task1")
        + mi
        + chain("s", "task1", "task2", "task1")
    )
    assert loop_rejection(body) == expected("task1 > task2 > task1")


def test_call_activity_calling_its_own_process_straight_through_is_rejected() -> None:
    """ "shouldRejectDeploymentWithCallActivityCallingItselfWithoutOtherElements" (the
    zeebe-chaos recursive call activity model): callActivity > startEvent > callActivity."""
    body = (
        nodes("startEvent", "startEvent")
        + '<bpmn:callActivity id="callActivity"><bpmn:extensionElements>'
        '<zeebe:calledElement processId="p" /></bpmn:extensionElements></bpmn:callActivity>'
        + '<bpmn:userTask id="userTask" />'
        + nodes("endEvent", "end")
        + chain("startEvent", "callActivity", "userTask", "end")
    )
    assert loop_rejection(body) == expected("callActivity > startEvent > callActivity")


@pytest.mark.parametrize(
    "loop_node",
    [
        '<bpmn:userTask id="wait" />',
        '<bpmn:serviceTask id="wait"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="work" /></bpmn:extensionElements></bpmn:serviceTask>',
    ],
)
def test_loops_that_wait_are_deployed(loop_node: str) -> None:
    """ "shouldDeployProcessWithRegularLoops": a user or service task waits for its job or
    user, so the loop is not straight-through."""
    body = nodes("startEvent", "s") + nodes("task", "t") + loop_node + chain("s", "t", "wait", "t")
    assert set(parse_one(body).elements) >= {"t", "wait"}


def test_loop_of_gateways_alone_is_deployed() -> None:
    """A loop needs a task, call activity or throw event to be rejected (the zeebe-client-csharp
    `endless.bpmn` cycles between an exclusive and a parallel gateway)."""
    body = (
        nodes("startEvent", "s")
        + nodes("exclusiveGateway", "join")
        + nodes("parallelGateway", "fork")
        + chain("s", "join", "fork")
        + '<bpmn:sequenceFlow id="back1" sourceRef="fork" targetRef="join" />'
        + '<bpmn:sequenceFlow id="back2" sourceRef="fork" targetRef="join" />'
    )
    assert set(parse_one(body).elements) >= {"join", "fork"}
