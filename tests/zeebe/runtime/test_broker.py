"""The single-writer broker: group commit, release after commit, long polls, streams, timers.

Runs against the fake engine (`zeebe.testing.fake_engine`), so these tests pin the runtime's own
rules (DESIGN 3 "Durable, single writer"; spec 2.2 long polling, 2.7 job streaming).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import pytest

from zeebe.engine.api import Command, CommandResult
from zeebe.records import Record, RecordType, ValueType
from zeebe.runtime.broker import Broker, BrokerStoppedError, EngineFailureError
from zeebe.runtime.clock import ManualClock
from zeebe.runtime.committer import CommitFailedError
from zeebe.runtime.exporters import InMemoryExporter
from zeebe.runtime.log_store import InMemoryLogStore
from zeebe.testing.fake_engine import FakeEngine

pytestmark = pytest.mark.unit
T = TypeVar("T")

BPMN = (
    b'<definitions><process id="order"><serviceTask id="a"><extensionElements>'
    b'<zeebe:taskDefinition type="pay"/></extensionElements></serviceTask></process></definitions>'
)


def run(scenario: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(asyncio.wait_for(scenario(), 10))


def deploy() -> Command:
    resources = [{"resourceName": "order.bpmn", "resource": BPMN}]
    return Command(ValueType.DEPLOYMENT, "CREATE", {"resources": resources})


def create(intent: str = "CREATE") -> Command:
    value = {"bpmnProcessId": "order", "version": -1, "variables": {"x": 1}}
    return Command(ValueType.PROCESS_INSTANCE_CREATION, intent, value)


def activate_value(max_jobs: int = 10) -> dict[str, Any]:
    return {"type": "pay", "worker": "w", "timeout": 5000, "maxJobsToActivate": max_jobs}


class CountingLog(InMemoryLogStore):
    """Counts appends (one per group commit) and can hold a commit until released."""

    def __init__(self) -> None:
        super().__init__()
        self.appends = 0
        self.gate = threading.Event()
        self.gate.set()

    def append(self, records: Sequence[Record]) -> None:
        self.gate.wait(5)
        self.appends += 1
        super().append(records)


def make_broker(
    log: InMemoryLogStore | None = None, clock: ManualClock | None = None
) -> tuple[Broker, InMemoryExporter]:
    clock = clock or ManualClock(1_000_000)
    exporter = InMemoryExporter()
    broker = Broker(
        engine=FakeEngine(clock),
        log_store=log or CountingLog(),
        clock=clock,
        exporters=[exporter],
    )
    return broker, exporter


def test_command_result_is_returned_after_its_records_are_committed_and_exported() -> None:
    """Responses are released only after the group commit (DESIGN 3: no acknowledged loss)."""

    async def scenario() -> tuple[CommandResult, list[Record], list[Record]]:
        log = CountingLog()
        broker, exporter = make_broker(log)
        await broker.start()
        result = await broker.execute(deploy())
        await broker.stop()
        return result, list(log.read_all()), exporter.records()

    result, logged, exported = run(scenario)
    assert result.response is not None and result.response["deployments"]
    assert [r.position for r in logged] == [r.position for r in result.records]
    assert exported == logged


def test_response_waits_for_a_slow_commit() -> None:
    """While the writer thread is still committing, the caller has no answer yet."""

    async def scenario() -> tuple[bool, bool]:
        log = CountingLog()
        broker, _ = make_broker(log)
        await broker.start()
        log.gate.clear()
        pending = asyncio.ensure_future(broker.execute(deploy()))
        await asyncio.sleep(0.1)
        done_before_commit = pending.done()
        log.gate.set()
        await pending
        await broker.stop()
        return done_before_commit, pending.done()

    assert run(scenario) == (False, True)


def test_concurrent_commands_share_one_commit() -> None:
    """Group commit: many queued commands are appended in far fewer transactions."""

    async def scenario() -> tuple[int, int]:
        log = CountingLog()
        broker, _ = make_broker(log)
        await broker.start()
        await broker.execute(deploy())
        before = log.appends
        log.gate.clear()
        first = asyncio.ensure_future(broker.execute(create()))
        await asyncio.sleep(0.05)
        rest = [asyncio.ensure_future(broker.execute(create())) for _ in range(50)]
        log.gate.set()
        await asyncio.gather(first, *rest)
        await broker.stop()
        return log.appends - before, len(rest) + 1

    commits, commands = run(scenario)
    assert commits <= 3 < commands


def test_long_poll_is_answered_when_a_job_becomes_activatable() -> None:
    """Spec 2.2: a parked ActivateJobs completes when at least one job becomes available."""

    async def scenario() -> list[dict[str, Any]]:
        broker, _ = make_broker()
        await broker.start()
        await broker.execute(deploy())
        poll = asyncio.ensure_future(broker.activate_jobs(activate_value(), 5000))
        await asyncio.sleep(0.05)
        assert not poll.done()
        await broker.execute(create())
        jobs = await poll
        await broker.stop()
        return jobs

    jobs = run(scenario)
    assert [j["type"] for j in jobs] == ["pay"]


def test_long_poll_ends_empty_after_its_timeout() -> None:
    """Spec 2.2: on timeout the request completes with no jobs."""

    async def scenario() -> list[dict[str, Any]]:
        broker, _ = make_broker()
        await broker.start()
        jobs = await broker.activate_jobs(activate_value(), 50)
        await broker.stop()
        return jobs

    assert run(scenario) == []


def test_without_long_polling_an_empty_activation_returns_at_once() -> None:
    """Spec 2.2: requestTimeout < 0 disables long polling."""

    async def scenario() -> list[dict[str, Any]]:
        broker, _ = make_broker()
        await broker.start()
        jobs = await asyncio.wait_for(broker.activate_jobs(activate_value(), None), 1)
        await broker.stop()
        return jobs

    assert run(scenario) == []


def test_oldest_long_poll_is_served_first_and_others_keep_waiting() -> None:
    """Each job goes to one worker only (spec 2.2); the second poll stays parked."""

    async def scenario() -> tuple[int, bool]:
        broker, _ = make_broker()
        await broker.start()
        await broker.execute(deploy())
        first = asyncio.ensure_future(broker.activate_jobs(activate_value(), 5000))
        await asyncio.sleep(0.02)
        second = asyncio.ensure_future(broker.activate_jobs(activate_value(), 5000))
        await asyncio.sleep(0.02)
        await broker.execute(create())
        jobs = await first
        await asyncio.sleep(0.05)
        second_done = second.done()
        await broker.stop()
        return len(jobs), second_done

    assert run(scenario) == (1, False)


def test_job_stream_receives_jobs_as_they_become_activatable() -> None:
    """Spec 2.7: a job made activatable is activated and pushed to an open stream."""

    async def scenario() -> dict[str, Any] | None:
        broker, _ = make_broker()
        await broker.start()
        await broker.execute(deploy())
        stream = broker.open_stream({"type": "pay", "worker": "s", "timeout": 5000})
        await broker.execute(create())
        job = await asyncio.wait_for(stream.queue.get(), 2)
        await broker.stop()
        return job

    job = run(scenario)
    assert job is not None and job["worker"] == "s"


def test_stream_opened_late_gets_jobs_that_were_already_waiting() -> None:
    """Spec 2.7 (embedded simplification): pushing already-activatable jobs on open."""

    async def scenario() -> dict[str, Any] | None:
        broker, _ = make_broker()
        await broker.start()
        await broker.execute(deploy())
        await broker.execute(create())
        stream = broker.open_stream({"type": "pay", "worker": "s", "timeout": 5000})
        job = await asyncio.wait_for(stream.queue.get(), 2)
        await broker.stop()
        return job

    assert run(scenario) is not None


def test_due_job_timeouts_fire_when_the_clock_reaches_them() -> None:
    """Spec 2.3: an activated job whose deadline passed is activatable again."""

    async def scenario() -> list[dict[str, Any]]:
        clock = ManualClock(1_000_000)
        broker, _ = make_broker(clock=clock)
        await broker.start()
        await broker.execute(deploy())
        await broker.execute(create())
        assert await broker.activate_jobs(activate_value(), None)
        clock.advance(6000)
        await broker.tick_now()
        jobs = await broker.activate_jobs(activate_value(), None)
        await broker.stop()
        return jobs

    assert len(run(scenario)) == 1


def test_awaited_instance_result_arrives_when_the_instance_completes() -> None:
    """CreateProcessInstanceWithResult waits for the PROCESS_INSTANCE_RESULT record (api.py)."""

    async def scenario() -> dict[str, Any]:
        broker, _ = make_broker()
        await broker.start()
        await broker.execute(deploy())
        _, result = await broker.create_awaiting_result(create("CREATE_WITH_AWAITING_RESULT"))
        jobs = await broker.activate_jobs(activate_value(), None)
        complete = Command(ValueType.JOB, "COMPLETE", {"variables": {"y": 2}}, key=jobs[0]["key"])
        await broker.execute(complete)
        value = await asyncio.wait_for(result, 2)
        await broker.stop()
        return value

    assert run(scenario)["variables"] == {"x": 1, "y": 2}


def test_restart_replays_the_log_before_serving() -> None:
    """DESIGN 3: on restart jobs resume; state comes from replaying the log."""
    log = CountingLog()

    async def first_run() -> int:
        broker, _ = make_broker(log)
        await broker.start()
        await broker.execute(deploy())
        await broker.execute(create())
        jobs = await broker.activate_jobs(activate_value(), None)
        await broker.stop()
        return int(jobs[0]["key"])

    job_key = run(first_run)
    log._closed = False  # reopen the same in-memory log for the second broker

    async def second_run() -> CommandResult:
        broker, _ = make_broker(log)
        replayed = await broker.start()
        assert replayed > 0
        result = await broker.execute(Command(ValueType.JOB, "COMPLETE", {}, key=job_key))
        await broker.stop()
        return result

    assert run(second_run).rejection is None


def test_engine_failure_is_reported_to_its_caller_only() -> None:
    """An engine bug fails one request (INTERNAL) and the broker keeps serving."""

    async def scenario() -> CommandResult:
        broker, _ = make_broker()

        def explode(command: Command) -> CommandResult:
            raise KeyError("boom")

        await broker.start()
        original = broker.engine.process
        broker.engine.process = explode  # type: ignore[method-assign]
        with pytest.raises(EngineFailureError, match="boom"):
            await broker.execute(deploy())
        broker.engine.process = original  # type: ignore[method-assign]
        result = await broker.execute(deploy())
        await broker.stop()
        return result

    assert run(scenario).rejection is None


def test_stop_answers_parked_polls_and_refuses_new_requests() -> None:
    """Clean shutdown: parked long polls end empty, later requests are refused."""

    async def scenario() -> list[dict[str, Any]]:
        broker, _ = make_broker()
        await broker.start()
        poll = asyncio.ensure_future(broker.activate_jobs(activate_value(), 60_000))
        await asyncio.sleep(0.02)
        await broker.stop()
        with pytest.raises(BrokerStoppedError):
            await broker.execute(deploy())
        return await poll

    assert run(scenario) == []


def test_rejections_are_committed_too() -> None:
    """A rejection is a record (COMMAND_REJECTION) and is returned with its reason."""

    async def scenario() -> CommandResult:
        broker, _ = make_broker()
        await broker.start()
        result = await broker.execute(Command(ValueType.JOB, "COMPLETE", {}, key=123))
        await broker.stop()
        return result

    result = run(scenario)
    assert result.rejection is not None
    assert result.records[-1].record_type is RecordType.COMMAND_REJECTION


class FailingLog(CountingLog):
    """A disk that fails once: the batch containing the first create fails to append."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_next = False

    def append(self, records: Sequence[Record]) -> None:
        if self.fail_next:
            self.fail_next = False
            raise OSError("disk full")
        super().append(records)


