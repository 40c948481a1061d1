"""A loop without a wait state cannot hold the engine: the record limit of one command.

Zeebe writes each follow-up as its own command, so a loop made only of gateways runs forever
while the broker keeps answering. Here the follow-ups of a command run inside one call; past
`MAX_RECORDS_PER_COMMAND` records the command is rejected (PROCESSING_ERROR) and the engine
goes on with the next command (zeebe/engine/README.md, "limits of this engine").
"""

from __future__ import annotations

import pytest
from engine_support import ONE_TASK, Driver, bpmn, flow

from zeebe.engine.context import MAX_RECORDS_PER_COMMAND
from zeebe.engine.engine import Engine
from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit

# start -> a -> b -(default)-> a ...; b's way out is never taken: a retry loop without a wait state
GATEWAY_LOOP = bpmn(
    "gateway-loop",
    '<bpmn:startEvent id="start"/>'
    '<bpmn:exclusiveGateway id="a"/><bpmn:exclusiveGateway id="b" default="f_b_a"/>'
    '<bpmn:endEvent id="end"/>'
    + flow("f_start_a", "start", "a")
    + flow("f_a_b", "a", "b")
    + flow("f_b_end", "b", "end", "= false")
    + flow("f_b_a", "b", "a"),
)
LIMIT = 2_000  # small, so the test runs in milliseconds


def looping_driver() -> Driver:
    driver = Driver()
    driver.engine.max_records_per_command = LIMIT
    assert driver.deploy(GATEWAY_LOOP).rejection is None
    assert driver.deploy(ONE_TASK, names=("one.bpmn",)).rejection is None
    return driver


def loop_instance_key(driver: Driver) -> int:
    created = driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")[0]
    return int(created.value["processInstanceKey"])


def test_the_default_limit_leaves_room_for_large_commands() -> None:
    """A checkout writes ~90 records per command chain; the limit is three orders above."""
    assert Engine(lambda: 0).max_records_per_command == MAX_RECORDS_PER_COMMAND >= 100_000


def test_a_gateway_loop_is_rejected_once_the_command_wrote_too_many_records() -> None:
    """The create command is answered with a PROCESSING_ERROR naming the limit and the cause,
    instead of never returning."""
    driver = looping_driver()
    result = driver.try_create("gateway-loop")
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.PROCESSING_ERROR
    assert f"at most {LIMIT} follow-up records" in result.rejection.reason
    assert "loop without a wait state" in result.rejection.reason
    assert LIMIT < len(result.records) <= LIMIT + 10


def test_the_engine_goes_on_with_other_commands_after_the_rejection() -> None:
    """Other instances are created and run as before."""
    driver = looping_driver()
    driver.try_create("gateway-loop")
    other = driver.create("one-task")
    driver.complete(int(driver.job("work")["key"]))
    assert driver.is_completed(other)


def test_the_stopped_instance_can_be_canceled() -> None:
    """What was written stays (state and log agree); canceling ends the instance."""
    driver = looping_driver()
    driver.try_create("gateway-loop")
    key = loop_instance_key(driver)
    assert driver.active(key)
    assert driver.cancel(key).rejection is None
    assert driver.active(key) == []


def test_replay_of_the_written_records_gives_the_same_state() -> None:
    """The records of the rejected command were applied as written: a replay agrees."""
    driver = looping_driver()
    driver.try_create("gateway-loop")
    engine = Engine(lambda: driver.now)
    engine.replay(driver.records)
    assert engine.state.snapshot() == driver.engine.state.snapshot()
