"""Execution listeners (Camunda 8.6+ docs, components/concepts/execution-listeners): "An
execution listener is a blocking operation, meaning that the workflow execution lifecycle only
continues once the listener is completed"; "Execution listeners are processed by job workers"
(jobs of kind EXECUTION_LISTENER); start listeners are "invoked before the element is
processed", end listeners "after the element is processed"; several listeners of one event type
"are executed sequentially, one after the other, in the order defined in the BPMN model"."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain, flow
from test_engine_replay import replayed

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit

JOB = ValueType.JOB


def listeners(*listeners_: tuple[str, str] | tuple[str, str, str]) -> str:
    """A `zeebe:executionListeners` block of (eventType, type[, retries]) listeners."""
    items = []
    for item in listeners_:
        retries = f' retries="{item[2]}"' if len(item) == 3 else ""
        items.append(f'<zeebe:executionListener eventType="{item[0]}" type="{item[1]}"{retries}/>')
    return f"<zeebe:executionListeners>{''.join(items)}</zeebe:executionListeners>"


def task(task_id: str, job_type: str, extensions: str = "") -> str:
    """A service task; `job_type` may be a FEEL expression."""
    return (
        f'<bpmn:serviceTask id="{task_id}"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{job_type}"/>{extensions}'
        "</bpmn:extensionElements></bpmn:serviceTask>"
    )


def event(tag: str, event_id: str, extensions: str) -> str:
    """A start or end event with extension elements."""
    return (
        f'<bpmn:{tag} id="{event_id}"><bpmn:extensionElements>{extensions}'
        f"</bpmn:extensionElements></bpmn:{tag}>"
    )


def deployed(body: str, process_extensions: str = "") -> Driver:
    """A driver with process `p` deployed (start s -> body ... -> end e is up to `body`)."""
    if process_extensions:
        body = f"<bpmn:extensionElements>{process_extensions}</bpmn:extensionElements>{body}"
    driver = Driver()
    result = driver.deploy(bpmn("p", body))
    assert result.rejection is None, result.rejection
    return driver


def one_task(extensions: str, job_type: str = "work") -> str:
    """start -> task (with the extensions) -> end."""
    return (
        '<bpmn:startEvent id="s"/>'
        + task("t", job_type, extensions)
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e")
    )


def created_jobs(driver: Driver) -> list[dict[str, Any]]:
    """Values of JOB CREATED records, in log order."""
    return [r.value for r in driver.events(JOB, "CREATED")]


def state_of(driver: Driver, pi: int, element_id: str) -> str:
    """The lifecycle state of the element's live instance."""
    return dict(driver.active(pi))[element_id]


def finish(driver: Driver, job_type: str, variables: dict[str, Any] | None = None) -> int:
    """Activate and complete the one job of a type; returns its key."""
    job = driver.job(job_type)
    result = driver.complete(int(job["key"]), variables)
    assert result.rejection is None, result.rejection
    return int(job["key"])


def test_a_start_listener_job_comes_before_the_task_job() -> None:
    """Start listener: the element waits in ACTIVATING for a job of kind EXECUTION_LISTENER and
    listener event type START (static type and the default 3 retries, no custom headers in
    Zeebe 8.7); only its completion activates the task, which then creates its own job."""
    driver = deployed(one_task(listeners(("start", "audit"))))
    pi = driver.create("p")
    (listener_job,) = created_jobs(driver)
    assert listener_job["type"] == "audit"
    assert listener_job["jobKind"] == "EXECUTION_LISTENER"
    assert listener_job["jobListenerEventType"] == "START"
    assert listener_job["retries"] == 3
    assert listener_job["customHeaders"] == {}
    assert state_of(driver, pi, "t") == "ELEMENT_ACTIVATING"
    finish(driver, "audit")
    assert state_of(driver, pi, "t") == "ELEMENT_ACTIVATED"
    assert [job["type"] for job in created_jobs(driver)] == ["audit", "work"]
    finish(driver, "work")
    assert driver.is_completed(pi)


