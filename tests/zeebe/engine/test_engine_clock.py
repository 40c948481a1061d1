"""The engine clock (Zeebe 8.6+ CLOCK PIN / RESET, `ClockProcessor`): a pinned clock stands
still at the pinned time for everything the engine times, until pinned again or reset."""

from __future__ import annotations

import pytest
from engine_support import ONE_TASK, START_TIME, Driver, bpmn, chain

from zeebe.engine.engine import Engine
from zeebe.records import RecordType, RejectionType, ValueType

pytestmark = pytest.mark.unit

HOUR = 3_600_000
SLEEP_AN_HOUR = bpmn(
    "sleep",
    '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition>'
    "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
    '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>' + chain("s", "t", "e"),
)


def pin(driver: Driver, time: int) -> None:
    result = driver.send(ValueType.CLOCK, "PIN", {"time": time})
    assert result.rejection is None, result.rejection


def test_pin_writes_pinned_answers_and_stamps_records_with_the_pinned_time() -> None:
    """PIN -> PINNED {time} with a new key; records written afterwards carry the pinned time."""
    driver = Driver()
    result = driver.send(ValueType.CLOCK, "PIN", {"time": START_TIME + HOUR})
    command, pinned = result.records
    assert (command.record_type, pinned.record_type) == (RecordType.COMMAND, RecordType.EVENT)
    assert (pinned.intent, pinned.value) == ("PINNED", {"time": START_TIME + HOUR})
    assert result.response == {"key": pinned.key, "time": START_TIME + HOUR}
    driver.deploy(ONE_TASK)
    driver.now += 5_000  # the real clock moves; the pinned one does not
    driver.create("one-task")
    assert {r.timestamp for r in driver.records[2:]} == {START_TIME + HOUR}


def test_a_negative_pin_time_is_rejected_with_zeebes_text() -> None:
    """`Expected pin time to be not negative but it was -1`, INVALID_ARGUMENT; nothing pinned."""
    driver = Driver()
    result = driver.send(ValueType.CLOCK, "PIN", {"time": -1})
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert result.rejection.reason == "Expected pin time to be not negative but it was -1"
    assert driver.engine.now() == START_TIME


def test_pinning_past_a_timer_fires_it_and_the_real_clock_no_longer_counts() -> None:
    """Timers compare with the engine's time: pinned an hour ahead, a one-hour timer is due;
    while pinned, the real clock passing the due date changes nothing."""
    driver = Driver()
    driver.deploy(SLEEP_AN_HOUR)
    pin(driver, START_TIME)
    instance = driver.create("sleep")
    driver.advance(2 * HOUR)  # the real clock, not the engine's
    assert not driver.is_completed(instance)
    pin(driver, START_TIME + HOUR)
    driver.advance(0)
    assert driver.is_completed(instance)


def test_job_deadlines_follow_the_pinned_clock() -> None:
    """An activated job's deadline is the pinned time plus its timeout; it times out only when
    the pinned clock passes it."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    driver.create("one-task")
    pin(driver, START_TIME + HOUR)
    (job,) = driver.activate("work", timeout=60_000)
    assert job["deadline"] == START_TIME + HOUR + 60_000
    driver.advance(10 * 60_000)
    assert not driver.events(ValueType.JOB, "TIMED_OUT")
    pin(driver, START_TIME + HOUR + 60_000)
    driver.advance(0)
    assert driver.events(ValueType.JOB, "TIMED_OUT")


def test_reset_makes_the_engine_follow_its_clock_again() -> None:
    """RESET -> RESETTED; the next records carry the real clock's time."""
    driver = Driver()
    pin(driver, 42)
    assert driver.engine.now() == 42
    result = driver.send(ValueType.CLOCK, "RESET", {})
    assert [r.intent for r in result.records] == ["RESET", "RESETTED"]
    assert driver.engine.now() == START_TIME


def test_replay_restores_the_pin() -> None:
    """The pin is state written by events: a replayed engine stands at the same time."""
    driver = Driver()
    pin(driver, START_TIME - HOUR)
    replayed = Engine(lambda: START_TIME + 7)
    replayed.replay(driver.records)
    assert replayed.now() == START_TIME - HOUR
