"""Spec audit (h54), section 9: timer placement, value formats and the default job retries.

The fake clock starts at 2023-11-14T22:13:20Z (a Tuesday), START_TIME in engine_support.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.zeebe.engine.engine_support import Driver, bpmn, chain, flow, service_task
from zeebe.records import ValueType

pytestmark = pytest.mark.unit

# the spec's own timer values that Modeler's timer lint rule does not accept
LINT_REASON = "spec 9.2 example the bpmnlint timer rule rejects (zone id / no zone / negative)"
EXEMPT = pytest.mark.bpmnlint_exempt(reason=LINT_REASON)


def _catch(kind: str, value: str) -> bytes:
    return bpmn(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c"><bpmn:timerEventDefinition>'
        f"<bpmn:{kind}>{value}</bpmn:{kind}></bpmn:timerEventDefinition>"
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>' + chain("s", "c", "e"),
    )


def _delay(kind: str, value: str, variables: dict[str, Any] | None = None) -> int:
    """Milliseconds from now until the catch event's timer is due."""
    driver = Driver()
    driver.deploy(_catch(kind, value))
    driver.create("p", variables)
    [timer] = driver.events(ValueType.TIMER, "CREATED")
    return int(timer.value["dueDate"]) - driver.now


def _timer_start(definition: str) -> Driver:
    driver = Driver()
    body = (
        '<bpmn:startEvent id="s"><bpmn:timerEventDefinition>'
        f"{definition}</bpmn:timerEventDefinition></bpmn:startEvent>"
        '<bpmn:endEvent id="e"/>' + chain("s", "e")
    )
    result = driver.deploy(bpmn("p", body))
    assert result.rejection is None, result.rejection
    return driver


def _started(driver: Driver) -> int:
    return sum(
        1
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED")
        if r.value["bpmnElementType"] == "PROCESS"
    )


@pytest.mark.parametrize(
    ("value", "millis"),
    [
        ("PT15S", 15_000),
        ("PT1H30M", 5_400_000),
        ("P14D", 14 * 86_400_000),
        ("P14DT1H30M", 14 * 86_400_000 + 5_400_000),
        ("P1W", 7 * 86_400_000),
    ],
)
def test_time_duration_formats(value: str, millis: int) -> None:
    """Spec 9.2: "timeDuration: ISO 8601 `P(n)Y(n)M(n)DT(n)H(n)M(n)S` (also `W`): `PT15S`,
    `PT1H30M`, `P14D`, `P14DT1H30M`"."""
    assert _delay("timeDuration", value) == millis


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2023-11-15T00:00:00Z", id="utc"),
        pytest.param("2023-11-15T02:00:00+02:00", id="offset"),
        pytest.param("2023-11-15T01:00:00[Europe/Berlin]", id="zone-id", marks=EXEMPT),
        pytest.param("2023-11-15T00:00:00", id="no-zone-is-utc", marks=EXEMPT),
    ],
)
def test_time_date_forms_denote_the_same_instant(value: str) -> None:
    """Spec 9.2: timeDate "must contain timezone information, either `Z` for UTC or a zone
    offset. Optionally, it can contain an IANA zone id"; "If you don't specify a timezone then
    Camunda interprets the time as UTC"."""
    assert _delay("timeDate", value) == 6_400_000


@pytest.mark.parametrize(
    ("value", "variables", "millis"),
    [
        ("=remaining", {"remaining": "PT1M"}, 60_000),
        ('=duration("PT2M")', {}, 120_000),
        (
            "=date and time(until) - date and time(since)",
            {"since": "2020-01-01T00:00:00Z", "until": "2020-01-01T00:05:00Z"},
            300_000,
        ),
    ],
    ids=["string", "duration-value", "date-difference"],
)
def test_timer_expressions_yield_a_string_or_a_temporal_value(
    value: str, variables: dict[str, Any], millis: int
) -> None:
    """Spec 9.2: "The evaluation must result in either a `string` that has the same ISO 8601
    format as the static value, or an equivalent temporal value"; example
    `= date and time(expirationDate) - date and time(creationDate)`."""
    assert _delay("timeDuration", value, variables) == millis


def test_a_timer_expression_of_the_wrong_type_raises_an_incident() -> None:
    """Spec 9.2: "Wrong type -> incident"."""
    driver = Driver()
    driver.deploy(_catch("timeDuration", "=remaining"))
    driver.create("p", {"remaining": 5})
    [incident] = driver.incidents()
    assert (incident["errorType"], incident["elementId"]) == ("EXTRACT_VALUE_ERROR", "c")


@pytest.mark.parametrize(
    "value", [pytest.param("PT0S", id="zero"), pytest.param("-PT5S", id="negative", marks=EXEMPT)]
)
def test_a_zero_or_negative_duration_fires_immediately(value: str) -> None:
    """Spec 9.2: "If the duration is zero or negative, the timer fires immediately"."""
    driver = Driver()
    driver.deploy(_catch("timeDuration", value))
    key = driver.create("p")
    driver.advance(0)
    assert driver.is_completed(key)