def test_start_listener_variables_are_locals_of_the_element_its_expressions_read() -> None:
    """ "A start listener can read the process variables and local variables created by the
    variable input mappings"; "If a start listener completes the job with variables, those
    variables are set as local variables for the element" (use case: "External calculations
    of variables for element expressions")."""
    inputs = (
        '<zeebe:ioMapping><zeebe:input source="= amount * 2" target="doubled"/></zeebe:ioMapping>'
    )
    driver = deployed(one_task(inputs + listeners(("start", "prepare")), job_type="= jobType"))
    pi = driver.create("p", {"amount": 21})
    job = driver.job("prepare")
    assert job["variables"] == {"amount": 21, "doubled": 42}
    driver.complete(int(job["key"]), {"jobType": "computed"})
    element_key = int(job["elementInstanceKey"])
    assert driver.variables(element_key) == {"doubled": 42, "jobType": "computed"}
    assert "jobType" not in driver.variables(pi)
    assert driver.job("computed")["elementInstanceKey"] == element_key


def test_inputs_are_applied_once_before_the_start_listeners() -> None:
    """The input mappings run before the first start listener and are not applied again when the
    element goes on: a listener's local of the same name stays."""
    inputs = '<zeebe:ioMapping><zeebe:input source="= 1" target="level"/></zeebe:ioMapping>'
    driver = deployed(one_task(inputs + listeners(("start", "raise"))))
    driver.create("p")
    finish(driver, "raise", {"level": 2})
    job = driver.job("work")
    assert job["variables"]["level"] == 2
    writes = [r for r in driver.events(ValueType.VARIABLE) if r.value["name"] == "level"]
    assert [r.value["value"] for r in writes] == ["1", "2"]


def test_listeners_of_one_event_type_run_one_after_the_other_in_model_order() -> None:
    """ "they are executed sequentially, one after the other, in the order defined in the BPMN
    model": the second job exists only once the first completed."""
    driver = deployed(one_task(listeners(("start", "first"), ("start", "second"))))
    driver.create("p")
    assert [job["type"] for job in created_jobs(driver)] == ["first"]
    finish(driver, "first", {"seen": ["first"]})
    second = driver.job("second")
    assert second["variables"]["seen"] == ["first"]
    driver.complete(int(second["key"]))
    assert [job["type"] for job in created_jobs(driver)] == ["first", "second", "work"]


def test_an_end_listener_on_a_start_event_runs_before_the_flow_goes_on() -> None:
    """End listener on a start event (camunda-8-examples ProcessMetadataListener): the start
    event waits in COMPLETING for a job of listener event type END; then it completes and the
    flow continues."""
    body = (
        event("startEvent", "s", listeners(("end", "metadata")))
        + task("t", "work")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e")
    )
    driver = deployed(body)
    pi = driver.create("p")
    (listener_job,) = created_jobs(driver)
    assert (listener_job["elementId"], listener_job["jobListenerEventType"]) == ("s", "END")
    assert state_of(driver, pi, "s") == "ELEMENT_COMPLETING"
    finish(driver, "metadata", {"source": "web"})
    assert driver.completed(pi) == ["s"]
    assert driver.variables(pi) == {"source": "web"}
    assert driver.job("work")["variables"] == {"source": "web"}


def test_an_end_listener_on_an_end_event_holds_the_process_completion() -> None:
    """An end event with an end listener stays COMPLETING; the process completes after it."""
    body = (
        '<bpmn:startEvent id="s"/>'
        + event("endEvent", "e", listeners(("end", "notify")))
        + chain("s", "e")
    )
    driver = deployed(body)
    pi = driver.create("p")
    assert state_of(driver, pi, "e") == "ELEMENT_COMPLETING"
    assert not driver.is_completed(pi)
    finish(driver, "notify")
    assert driver.completed(pi) == ["s", "e", "p"]


