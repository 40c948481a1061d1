"""The shared consumer loop: a failed batch is retried after a growing back-off, never skipped."""

from __future__ import annotations

import threading

import pytest
from prometheus_client import CollectorRegistry, Gauge

from services.common.consumer_loop import Backoff, LagReporter, kafka_lag, run_batches

pytestmark = pytest.mark.unit


class RecordingStop(threading.Event):
    """A stop event whose waits return at once and are recorded (no real sleeping)."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout or 0.0)
        return self.is_set()


class Script:
    """`poll` hands out queued batches (moving past them) and stops the loop once drained;
    `process` fails while `failures` says so."""

    def __init__(self, stop: RecordingStop, batches: list[list[bytes]], failures: int) -> None:
        self.stop, self.batches, self.failures = stop, batches, failures
        self.processed: list[list[bytes]] = []

    def poll(self) -> list[bytes]:
        if not self.batches:
            self.stop.set()
            return []
        return self.batches.pop(0)

    def process(self, batch: list[bytes]) -> None:
        self.processed.append(batch)
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database unreachable")


def test_backoff_doubles_from_the_base_up_to_the_cap() -> None:
    """Brief (H18): a failed batch is retried with back-off; exponential, capped."""
    backoff = Backoff(base_s=0.5, max_s=3.0)
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_backoff_stays_finite_after_very_many_failures() -> None:
    """A long outage must not overflow the delay computation."""
    assert Backoff(base_s=1.0, max_s=30.0).delay(10_000) == 30.0


def test_a_failed_batch_is_handed_to_process_again_before_the_next_poll() -> None:
    """Message loss fix: the position is past the batch, so it must be retried, not re-polled."""
    stop = RecordingStop()
    script = Script(stop, [[b"a"], [b"b"]], failures=2)

    run_batches(script.poll, script.process, stop, backoff=Backoff(0.5, 30.0))

    assert script.processed == [[b"a"], [b"a"], [b"a"], [b"b"], []]


def test_waits_grow_per_consecutive_failure_and_reset_after_a_success() -> None:
    """Back-off grows while the batch keeps failing; a success starts over from the base."""
    stop = RecordingStop()
    script = Script(stop, [[b"a"], [b"b"]], failures=3)
    original = script.process

    def fail_b_once(batch: list[bytes]) -> None:
        if batch == [b"b"] and [b"b"] not in script.processed:
            script.failures = 1
        original(batch)

    run_batches(script.poll, fail_b_once, stop, backoff=Backoff(0.5, 30.0))

    assert stop.waits == [0.5, 1.0, 2.0, 0.5]


def test_a_failing_poll_is_retried_with_backoff() -> None:
    """A broker that is briefly unreachable does not end the loop."""
    stop = RecordingStop()
    calls: list[int] = []

    def poll() -> list[bytes]:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("broker unreachable")
        stop.set()
        return []

    run_batches(poll, lambda batch: None, stop, backoff=Backoff(0.25, 1.0))

    assert len(calls) == 2
    assert stop.waits == [0.25]


class FakeKafkaConsumer:
    """kafka-python's assignment/highwater/position, per partition."""

    def __init__(self, partitions: dict[str, tuple[int | None, int]]) -> None:
        self.partitions = partitions

    def assignment(self) -> set[str]:
        return set(self.partitions)

    def highwater(self, partition: str) -> int | None:
        return self.partitions[partition][0]

    def position(self, partition: str) -> int:
        return self.partitions[partition][1]


def test_kafka_lag_sums_highwater_minus_position_over_assigned_partitions() -> None:
    """DESIGN §5 consumer lag: records behind the high watermark, over the owned partitions."""
    assert kafka_lag(FakeKafkaConsumer({"p0": (10, 4), "p1": (7, 7), "p2": (3, 5)})) == 6


def test_kafka_lag_is_unknown_until_every_watermark_is_known() -> None:
    """Before the first fetch kafka-python has no watermark: report nothing, not zero."""
    assert kafka_lag(FakeKafkaConsumer({"p0": (10, 4), "p1": (None, 0)})) is None


def test_lag_reporter_sets_the_gauge_and_keeps_it_when_unknown() -> None:
    """An unknown or failed measurement must not reset the gauge to a misleading zero."""
    registry = CollectorRegistry()
    values: list[int | None] = [5, None]

    def measure() -> int | None:
        if not values:
            raise RuntimeError("consumer closed")
        return values.pop(0)

    reporter = LagReporter(Gauge("demo_consumer_lag", "demo", registry=registry), measure)
    for _ in range(3):
        reporter.report()

    assert registry.get_sample_value("demo_consumer_lag") == 5
