"""Fetch settings shared by the saga's Kafka consumers (checkout status, loyalty, confirmations).

kafka-python's defaults (`fetch_min_bytes=1`) make the broker answer a fetch as soon as one record
is there, so under load a consumer fetches, handles and commits a batch of one or two records at
a time: each round costs a fetch and an offset commit in Kafka and in the consumer. Asking for
16 KiB or 100 ms, whichever comes first, batches the records of the last 100 ms instead, for at
most 100 ms of added delivery delay (`benchmarks/bench_kafka_consumer.py` measures both).
"""

from __future__ import annotations

from types import MappingProxyType

CONSUMER_FETCH = MappingProxyType({"fetch_min_bytes": 16 * 1024, "fetch_max_wait_ms": 100})
