"""Prometheus metrics of one broker, in their own registry (several brokers may share a process)."""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from zeebe.records import Record, RecordType, ValueType

_JOB_EVENTS = {"COMPLETED": "completed", "FAILED": "failed", "TIMED_OUT": "timed_out"}


class BrokerMetrics:
    """Counters and histograms the broker updates after each commit."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.commands = Counter(
            "zeebe_commands_processed",
            "Commands processed, by value type and intent",
            ["value_type", "intent"],
            registry=self.registry,
        )
        self.rejections = Counter(
            "zeebe_command_rejections", "Rejected commands", ["value_type"], registry=self.registry
        )
        self.records_written = Counter(
            "zeebe_records_written", "Records appended to the log", registry=self.registry
        )
        self.commit_latency = Histogram(
            "zeebe_commit_latency_seconds",
            "Time to append and commit one batch",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "zeebe_batch_size_commands",
            "Commands per group commit",
            buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512),
            registry=self.registry,
        )
        self.jobs = Counter(
            "zeebe_jobs", "Job lifecycle events", ["action"], registry=self.registry
        )
        self.incidents = Counter(
            "zeebe_incidents_created", "Incidents created", registry=self.registry
        )
        self.long_polls = Gauge(
            "zeebe_long_polls_open", "ActivateJobs long polls waiting", registry=self.registry
        )
        self.job_streams = Gauge(
            "zeebe_job_streams_open", "Open StreamActivatedJobs streams", registry=self.registry
        )

    def observe_records(self, records: Sequence[Record]) -> None:
        """Count what a committed batch contains."""
        self.records_written.inc(len(records))
        for record in records:
            if record.record_type is RecordType.COMMAND:
                self.commands.labels(record.value_type.value, record.intent).inc()
            elif record.record_type is RecordType.COMMAND_REJECTION:
                self.rejections.labels(record.value_type.value).inc()
            elif record.value_type is ValueType.JOB and record.intent in _JOB_EVENTS:
                self.jobs.labels(_JOB_EVENTS[record.intent]).inc()
            elif record.value_type is ValueType.INCIDENT and record.intent == "CREATED":
                self.incidents.inc()