def test_end_listener_sees_outputs_and_its_variables_go_to_the_parent_scope() -> None:
    """ "An end listener can read ... the resulting variables of the output mappings"; its
    variables "are propagated to the element's parent scope, like variables from the output
    mappings"."""
    outputs = (
        '<zeebe:ioMapping><zeebe:output source="= result + 1" target="total"/></zeebe:ioMapping>'
    )
    driver = deployed(one_task(outputs + listeners(("end", "archive"))))
    pi = driver.create("p")
    finish(driver, "work", {"result": 4})
    job = driver.job("archive")
    assert job["variables"]["total"] == 5
    driver.complete(int(job["key"]), {"archived": True})
    assert driver.written_variables(pi) == {"total": 5, "archived": True}
    assert driver.is_completed(pi)


def test_process_level_listeners_run_before_activation_and_before_completion() -> None:
    """Listeners on the process: the process stays ACTIVATING (no start event yet) until its
    start listener is done, and COMPLETING until its end listener is done; both listeners'
    variables stay on the process instance."""
    body = '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>' + chain("s", "e")
    driver = deployed(body, listeners(("start", "open"), ("end", "close")))
    pi = driver.create("p")
    assert driver.element_events(pi) == [("p", "ELEMENT_ACTIVATING")]
    start_job = driver.job("open")
    assert (start_job["elementId"], start_job["elementInstanceKey"]) == ("p", pi)
    driver.complete(int(start_job["key"]), {"opened": 1})
    assert ("s", "ELEMENT_COMPLETED") in driver.element_events(pi)
    assert driver.element_events(pi)[-1] == ("p", "ELEMENT_COMPLETING")
    finish(driver, "close", {"closed": 1})
    assert driver.element_events(pi)[-1] == ("p", "ELEMENT_COMPLETED")
    assert driver.written_variables(pi) == {"opened": 1, "closed": 1}


def test_a_gateway_start_listener_decides_the_path() -> None:
    """Use case "Gateways": listeners "calculate and set variables that determine the outgoing
    path" of an exclusive gateway."""
    gateway = (
        '<bpmn:exclusiveGateway id="g" default="f_no"><bpmn:extensionElements>'
        f"{listeners(('start', 'decide'))}</bpmn:extensionElements></bpmn:exclusiveGateway>"
    )
    body = (
        '<bpmn:startEvent id="s"/>'
        + gateway
        + '<bpmn:endEvent id="yes"/><bpmn:endEvent id="no"/>'
        + chain("s", "g")
        + flow("f_yes", "g", "yes", "= approved")
        + flow("f_no", "g", "no")
    )
    driver = deployed(body)
    pi = driver.create("p")
    finish(driver, "decide", {"approved": True})
    assert driver.completed(pi) == ["s", "g", "yes", "p"]


def test_listeners_of_a_multi_instance_activity_run_for_every_inner_instance() -> None:
    """A multi-instance body runs no listeners of its own: each inner instance runs the
    activity's start listener before its job."""
    loop = (
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="= [1, 2]" inputElement="item"/>'
        "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>"
    )
    body = one_task(listeners(("start", "each"))).replace(
        "</bpmn:extensionElements></bpmn:serviceTask>",
        f"</bpmn:extensionElements>{loop}</bpmn:serviceTask>",
    )
    driver = deployed(body)
    pi = driver.create("p")
    first = driver.activate("each")
    assert [job["variables"]["item"] for job in first] == [1, 2]
    for job in first:
        driver.complete(int(job["key"]))
    for job in driver.activate("work"):
        driver.complete(int(job["key"]))
    assert driver.is_completed(pi)


