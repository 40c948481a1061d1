"""Spec audit (h54), sections 6 and 7.1: Zeebe extension elements and expression-or-static
attribute values."""

from __future__ import annotations

import pytest

from tests.zeebe.engine.engine_support import Driver, bpmn, chain, flow, service_task

pytestmark = pytest.mark.unit

END = '<bpmn:endEvent id="e"/>'
CATCH_M = (
    '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c">'
    '<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>'
    '<bpmn:endEvent id="e"/>' + chain("s", "c", "e")
)


def _rejection(body: str, extra: str = "") -> str:
    result = Driver().deploy(bpmn("p", body, extra))
    assert result.rejection is not None, "the deployment was accepted"
    return result.rejection.reason


def _headers(headers: str) -> dict[str, str]:
    driver = Driver()
    task = service_task("t", "w", f"<zeebe:taskHeaders>{headers}</zeebe:taskHeaders>")
    driver.deploy(bpmn("p", '<bpmn:startEvent id="s"/>' + task + END + chain("s", "t", "e")))
    driver.create("p")
    return dict(driver.job("w")["customHeaders"])


def test_task_headers_become_the_jobs_custom_headers() -> None:
    """Spec 6: `zeebe:taskHeaders > zeebe:header` - "Static headers -> `ActivatedJob.customHeaders`
    JSON object (string->string)"."""
    headers = '<zeebe:header key="method" value="VISA"/><zeebe:header key="n" value="5"/>'
    assert _headers(headers) == {"method": "VISA", "n": "5"}


def test_a_header_without_key_or_value_is_ignored() -> None:
    """Spec 6: header attributes `key`*, `value`* are required; Zeebe's TaskHeadersTransformer
    drops a header without a non-empty key and value ("Ignoring invalid headers")."""
    headers = (
        '<zeebe:header key="noValue"/><zeebe:header key="" value="noKey"/>'
        '<zeebe:header key="empty" value=""/><zeebe:header key="ok" value="1"/>'
    )
    assert _headers(headers) == {"ok": "1"}


def test_template_attributes_and_properties_are_ignored_at_runtime() -> None:
    """Spec 6: "`zeebe:modelerTemplate`, `zeebe:modelerTemplateVersion` ... (element templates;
    ignore at runtime)"; `zeebe:properties` are free-form (templates/connectors)."""
    task = (
        '<bpmn:serviceTask id="t" zeebe:modelerTemplate="io.camunda.connectors.HttpJson.v2" '
        'zeebe:modelerTemplateVersion="5"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="w"/><zeebe:properties><zeebe:property name="a" value="b"/>'
        "</zeebe:properties></bpmn:extensionElements></bpmn:serviceTask>"
    )
    driver = Driver()
    driver.deploy(bpmn("p", '<bpmn:startEvent id="s"/>' + task + END + chain("s", "t", "e")))
    driver.create("p")
    job = driver.job("w")
    assert (job["customHeaders"], job["variables"]) == ({}, {})


def test_definitions_without_modeler_metadata_deploy() -> None:
    """Spec 6: `modeler:executionPlatform` / `exporter` "are tooling metadata: the engine does not
    require them"."""
    document = bpmn("p", '<bpmn:startEvent id="s"/>' + END + chain("s", "e"))
    assert b"executionPlatform" not in document and b"exporter=" not in document
    assert Driver().deploy(document).rejection is None


@pytest.mark.parametrize(
    ("body", "extra", "text"),
    [
        pytest.param(
            '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements>'
            "<zeebe:taskDefinition/></bpmn:extensionElements></bpmn:serviceTask>" + chain("s", "t"),
            "",
            "Attribute 'type' must be present and not empty",
            id="taskDefinition-type",
        ),
        pytest.param(
            CATCH_M,
            '<bpmn:message id="m" name="paid"/>',
            "Must have exactly one 'zeebe:subscription' extension element",
            id="subscription",
        ),
        pytest.param(
            '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements>'
            '<zeebe:taskDefinition type="w"/></bpmn:extensionElements>'
            "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
            '<zeebe:loopCharacteristics inputElement="x"/></bpmn:extensionElements>'
            "</bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>" + chain("s", "t"),
            "",
            "Attribute 'inputCollection' must be present and not empty",
            id="loopCharacteristics-inputCollection",
        ),
        pytest.param(
            '<bpmn:startEvent id="s"/><bpmn:callActivity id="ca"><bpmn:extensionElements>'
            "<zeebe:calledElement/></bpmn:extensionElements></bpmn:callActivity>"
            + chain("s", "ca"),
            "",
            "Attribute 'processId' must be present and not empty",
            id="calledElement-processId",
        ),
        pytest.param(
            '<bpmn:startEvent id="s"/>'
            + service_task(
                "t", "w", '<zeebe:ioMapping><zeebe:input source="=1"/></zeebe:ioMapping>'
            )
            + chain("s", "t"),
            "",
            "Attribute 'target' must be present and not empty",
            id="input-target",
        ),
    ],
)
def test_required_extension_attributes(body: str, extra: str, text: str) -> None:
    """Spec 6 table: required attributes (marked *) - `taskDefinition@type`, one
    `zeebe:subscription` per catch message, `loopCharacteristics@inputCollection`,
    `calledElement@processId`, mapping `target`."""
    assert text in _rejection(body, extra)


