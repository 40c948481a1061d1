"""CPU of a saga consumer (poll, handle, commit) and of Kafka, by consumer fetch settings.

    .venv/bin/python benchmarks/bench_kafka_consumer.py [--events 3000] [--rate 300]

Starts a throwaway Kafka from the local stack (free ports), produces `--events` outbox-sized
events over five service topics at `--rate` events/s (as the relays do under ~35 checkouts/s),
and consumes them as the checkout status consumer does (one consumer of every topic, a commit
after each non-empty batch), once per setting. Prints the consumer thread's CPU, Kafka's CPU,
the number of non-empty batches (= commits) and the worst delivery delay.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kafka import KafkaConsumer, KafkaProducer

from services.common.kafka_settings import CONSUMER_FETCH
from stack.config import StackConfig
from stack.manager import Stack

TOPICS = ("cart.events", "pricing.events", "payment.events", "inventory.events", "order.events")
TICKS_PER_S = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Outcome:
    """One consumer setting's measurements."""

    consumer_cpu_ms: float
    kafka_cpu_ms: float
    batches: int
    worst_delay_ms: float


@contextmanager
def kafka() -> Iterator[tuple[str, int]]:
    """A Kafka broker on free ports: (bootstrap, broker pid); stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="bench-kafka-"))
    ports = ("kafka_port", "kafka_controller_port")
    stack = Stack(StackConfig(root=root, durable=False).with_ports(**dict.fromkeys(ports, 0)))
    try:
        stack.up(["kafka"])
        pid = stack.running("kafka")
        assert pid is not None, "kafka did not start"
        yield f"{stack.cfg.host}:{stack.cfg.kafka_port}", pid
    finally:
        stack.down()
        shutil.rmtree(root, ignore_errors=True)


def process_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def produce(bootstrap: str, events: int, rate: float, run: str) -> None:
    """`events` ~400-byte events round-robin over TOPICS at `rate` per second."""
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5
    )
    started = time.monotonic()
    for index in range(events):
        time.sleep(max(0.0, started + index / rate - time.monotonic()))
        value = {"id": str(uuid.uuid4()), "run": run, "sent": time.time(), "pad": "x" * 300}
        producer.send(TOPICS[index % len(TOPICS)], json.dumps(value).encode(), key=b"agg")
    producer.flush()
    producer.close()


def consume(bootstrap: str, events: int, run: str, settings: dict[str, Any]) -> Outcome:
    """Consume until every event of `run` arrived; the consumer thread's CPU and the batches."""
    consumer = KafkaConsumer(
        *TOPICS,
        bootstrap_servers=bootstrap,
        group_id=f"bench-{run}",
        enable_auto_commit=False,
        auto_offset_reset="latest",
        **settings,
    )
    while not consumer.assignment():
        consumer.poll(timeout_ms=100)
    ready.set()
    seen, batches, worst = 0, 0, 0.0
    started = time.thread_time()
    while seen < events:
        batch = [r for records in consumer.poll(timeout_ms=500).values() for r in records]
        if not batch:
            continue
        for record in batch:
            value = json.loads(record.value)
            if value["run"] == run:
                seen += 1
                worst = max(worst, time.time() - value["sent"])
        batches += 1
        consumer.commit()
    cpu = time.thread_time() - started
    consumer.close()
    return Outcome(1000 * cpu, 0.0, batches, 1000 * worst)


ready = threading.Event()


def measure(
    bootstrap: str, pid: int, events: int, rate: float, settings: dict[str, Any]
) -> Outcome:
    """Produce and consume one run; Kafka's CPU over the run."""
    run = uuid.uuid4().hex
    ready.clear()
    result: list[Outcome] = []
    consumer = threading.Thread(
        target=lambda: result.append(consume(bootstrap, events, run, settings))
    )
    consumer.start()
    ready.wait(60)
    before = process_ticks(pid)
    produce(bootstrap, events, rate, run)
    consumer.join()
    kafka_ms = 1000 * (process_ticks(pid) - before) / TICKS_PER_S
    one = result[0]
    return Outcome(one.consumer_cpu_ms, kafka_ms, one.batches, one.worst_delay_ms)


def main(argv: list[str] | None = None) -> int:
    """Two rounds of default vs the project's fetch settings, interleaved."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=300.0)
    args = parser.parse_args(argv)
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    settings = {"kafka-python defaults": {}, "services.common.kafka_settings": dict(CONSUMER_FETCH)}
    with kafka() as (bootstrap, pid):
        measure(bootstrap, pid, 500, args.rate, {})  # warm-up: Kafka's JIT, topic creation
        for round_ in (1, 2):
            for name, setting in settings.items():
                o = measure(bootstrap, pid, args.events, args.rate, setting)
                per_event = 1000 / args.events  # ms per run -> us per event
                print(
                    f"  round {round_} {name:<32} consumer {o.consumer_cpu_ms * per_event:5.0f}"
                    f" us/event  kafka {o.kafka_cpu_ms * per_event:5.0f} us/event  "
                    f"batches {o.batches:5d}  worst delay {o.worst_delay_ms:5.0f} ms",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