def test_a_listener_job_without_retries_is_an_incident_resolved_by_retrying_that_job() -> None:
    """ "If all retries are exhausted and the job still fails, the process halts, and an incident
    is raised. Once the incident is resolved, only the listener with the failed job is retried"
    (error type EXECUTION_LISTENER_NO_RETRIES)."""
    driver = deployed(one_task(listeners(("start", "first"), ("start", "flaky"))))
    pi = driver.create("p")
    finish(driver, "first")
    flaky = driver.job("flaky")
    driver.fail(int(flaky["key"]), 0, "down")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXECUTION_LISTENER_NO_RETRIES"
    assert (incident["jobKey"], incident["elementId"]) == (flaky["key"], "t")
    retries = driver.send(JOB, "UPDATE_RETRIES", {"retries": 1}, key=int(flaky["key"]))
    assert retries.rejection is None
    assert driver.resolve(incident["key"]).rejection is None
    assert driver.job("flaky")["key"] == flaky["key"]
    driver.complete(int(flaky["key"]))
    assert [job["type"] for job in created_jobs(driver)] == ["first", "flaky", "work"]
    assert state_of(driver, pi, "t") == "ELEMENT_ACTIVATED"


def test_a_failing_listener_expression_is_an_incident_and_every_listener_runs_again() -> None:
    """ "Incidents can also occur during the evaluation of an execution listener's properties";
    "all listeners of the same event type ... that were processed before the failure are
    re-executed once the issue is resolved" (EXTRACT_VALUE_ERROR on the element)."""
    driver = deployed(one_task(listeners(("start", "first"), ("start", "= nextType"))))
    driver.create("p")
    first = finish(driver, "first")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert incident["elementId"] == "t"
    assert "nextType" in incident["errorMessage"]
    driver.set_variables(int(incident["elementInstanceKey"]), {"nextType": "second"})
    assert driver.resolve(incident["key"]).rejection is None
    again = finish(driver, "first")
    assert again != first
    finish(driver, "second")
    assert [job["type"] for job in created_jobs(driver)] == ["first", "first", "second", "work"]


def test_an_empty_listener_type_is_an_incident() -> None:
    """Zeebe's job type check: "Expected result of the expression '...' to be a not-empty string,
    but was an empty string." """
    driver = deployed(one_task(listeners(("start", "= &quot;&quot;"))))
    driver.create("p")
    (incident,) = driver.incidents()
    expected = "to be a not-empty string, but was an empty string."
    assert incident["errorMessage"] == f"Expected result of the expression '\"\"' {expected}"


def test_a_listener_job_cannot_throw_a_bpmn_error() -> None:
    """ "Throwing a BPMN error: This operation is not supported for execution listener jobs"
    (Zeebe's JobThrowErrorProcessor rejection)."""
    driver = deployed(one_task(listeners(("start", "audit"))))
    pi = driver.create("p")
    job = driver.job("audit")
    result = driver.throw(int(job["key"]), "E")
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_STATE
    assert result.rejection.reason == (
        f"Cannot throw BPMN error from EXECUTION_LISTENER job with key '{job['key']}', type "
        f"'audit' and processInstanceKey '{pi}'"
    )


def test_canceling_the_instance_cancels_the_listener_job_it_waits_for() -> None:
    """Termination of an element waiting for its listener cancels the listener job."""
    driver = deployed(one_task(listeners(("end", "audit"))))
    pi = driver.create("p")
    finish(driver, "work")
    (job,) = driver.activate("audit")
    assert driver.cancel(pi).rejection is None
    (canceled,) = driver.events(JOB, "CANCELED")
    assert canceled.key == job["key"]
    assert driver.engine.state.jobs == {}
    assert driver.active(pi) == []


def test_canceling_a_process_waiting_for_its_start_listener() -> None:
    """A process instance still ACTIVATING for its own start listener can be canceled too."""
    body = '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>' + chain("s", "e")
    driver = deployed(body, listeners(("start", "open")))
    pi = driver.create("p")
    assert driver.cancel(pi).rejection is None
    assert [r.intent for r in driver.events(JOB)] == ["CREATED", "CANCELED"]
    assert driver.element_events(pi)[-1] == ("p", "ELEMENT_TERMINATED")