def test_a_timer_never_triggers_before_its_due_date() -> None:
    """Spec 9.2: "timers will never trigger earlier than the due date"."""
    driver = Driver()
    driver.deploy(_catch("timeDuration", "PT10S"))
    key = driver.create("p")
    driver.advance(9_999)
    assert not driver.is_completed(key)
    driver.advance(1)
    assert driver.is_completed(key)


def test_an_intermediate_timer_catch_event_rejects_a_cycle() -> None:
    """Spec 9.1: an intermediate timer catch event "can either be a time duration, or a time
    date"."""
    result = Driver().deploy(_catch("timeCycle", "R2/PT10S"))
    assert result.rejection is not None
    assert "must have either a time duration or a time date" in result.rejection.reason


def _boundary(definition: str, cancel: str) -> bytes:
    return bpmn(
        "p",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "w")
        + f'<bpmn:boundaryEvent id="b" attachedToRef="t" cancelActivity="{cancel}">'
        f"<bpmn:timerEventDefinition>{definition}</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="late"/>'
        + chain("s", "t", "e")
        + flow("f_b_late", "b", "late"),
    )


def test_an_interrupting_timer_boundary_event_terminates_the_activity() -> None:
    """Spec 9.1: "When the corresponding timer is triggered, the activity is terminated"."""
    driver = Driver()
    driver.deploy(_boundary("<bpmn:timeDuration>PT10S</bpmn:timeDuration>", "true"))
    key = driver.create("p")
    driver.advance(10_000)
    assert ("t", "ELEMENT_TERMINATED") in driver.element_events(key)
    assert driver.is_completed(key)


def test_an_interrupting_timer_boundary_event_rejects_a_cycle() -> None:
    """Spec 9.1: an interrupting timer boundary event "must have a time duration, or a time date
    definition"."""
    result = Driver().deploy(_boundary("<bpmn:timeCycle>R2/PT10S</bpmn:timeCycle>", "true"))
    assert result.rejection is not None


@pytest.mark.parametrize(
    ("definition", "fired"),
    [
        ("<bpmn:timeCycle>R2/PT10S</bpmn:timeCycle>", 2),
        ("<bpmn:timeCycle>R/PT10S</bpmn:timeCycle>", 7),
        ("<bpmn:timeDuration>PT10S</bpmn:timeDuration>", 1),
    ],
    ids=["two-repetitions", "unbounded", "duration-once"],
)
def test_non_interrupting_timer_boundary_repetitions(definition: str, fired: int) -> None:
    """Spec 9.1: "If the timer is triggered and defined as time cycle with repetitions greater
    than zero, it schedules the timer again until the defined number of repetitions is reached"
    ("If the repetitions are not defined, the timer repeats infinitely until it is canceled");
    "a non-interrupting timer boundary event that's defined with a time duration will only
    trigger a single time"."""
    driver = Driver()
    driver.deploy(_boundary(definition, "false"))
    key = driver.create("p")
    for _ in range(7):
        driver.advance(10_000)
    assert driver.completed(key).count("b") == fired


def test_a_timer_start_event_rejects_a_duration() -> None:
    """Spec 9.1: "Each of the timer events must have either a time date or time cycle
    definition"."""
    body = (
        '<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M'
        '</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent><bpmn:endEvent id="e"/>'
    )
    assert Driver().deploy(bpmn("p", body + chain("s", "e"))).rejection is not None


def test_a_timer_start_event_with_a_date_creates_one_instance() -> None:
    """Spec 9.1: "When a timer is triggered, a new process instance is created"."""
    driver = _timer_start("<bpmn:timeDate>2023-11-14T22:13:30Z</bpmn:timeDate>")
    for _ in range(4):
        driver.advance(10_000)
    assert _started(driver) == 1


def test_a_cycle_with_a_start_time_fires_first_at_that_time() -> None:
    """Spec 9.2: `R3/2022-04-27T17:20:00Z/P1D` - "the timer triggers for the first time on the
    given start time. Afterwards, it will follow the interval as usual"."""
    driver = _timer_start("<bpmn:timeCycle>R2/2023-11-14T22:13:40Z/PT10S</bpmn:timeCycle>")
    driver.advance(19_999)
    assert _started(driver) == 0
    driver.advance(1)
    assert _started(driver) == 1
    driver.advance(10_000)
    driver.advance(10_000)
    assert _started(driver) == 2


