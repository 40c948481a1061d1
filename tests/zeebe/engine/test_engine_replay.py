"""Replay: applying the EVENT records of a log rebuilds identical state (CONVENTIONS 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import ONE_TASK, Driver, bpmn, chain, flow, service_task

from zeebe.engine.api import Command
from zeebe.engine.engine import Engine
from zeebe.records import Record, ValueType

pytestmark = pytest.mark.unit

CHECKOUT = Path(__file__).resolve().parents[3] / "bpmn" / "checkout.bpmn"
MESSAGE = (
    '<bpmn:message id="m" name="paid"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="= orderId"/></bpmn:extensionElements></bpmn:message>'
    '<bpmn:error id="err" errorCode="E"/>'
)
SAGA = bpmn(
    "saga",
    '<bpmn:startEvent id="s"/>'
    + service_task("reserve", "reserve")
    + '<bpmn:boundaryEvent id="failed" attachedToRef="reserve">'
    '<bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>'
    '<bpmn:boundaryEvent id="slow" attachedToRef="reserve" cancelActivity="false">'
    "<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT10S</bpmn:timeCycle>"
    "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
    '<bpmn:parallelGateway id="fork"/>'
    '<bpmn:intermediateCatchEvent id="confirm"><bpmn:messageEventDefinition messageRef="m"/>'
    "</bpmn:intermediateCatchEvent>"
    + service_task("notify", "notify")
    + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="done"/><bpmn:endEvent id="abort"/>'
    '<bpmn:endEvent id="slowEnd"/>'
    + chain("s", "reserve", "fork")
    + flow("f1", "fork", "confirm")
    + flow("f2", "fork", "notify")
    + flow("f3", "confirm", "join")
    + flow("f4", "notify", "join")
    + flow("f5", "join", "done")
    + flow("f6", "failed", "abort")
    + flow("f7", "slow", "slowEnd"),
    extra=MESSAGE,
)


def scenario() -> Driver:
    """Deploy, create, jobs complete/fail/error, messages, timers, incidents, cancel."""
    driver = Driver()
    driver.deploy(ONE_TASK, SAGA)
    happy = driver.create("saga", {"orderId": "o-1"})
    failing = driver.create("saga", {"orderId": "o-2"})
    driver.create("saga", {"orderId": "o-3"})
    driver.advance(10_000)
    jobs = {j["processInstanceKey"]: j for j in driver.activate("reserve")}
    driver.complete(jobs[happy]["key"], {"reserved": True})
    driver.throw(jobs[failing]["key"], "E", variables={"why": "stock"})
    driver.fail(next(j["key"] for k, j in jobs.items() if k not in (happy, failing)), 0, "down")
    driver.publish("paid", "o-1", ttl=60_000, variables={"paid": 1})
    driver.publish("paid", "o-9", ttl=60_000, message_id="m-9")
    notify = driver.job("notify")
    driver.fail(notify["key"], retries=2, backoff=5_000)
    driver.advance(5_000)
    driver.create("saga", {"orderId": "o-5"})
    driver.complete(driver.job("reserve")["key"])
    driver.create("one-task")
    driver.activate("work", timeout=1_000)
    driver.deploy(CHECKOUT.read_bytes())
    driver.create("checkout", {"checkoutId": "c-1"})
    driver.complete(driver.job("cart.reserve")["key"])
    driver.throw(driver.job("pricing.quote")["key"], "PRICING_FAILED")
    driver.complete(driver.job("saga.compensate")["key"])
    driver.advance(1_000)
    return driver


def replayed(records: list[Record], driver: Driver) -> Engine:
    engine = Engine(lambda: driver.now)
    engine.replay(records)
    return engine


def test_replay_rebuilds_identical_state() -> None:
    """State changes only in appliers: replaying the events gives an equal snapshot."""
    driver = scenario()
    snapshot = driver.engine.state.snapshot()
    parts = (
        "instances",
        "jobs",
        "incidents",
        "messages",
        "timers",
        "subscriptions",
        "compensations",
    )
    for part in parts:
        assert snapshot[part], f"the scenario should leave {part} in state"
    engine = replayed(driver.records, driver)
    assert engine.state.snapshot() == snapshot
    assert engine.next_due_time() == driver.engine.next_due_time()
    assert engine.activatable_job_types() == driver.engine.activatable_job_types()


def test_replayed_engine_processes_further_commands_identically() -> None:
    """After replay, the same commands produce the same records (keys, positions, values)."""
    driver = scenario()
    engine = replayed(driver.records, driver)
    commands = [
        Command(
            ValueType.JOB_BATCH,
            "ACTIVATE",
            {
                "type": "notify",
                "worker": "w",
                "timeout": 9,
                "maxJobsToActivate": 5,
                "variables": [],
            },
        ),
        Command(
            ValueType.MESSAGE,
            "PUBLISH",
            {"name": "paid", "correlationKey": "o-3", "timeToLive": 0, "variables": {}},
        ),
        Command(
            ValueType.PROCESS_INSTANCE_CREATION,
            "CREATE",
            {"bpmnProcessId": "saga", "version": -1, "variables": {"orderId": "o-4"}},
        ),
    ]
    for command in commands:
        assert engine.process(command) == driver.engine.process(command)
    driver.now += 60_000
    assert list(engine.tick()) == list(driver.engine.tick())


def test_replay_of_records_from_json_round_trip() -> None:
    """The log store keeps records as exporter JSON; replay works from that form too."""
    driver = scenario()
    records = [Record.from_json(r.to_json()) for r in driver.records]
    engine = replayed(records, driver)
    assert engine.state.snapshot() == driver.engine.state.snapshot()


def test_unexpected_processor_error_becomes_processing_error_rejection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An engine bug must not kill the caller: the command is rejected with PROCESSING_ERROR and
    the events written before the failure still replay to the same state."""
    driver = Driver()
    driver.deploy(ONE_TASK)

    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("zeebe.engine.bpmn.jobs.create_job", broken)
    monkeypatch.setattr("zeebe.engine.bpmn.activities.create_job", broken)
    result = driver.try_create("one-task")
    assert result.rejection is not None
    assert result.rejection.type.value == "PROCESSING_ERROR"
    assert "boom" in result.rejection.reason
    assert result.response is None
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def test_state_survives_pickling_for_runtime_snapshots() -> None:
    """The runtime snapshots the engine with pickle; the state must round-trip unchanged."""
    import pickle

    driver = scenario()
    restored = pickle.loads(pickle.dumps(driver.engine.state))
    assert restored.snapshot() == driver.engine.state.snapshot()