def test_replay_of_a_log_with_listeners_rebuilds_identical_state() -> None:
    """Listener bookkeeping (the listener index) changes only in appliers: replaying the events
    of a log with pending, completed and failed listener jobs gives the same state."""
    body = one_task(listeners(("start", "a"), ("start", "b"), ("end", "c")))
    driver = deployed(body, listeners(("end", "close")))
    waiting_b = driver.create("p")
    finish(driver, "a")
    driver.create("p")
    failed = driver.activate("a")
    driver.fail(int(failed[0]["key"]), 0, "down")
    finish(driver, "b")
    finish(driver, "work")
    assert state_of(driver, waiting_b, "t") == "ELEMENT_COMPLETING"
    engine = replayed(driver.records, driver)
    assert engine.state.snapshot() == driver.engine.state.snapshot()
    finish(driver, "c")
    finish(driver, "close")
    assert driver.is_completed(waiting_b)
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def test_an_interrupting_boundary_of_the_enclosing_subprocess_cancels_the_listener_job() -> None:
    """An interrupting boundary event terminates a subprocess whose inner task waits for its
    start listener: the listener job is canceled and the boundary path continues."""
    inner = (
        '<bpmn:startEvent id="is"/>'
        + task("t", "work", listeners(("start", "slow")))
        + '<bpmn:endEvent id="ie"/>'
        + chain("is", "t", "ie")
    )
    body = (
        f'<bpmn:startEvent id="s"/><bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        '<bpmn:boundaryEvent id="late" attachedToRef="sub"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>"
        '</bpmn:boundaryEvent><bpmn:endEvent id="e"/><bpmn:endEvent id="timedOut"/>'
        + chain("s", "sub", "e")
        + flow("f_late", "late", "timedOut")
    )
    driver = deployed(body)
    pi = driver.create("p")
    (job,) = driver.activate("slow")
    driver.advance(60_000)
    assert [r.key for r in driver.events(JOB, "CANCELED")] == [job["key"]]
    assert driver.completed(pi)[-2:] == ["timedOut", "p"]


def test_a_called_process_end_listener_hands_its_variables_to_the_caller() -> None:
    """A process end listener runs before the called process completes, so the call activity
    receives the variables the listener set."""
    child_body = '<bpmn:startEvent id="cs"/><bpmn:endEvent id="ce"/>' + chain("cs", "ce")
    child = bpmn(
        "child",
        f"<bpmn:extensionElements>{listeners(('end', 'summarize'))}</bpmn:extensionElements>"
        + child_body,
    )
    call = (
        '<bpmn:callActivity id="call"><bpmn:extensionElements>'
        '<zeebe:calledElement processId="child"/></bpmn:extensionElements></bpmn:callActivity>'
    )
    parent = bpmn(
        "parent",
        '<bpmn:startEvent id="s"/>' + call + '<bpmn:endEvent id="e"/>' + chain("s", "call", "e"),
    )
    driver = Driver()
    assert driver.deploy(child, parent).rejection is None
    pi = driver.create("parent")
    finish(driver, "summarize", {"summary": "ok"})
    assert driver.is_completed(pi)
    assert driver.written_variables(pi) == {"summary": "ok"}


def test_a_start_listener_sets_the_correlation_key_of_a_message_catch_event() -> None:
    """Use case "Intermediate catch events": "Variables set by ELs can be used to define the
    message correlation key"."""
    message = (
        '<bpmn:message id="m" name="paid"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="= orderId"/></bpmn:extensionElements></bpmn:message>'
    )
    catch = (
        '<bpmn:intermediateCatchEvent id="wait"><bpmn:extensionElements>'
        f"{listeners(('start', 'lookup'))}</bpmn:extensionElements>"
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>'
    )
    body = '<bpmn:startEvent id="s"/>' + catch + '<bpmn:endEvent id="e"/>' + chain("s", "wait", "e")
    driver = Driver()
    assert driver.deploy(bpmn("p", body, extra=message)).rejection is None
    pi = driver.create("p")
    assert driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION) == []
    finish(driver, "lookup", {"orderId": "o-7"})
    driver.publish("paid", "o-7")
    assert driver.is_completed(pi)


