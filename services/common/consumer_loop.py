"""The retry loop shared by the Kafka consumers: a failed batch is retried, never skipped.

kafka-python moves a consumer's position past every record `poll` returned, so polling again
after a failed batch would skip it and the next commit would make the loss permanent. The loop
therefore keeps the failed batch and hands it to the handler again after an exponential back-off;
consumers deduplicate by event id (processed-message table), so re-applying the records of a
partly applied batch is a no-op.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from prometheus_client import Gauge

log = structlog.get_logger("services.common.consumer_loop")


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off: `base_s` after the first failure, doubling, capped at `max_s`."""

    base_s: float = 0.5
    max_s: float = 30.0

    def delay(self, failures: int) -> float:
        """Seconds to wait after `failures` consecutive failures (>= 1)."""
        exponent = min(max(failures - 1, 0), 32)  # bound the power: no float overflow
        return float(min(self.base_s * (2**exponent), self.max_s))


def run_batches(
    poll: Callable[[], list[bytes]],
    process: Callable[[list[bytes]], object],
    stop: threading.Event,
    *,
    backoff: Backoff = Backoff(),
    name: str = "consumer",
) -> None:
    """Poll and process batches until `stop` is set; retry a failed batch after a back-off.

    `process` must apply the batch and commit its offsets; it is called again with the same
    batch until it returns without raising, and only then is the next batch polled.
    """
    pending: list[bytes] = []
    failures = 0
    while not stop.is_set():
        try:
            pending = pending or poll()
            process(pending)
        except Exception:
            failures += 1
            delay = backoff.delay(failures)
            log.exception(f"{name}.batch_failed", pending=len(pending), retry_in_s=delay)
            stop.wait(delay)
            continue
        pending, failures = [], 0


def record_values(batches: Mapping[Any, Sequence[Any]]) -> list[bytes]:
    """The values of a `poll` answer (records by partition), flattened in partition order."""
    return [record.value for records in batches.values() for record in records]


def commit_quietly(source: Any, name: str) -> None:
    """Commit the polled offsets; a refusal is logged, not raised.

    A commit refused during a group rebalance only means the batch is delivered again, which
    per-event dedupe turns into a no-op; raising would stall the loop instead.
    """
    try:
        source.commit()
    except Exception as error:
        log.warning(f"{name}.commit_failed", error=str(error))


def kafka_lag(consumer: Any) -> int | None:
    """Records behind: sum over a KafkaConsumer's assigned partitions of high watermark minus
    position; None while a watermark is unknown (nothing fetched yet)."""
    total = 0
    for partition in consumer.assignment():
        highwater = consumer.highwater(partition)
        if highwater is None:
            return None
        total += max(highwater - consumer.position(partition), 0)
    return total


@dataclass(frozen=True)
class LagReporter:
    """Sets a consumer-lag gauge after each batch (DESIGN.md §5 consumer lag)."""

    gauge: Gauge
    measure: Callable[[], int | None]

    def report(self) -> None:
        """Measure and set; a failed measurement keeps the last value (and is logged)."""
        try:
            lag = self.measure()
        except Exception as error:
            log.warning("consumer.lag_unknown", error=str(error))
            return
        if lag is not None:
            self.gauge.set(lag)