def test_failed_commit_fails_its_callers_and_stops_the_broker() -> None:
    """Nothing unacknowledged may look acknowledged: a failed append fails the waiting callers,
    no later batch is written (the log stays gap-free) and new requests are refused."""
    log = FailingLog()

    async def scenario() -> None:
        broker, _ = make_broker(log)
        await broker.start()
        await broker.execute(deploy())
        written = log.last_position()
        log.fail_next = True
        with pytest.raises(CommitFailedError):
            await broker.execute(create())
        await asyncio.sleep(0.05)
        with pytest.raises(BrokerStoppedError):
            await broker.execute(create())
        await broker.stop()
        assert log.last_position() == written

    run(scenario)


def test_jobs_pushed_to_a_closed_stream_are_given_back() -> None:
    """Spec 2.7: a job activated for a stream that is gone must not be lost; it is returned
    ("the job is returned to the broker", engine `Job.YIELD` -> YIELDED, retries unchanged) and
    is activatable again at once."""

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        broker, exporter = make_broker()
        await broker.start()
        await broker.execute(deploy())
        await broker.execute(create())
        taken = await broker.activate_jobs(activate_value(), None)
        broker.return_jobs(taken)
        await broker.tick_now()
        again = await broker.activate_jobs(activate_value(), None)
        await broker.stop()
        intents = [r.intent for r in exporter.records() if r.value_type is ValueType.JOB]
        assert "YIELDED" in intents and "FAILED" not in intents
        return taken, again

    taken, again = run(scenario)
    assert [j["key"] for j in again] == [j["key"] for j in taken]
    assert again[0]["retries"] == taken[0]["retries"]