def test_a_message_started_process_runs_its_start_listener_then_its_message_start_event() -> None:
    """A process started by a message waits for its start listener, then continues at the
    message start event that started it, with the message's variables."""
    start = (
        '<bpmn:startEvent id="ms"><bpmn:messageEventDefinition messageRef="sm"/></bpmn:startEvent>'
    )
    body = (
        f"<bpmn:extensionElements>{listeners(('start', 'open'))}</bpmn:extensionElements>"
        + start
        + '<bpmn:endEvent id="e"/>'
        + chain("ms", "e")
    )
    driver = Driver()
    message = '<bpmn:message id="sm" name="order-placed"/>'
    assert driver.deploy(bpmn("p", body, extra=message)).rejection is None
    driver.publish("order-placed", "", variables={"order": 1})
    job = driver.job("open")
    pi = int(job["processInstanceKey"])
    assert driver.element_events(pi) == [("p", "ELEMENT_ACTIVATING")]
    driver.complete(int(job["key"]))
    assert driver.completed(pi) == ["ms", "e", "p"]
    assert driver.written_variables(pi) == {"order": 1}


def test_a_link_throw_event_runs_its_end_listener_before_continuing_at_the_catch() -> None:
    """End listeners hold a link throw event in COMPLETING; then the flow continues at the
    matching link catch event."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="go"><bpmn:extensionElements>'
        f"{listeners(('end', 'leave'))}</bpmn:extensionElements>"
        '<bpmn:linkEventDefinition name="jump"/></bpmn:intermediateThrowEvent>'
        '<bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="jump"/>'
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>'
        + chain("s", "go")
        + chain("land", "e")
    )
    driver = deployed(body)
    pi = driver.create("p")
    assert state_of(driver, pi, "go") == "ELEMENT_COMPLETING"
    finish(driver, "leave")
    assert driver.completed(pi) == ["s", "go", "land", "e", "p"]


def test_a_failing_end_listener_expression_holds_the_element_until_resolved() -> None:
    """An end listener whose type cannot be evaluated is an EXTRACT_VALUE_ERROR incident on the
    COMPLETING element; resolving it runs the end listeners again and the element completes."""
    driver = deployed(one_task(listeners(("end", "= auditType"))))
    pi = driver.create("p")
    finish(driver, "work")
    (incident,) = driver.incidents()
    assert (incident["errorType"], incident["elementId"]) == ("EXTRACT_VALUE_ERROR", "t")
    assert state_of(driver, pi, "t") == "ELEMENT_COMPLETING"
    driver.set_variables(pi, {"auditType": "audit"})
    assert driver.resolve(incident["key"]).rejection is None
    audit = driver.job("audit")
    assert audit["jobListenerEventType"] == "END"
    driver.complete(int(audit["key"]))
    assert driver.is_completed(pi)


def test_an_input_mapping_incident_comes_before_any_start_listener() -> None:
    """The inputs are applied before the first start listener: a failing input mapping is an
    IO_MAPPING_ERROR incident with no listener job; resolving it applies the inputs, then runs
    the listener."""
    inputs = (
        '<zeebe:ioMapping><zeebe:input source="= assert(given, given != null)" target="x"/>'
        "</zeebe:ioMapping>"
    )
    driver = deployed(one_task(inputs + listeners(("start", "audit"))))
    pi = driver.create("p")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "IO_MAPPING_ERROR"
    assert created_jobs(driver) == []
    driver.set_variables(pi, {"given": 1})
    assert driver.resolve(incident["key"]).rejection is None
    job = driver.job("audit")
    assert job["variables"]["x"] == 1
