"""Incident messages end with the FEEL evaluation's warnings (Zeebe 8.3+,
ExpressionProcessor.createFailureMessage): " The evaluation reported the following
warnings:" and one `[TYPE] message` per line. Expected texts are those of Zeebe's
ExpressionProcessorTest.EvaluationWarningsTest, its engine tests (AssertionTest-style IO
mapping, migration correlation keys) and the Camunda docs' Operate incident example."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow, service_task

from zeebe.engine.expressions import (
    Failure,
    evaluate,
    evaluate_string_list,
    evaluate_typed,
    warnings_suffix,
)
from zeebe.model.elements import Expression

pytestmark = pytest.mark.unit

SUFFIX = " The evaluation reported the following warnings:\n"
MISSING_X = "[NO_VARIABLE_FOUND] No variable found with name 'x'"


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        ("STRING", "Expected result of the expression 'x' to be 'STRING', but was 'NULL'."),
        ("NUMBER", "Expected result of the expression 'x' to be 'NUMBER', but was 'NULL'."),
        ("BOOLEAN", "Expected result of the expression 'x' to be 'BOOLEAN', but was 'NULL'."),
    ],
)
def test_type_check_failures_end_with_the_warnings(expected: str, message: str) -> None:
    """EvaluationWarningsTest testStringExpression / testLongExpression /
    testBooleanExpression: `=x` without x."""
    failure = evaluate_typed(Expression.of("=x"), {}, 0, expected)
    assert failure == Failure(message + SUFFIX + MISSING_X)


def test_string_list_failure_ends_with_the_warnings() -> None:
    """EvaluationWarningsTest testStringArrayExpression: `=[x]` is a list with a null."""
    failure = evaluate_string_list(Expression.of("=[x]"), {}, 0)
    assert failure == Failure(
        "Expected result of the expression '[x]' to be 'ARRAY' containing 'STRING' items, "
        "but was 'ARRAY' containing at least one non-'STRING' item." + SUFFIX + MISSING_X
    )


def test_warnings_are_joined_by_newlines() -> None:
    """Several warnings: one per line, in the order the evaluation met them."""
    failure = evaluate_typed(Expression.of("=x + 1"), {}, 0, "STRING")
    assert isinstance(failure, Failure)
    assert failure.message.endswith(SUFFIX + MISSING_X + "\n[INVALID_TYPE] Can't add '1' to 'null'")


def test_failure_without_warnings_has_no_suffix() -> None:
    """createFailureMessage appends nothing when the evaluation reported nothing."""
    failure = evaluate_typed(Expression.of('="a"'), {}, 0, "NUMBER")
    assert failure == Failure(
        "Expected result of the expression '\"a\"' to be 'NUMBER', but was 'STRING'."
    )
    assert warnings_suffix(Expression.of("static"), {}, 0) == ""


def test_assertion_failure_names_the_expression_and_lists_the_warnings() -> None:
    """Zeebe's execution listener test: "Assertion failure on evaluate the expression
    '{o_var_1:assert(some_var, some_var != null)}': The condition is not fulfilled" and the
    two lookups of some_var, then ASSERT_FAILURE."""
    source = "{o_var_1:assert(some_var, some_var != null)}"
    failure = evaluate(Expression.of(f"={source}"), {}, 0)
    missing = "[NO_VARIABLE_FOUND] No variable found with name 'some_var'"
    assert failure == Failure(
        f"Assertion failure on evaluate the expression '{source}': The condition is not "
        f"fulfilled{SUFFIX}{missing}\n{missing}\n[ASSERT_FAILURE] The condition is not fulfilled"
    )


def test_condition_incident_shows_why_the_condition_is_null() -> None:
    """Camunda docs (Operate, "Diagnosing and resolving incidents"): the condition
    `orderValue >= 100` with orderValue "99" is NOT_COMPARABLE."""
    xml = bpmn(
        "xor",
        '<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g" default="f_low"/>'
        '<bpmn:endEvent id="big"/><bpmn:endEvent id="low"/>'
        + flow("f_s", "s", "g")
        + flow("f_big", "g", "big", "= orderValue &gt;= 100")
        + flow("f_low", "g", "low"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.create("xor", {"orderValue": "99"})
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == (
        "Expected result of the expression 'orderValue >= 100' to be 'BOOLEAN', but was 'NULL'."
        + SUFFIX
        + "[NOT_COMPARABLE] Can't compare '\"99\"' with '100'"
    )


def test_correlation_key_incident_lists_the_warnings() -> None:
    """EvaluationWarningsTest testMessageCorrelationKeyExpression (and Zeebe's migration test
    text): "Failed to extract the correlation key for 'key': ... but was 'NULL'." + warnings."""
    xml = bpmn(
        "wait",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="m">'
        '<bpmn:messageEventDefinition messageRef="msg"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "m", "e"),
        extra='<bpmn:message id="msg" name="ping"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="= key"/></bpmn:extensionElements></bpmn:message>',
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.create("wait")
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == (
        "Failed to extract the correlation key for 'key': The value must be either a string or "
        "a number, but was 'NULL'."
        + SUFFIX
        + "[NO_VARIABLE_FOUND] No variable found with name 'key'"
    )


def test_input_collection_incident_lists_the_warnings() -> None:
    """The multi-instance input collection is an ARRAY expression (EvaluationWarningsTest
    testArrayExpression: "... to be 'ARRAY', but was 'NULL'." + warnings)."""
    loop = (
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="= order.items" inputElement="item"/>'
        "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>"
    )
    task = service_task("t", "pick").replace("</bpmn:serviceTask>", loop + "</bpmn:serviceTask>")
    xml = bpmn(
        "mi", '<bpmn:startEvent id="s"/>' + task + '<bpmn:endEvent id="e"/>' + chain("s", "t", "e")
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.create("mi", {"order": {"id": 7}})
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == (
        "Expected result of the expression 'order.items' to be 'ARRAY', but was 'NULL'."
        + SUFFIX
        + "[NO_CONTEXT_ENTRY_FOUND] No context entry found with key 'items'. Available keys: 'id'"
    )


def test_timer_incident_lists_the_warnings() -> None:
    """EvaluationWarningsTest testIntervalExpression: "... to be one of '[DURATION, PERIOD,
    STRING]', but was 'NULL'." + warnings."""
    xml = bpmn(
        "sleep",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>= x</bpmn:timeDuration></bpmn:timerEventDefinition>"
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>' + chain("s", "t", "e"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.create("sleep")
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == (
        "Expected result of the expression 'x' to be one of '[DURATION, PERIOD, STRING]', "
        "but was 'NULL'." + SUFFIX + MISSING_X
    )