def test_a_runtime_bug_fails_the_callers_instead_of_hanging_them() -> None:
    """If the loop itself fails, waiting callers get an error and the broker stops accepting."""

    async def scenario() -> None:
        broker, _ = make_broker()
        await broker.start()

        def broken(batch: object) -> None:
            raise RuntimeError("dispatcher bug")

        broker._dispatcher.serve = broken  # type: ignore[method-assign]
        with pytest.raises(EngineFailureError, match="dispatcher bug"):
            await asyncio.wait_for(broker.execute(deploy()), 2)
        with pytest.raises(BrokerStoppedError):
            await broker.execute(deploy())
        await broker.stop()

    run(scenario)


def test_scheduler_ticks_on_its_own_when_the_next_due_time_arrives() -> None:
    """The loop sleeps until engine.next_due_time() and then ticks, without any request:
    a job timeout set by a later command (which moved the due time earlier) fires on time."""
    from zeebe.runtime.clock import system_clock

    async def scenario() -> tuple[float, list[dict[str, Any]]]:
        exporter = InMemoryExporter()
        broker = Broker(
            engine=FakeEngine(system_clock),
            log_store=InMemoryLogStore(),
            clock=system_clock,
            exporters=[exporter],
        )
        await broker.start()
        await broker.execute(deploy())
        await broker.execute(create())
        started = asyncio.get_running_loop().time()
        await broker.activate_jobs({**activate_value(), "timeout": 200}, None)
        timed_out = await broker.activate_jobs(activate_value(), 5000)  # parks until timeout
        elapsed = asyncio.get_running_loop().time() - started
        await broker.stop()
        return elapsed, timed_out

    elapsed, jobs = run(scenario)
    assert len(jobs) == 1
    assert 0.15 <= elapsed < 2


def test_query_runs_in_turn_and_an_engine_bug_fails_only_that_call() -> None:
    """A read-only engine call (EvaluateDecision) goes through the queue like a command: it sees
    the state of the commands queued before it, writes nothing, and an exception in it is an
    EngineFailureError for that caller while the broker keeps serving."""

    def broken() -> CommandResult:
        raise KeyError("boom")

    async def scenario() -> tuple[int, int, BaseException | None, CommandResult]:
        broker, exporter = make_broker()
        await broker.start()
        deployed = asyncio.ensure_future(broker.execute(deploy()))
        seen = await broker.query(lambda: CommandResult(records=(), response={"n": 1}))
        records_before = len(exporter.records())
        failure: BaseException | None = None
        try:
            await broker.query(broken)
        except EngineFailureError as error:
            failure = error
        after = await broker.execute(create())
        await deployed
        await broker.stop()
        assert seen.response == {"n": 1}
        return records_before, len(exporter.records()), failure, after

    records_before, records_after, failure, after = run(scenario)
    assert records_before > 0  # the deployment queued first was committed before the answer
    assert isinstance(failure, EngineFailureError) and "KeyError" in str(failure)
    assert after.rejection is None and records_after > records_before