def test_a_cron_cycle_follows_the_spring_syntax() -> None:
    """Spec 9.2: cron (Spring 5.3 cron syntax, 6 fields incl. seconds): `0 0 9-17 * * MON-FRI`
    ("Every hour on the hour from 9-5 p.m. UTC Monday-Friday"); from Tuesday 22:13:20Z the next
    fire is Wednesday 09:00Z, then 10:00Z."""
    driver = _timer_start("<bpmn:timeCycle>0 0 9-17 * * MON-FRI</bpmn:timeCycle>")
    [first] = driver.events(ValueType.TIMER, "CREATED")
    assert int(first.value["dueDate"]) - driver.now == 38_800_000
    driver.advance(38_800_000)
    assert _started(driver) == 1
    assert int(driver.events(ValueType.TIMER, "CREATED")[-1].value["dueDate"]) == (
        driver.now + 3_600_000
    )


def test_a_timer_start_expression_is_evaluated_at_deployment() -> None:
    """Spec 9.1: "Expressions here are evaluated **at deployment**" - a variable cannot be
    referenced, a self-contained expression schedules the timer."""
    driver = _timer_start('<bpmn:timeCycle>="R2/PT" + string(5) + "S"</bpmn:timeCycle>')
    [timer] = driver.events(ValueType.TIMER, "CREATED")
    assert (int(timer.value["dueDate"]) - driver.now, timer.value["repetitions"]) == (5_000, 2)
    body = (
        '<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeCycle>=cycle'
        '</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent><bpmn:endEvent id="e"/>'
    )
    assert Driver().deploy(bpmn("p", body + chain("s", "e"))).rejection is not None


def test_a_new_version_cancels_the_previous_timer_start_events() -> None:
    """Spec 9.1: "Scheduled timers of the previous version of the process (based on the BPMN
    process ID) are canceled"."""
    driver = _timer_start("<bpmn:timeCycle>R/PT10S</bpmn:timeCycle>")
    body = (
        '<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT10S'
        '</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent><bpmn:endEvent id="e2"/>'
    )
    driver.deploy(bpmn("p", body + chain("s", "e2")))
    driver.advance(10_000)
    versions = [
        r.value["version"]
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED")
        if r.value["bpmnElementType"] == "PROCESS"
    ]
    assert versions == [2]
    assert len(driver.events(ValueType.TIMER, "CANCELED")) == 1


def _retries(attributes: str, variables: dict[str, Any] | None = None) -> list[int]:
    driver = Driver()
    body = (
        '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="w" {attributes}/></bpmn:extensionElements></bpmn:serviceTask>'
        '<bpmn:endEvent id="e"/>' + chain("s", "t", "e")
    )
    driver.deploy(bpmn("p", body))
    driver.create("p", variables)
    return [int(job["retries"]) for job in driver.activate("w")]


def test_retries_default_to_three() -> None:
    """Spec 9.3: "`retries` (optional) ... The default is three"."""
    assert _retries("") == [3]


def test_retries_may_be_an_expression_evaluated_on_activation() -> None:
    """Spec 9.3: "The expressions are evaluated on activating the service task and must result
    in ... a `number` for the retries"."""
    assert _retries('retries="=attempts + 1"', {"attempts": 6}) == [7]


def test_a_job_timeout_does_not_change_the_retries() -> None:
    """Spec 9.3: "only FailJob ..., UpdateJobRetries, REST `PATCH /jobs` change it; timeouts do
    not"."""
    driver = Driver()
    body = (
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "w", retries=5)
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e")
    )
    driver.deploy(bpmn("p", body))
    driver.create("p")
    driver.activate("w", timeout=1_000)
    driver.advance(2_000)
    assert [job["retries"] for job in driver.activate("w")] == [5]


def test_a_cycle_start_may_carry_a_zone_id() -> None:
    """Spec 9.2: cycle start times are ISO 8601 date-times, and a date-time "Optionally ... can
    contain an IANA zone id" (Zeebe parses the start with `ZonedDateTime.parse`, so
    `2023-11-14T23:13:40+01:00[Europe/Berlin]` is valid; the zone's '/' is not a separator)."""
    driver = _timer_start(
        "<bpmn:timeCycle>R2/2023-11-14T23:13:40+01:00[Europe/Berlin]/PT10S</bpmn:timeCycle>"
    )
    [timer] = driver.events(ValueType.TIMER, "CREATED")
    assert int(timer.value["dueDate"]) - driver.now == 20_000


def test_execution_listener_retries_default_to_three() -> None:
    """Spec 9.3 [E]: "Model default `ZeebeTaskDefinition.DEFAULT_RETRIES = "3"` (same for
    execution listeners)"."""
    body = (
        '<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:executionListeners>'
        '<zeebe:executionListener eventType="end" type="listen"/></zeebe:executionListeners>'
        '</bpmn:extensionElements></bpmn:startEvent><bpmn:endEvent id="e"/>' + chain("s", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    driver.create("p")
    assert [job["retries"] for job in driver.activate("listen")] == [3]
