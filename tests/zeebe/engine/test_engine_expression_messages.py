"""Incident messages name the failing expression the way Zeebe prints it (spec 7.1: the `=`
marks FEEL and is not part of the expression; Zeebe shows e.g. 'assert(x, ...)')."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain

from zeebe.engine.expressions import Failure, evaluate
from zeebe.engine.timers import schedule
from zeebe.model.elements import Expression, TimerKind

pytestmark = pytest.mark.unit


def test_evaluation_failure_shows_expression_without_equals_and_space() -> None:
    """'= assert(x, x > 1)' is reported as 'assert(x, x > 1)' (FEEL-Scala's assertion text)."""
    result = evaluate(Expression.of("= assert(x, x > 1)"), {"x": 0}, 0)
    assert isinstance(result, Failure)
    assert result.message.startswith(
        "Assertion failure on evaluate the expression 'assert(x, x > 1)': "
    )


def test_syntax_error_is_not_prefixed_twice() -> None:
    """zeebe.feel's syntax error already reads "failed to parse expression '...': ..."."""
    result = evaluate(Expression.of("= a +"), {}, 0)
    assert isinstance(result, Failure)
    assert result.message.startswith("failed to parse expression 'a +': ")
    assert result.message.count("failed to parse expression") == 1


def test_bad_timer_date_names_the_expression_not_the_value_twice() -> None:
    """Zeebe: "Invalid date-time format '<value>' for expression '<expression>'"."""
    result = schedule(TimerKind.DATE, "tomorrow", 0, " dueDate")
    assert isinstance(result, Failure)
    assert result.message == "Invalid date-time format 'tomorrow' for expression 'dueDate'"


def test_bad_timer_duration_names_the_expression() -> None:
    """The same rule for durations: "Invalid duration format '<value>' for expression '...'"."""
    result = schedule(TimerKind.DURATION, "soon", 0, "wait")
    assert isinstance(result, Failure)
    assert result.message == "Invalid duration format 'soon' for expression 'wait'"


def test_timer_incident_message_in_the_engine() -> None:
    """A FEEL timeDate that yields a bad string raises an incident naming the expression."""
    catch = (
        '<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition>'
        "<bpmn:timeDate>= due</bpmn:timeDate></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
    )
    end = '<bpmn:endEvent id="e"/>'
    xml = bpmn("timed", '<bpmn:startEvent id="s"/>' + catch + end + chain("s", "wait", "e"))
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.create("timed", {"due": "never"})
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == "Invalid date-time format 'never' for expression 'due'"