def test_a_correlation_key_must_be_an_expression() -> None:
    """Spec 7.1: "Some attributes *require* an expression (sequence-flow conditions, correlation
    keys, input collections)"."""
    extra = (
        '<bpmn:message id="m" name="paid"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="orderId"/></bpmn:extensionElements></bpmn:message>'
    )
    assert "Expected expression but found static value 'orderId'" in _rejection(CATCH_M, extra)


def test_a_catch_error_code_must_be_static() -> None:
    """Spec 7.1: "Catch-event error/escalation codes must be static"."""
    body = (
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "w")
        + '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:errorEventDefinition errorRef="er"/>'
        '</bpmn:boundaryEvent><bpmn:endEvent id="e"/>' + chain("s", "t") + flow("fb", "b", "e")
    )
    reason = _rejection(body, '<bpmn:error id="er" errorCode="=code"/>')
    assert "The code of a catch event must be a static value" in reason


def test_job_type_message_name_and_called_process_may_be_expressions() -> None:
    """Spec 7.1: "others take either (timer definitions, job type, retries, message name, called
    processId, error/escalation code on throw events)"."""
    driver = Driver()
    driver.deploy(
        bpmn("child", '<bpmn:startEvent id="cs"/><bpmn:endEvent id="ce"/>' + chain("cs", "ce"))
    )
    body = (
        '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="=&quot;pay-&quot; + method"/></bpmn:extensionElements>'
        '</bpmn:serviceTask><bpmn:intermediateCatchEvent id="c">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>'
        '<bpmn:callActivity id="ca"><bpmn:extensionElements><zeebe:calledElement processId="=sub"/>'
        '</bpmn:extensionElements></bpmn:callActivity><bpmn:endEvent id="e"/>'
        + chain("s", "t", "c", "ca", "e")
    )
    message = (
        '<bpmn:message id="m" name="=&quot;paid-&quot; + method"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>'
    )
    driver.deploy(bpmn("p", body, message))
    key = driver.create("p", {"method": "visa", "orderId": "o-1", "sub": "child"})
    driver.complete(driver.job("pay-visa")["key"])
    driver.publish("paid-visa", "o-1")
    assert driver.is_completed(key)


def test_an_error_code_on_a_throw_event_may_be_an_expression() -> None:
    """Spec 6: "`bpmn:error@errorCode` (static or `=expr` for throw events)"."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>'
        '<bpmn:endEvent id="ee"><bpmn:errorEventDefinition errorRef="thrown"/></bpmn:endEvent>'
        + flow("f_ss_ee", "ss", "ee")
        + '</bpmn:subProcess><bpmn:boundaryEvent id="b" attachedToRef="sp">'
        '<bpmn:errorEventDefinition errorRef="caught"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="declined"/>'
        + chain("s", "sp", "e")
        + flow("f_b_declined", "b", "declined")
    )
    errors = (
        '<bpmn:error id="thrown" errorCode="=code"/><bpmn:error id="caught" errorCode="DECLINED"/>'
    )
    driver = Driver()
    driver.deploy(bpmn("p", body, errors))
    key = driver.create("p", {"code": "DECLINED"})
    assert "b" in driver.completed(key)


def test_message_throw_and_end_events_with_a_task_definition_create_jobs() -> None:
    """Spec 6: `zeebe:taskDefinition` is allowed in "message end event, message intermediate
    throw event" - they behave like service tasks."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="i"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="notify"/></bpmn:extensionElements>'
        "<bpmn:messageEventDefinition/></bpmn:intermediateThrowEvent>"
        '<bpmn:endEvent id="e"><bpmn:extensionElements><zeebe:taskDefinition type="reply"/>'
        "</bpmn:extensionElements><bpmn:messageEventDefinition/></bpmn:endEvent>"
        + chain("s", "i", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    key = driver.create("p")
    driver.complete(driver.job("notify")["key"])
    driver.complete(driver.job("reply")["key"])
    assert driver.is_completed(key)


def test_a_feel_script_task_writes_its_result_variable() -> None:
    """Spec 6: `zeebe:script` `expression` (FEEL), `resultVariable` - "FEEL script task
    (engine-evaluated, no job)"."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:scriptTask id="t"><bpmn:extensionElements>'
        '<zeebe:script expression="=total * 2" resultVariable="doubled"/></bpmn:extensionElements>'
        '</bpmn:scriptTask><bpmn:endEvent id="e"/>' + chain("s", "t", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    key = driver.create("p", {"total": 21})
    assert driver.written_variables(key) == {"total": 21, "doubled": 42}


@pytest.mark.parametrize(
    ("attribute", "job_type"),
    [("plain", "plain"), ("&quot;quoted&quot;", '"quoted"'), ("= &quot;spaced&quot;", "spaced")],
    ids=["static", "static-with-quotes", "expression"],
)
def test_static_values_are_taken_verbatim(attribute: str, job_type: str) -> None:
    """Spec 7.1: "If the element does not start with the prefix, it is used as a static value. A
    static value is used either as a string (e.g. job type) or as a number (e.g. job retries). A
    string value must not be enclosed in quotes" (the quotes would be part of the value);
    "Expressions always start with an **equals sign**"."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{attribute}" retries="5"/></bpmn:extensionElements>'
        "</bpmn:serviceTask>" + END + chain("s", "t", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    driver.create("p")
    [job] = driver.activate(job_type)
    assert job["retries"] == 5
