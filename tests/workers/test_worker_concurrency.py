"""Issue #5 (checkout throughput): job threads and HTTP connections sized for I/O-bound jobs."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

from workers.app import create_clients, create_transport, install_job_executor
from workers.config import WorkerConfig
from workers.contract import SERVICES
from workers.observability import create_metrics

pytestmark = pytest.mark.unit


def test_max_threads_defaults_to_32_and_reads_workers_max_threads() -> None:
    """Issue #5: WORKERS_MAX_THREADS sizes the job pool; 32 unless set."""
    assert WorkerConfig.from_env({}).max_threads == 32
    assert WorkerConfig.from_env({"WORKERS_MAX_THREADS": "48"}).max_threads == 48


def _concurrent_blocking_jobs(parties: int, max_threads: int | None) -> bool:
    """Run `parties` blocking jobs the way pyzeebe does (run_in_executor(None, ...)); True iff
    all of them were running at the same time (a barrier only opens when all arrive)."""
    barrier = threading.Barrier(parties, timeout=2)

    def job() -> bool:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return False
        return True

    async def run() -> list[bool]:
        loop = asyncio.get_running_loop()
        if max_threads is not None:
            install_job_executor(loop, max_threads)
        return list(
            await asyncio.gather(*(loop.run_in_executor(None, job) for _ in range(parties)))
        )

    return all(asyncio.run(run()))


def test_installed_executor_runs_as_many_blocking_jobs_at_once_as_configured() -> None:
    """Issue #5: 20 jobs blocked on I/O all run concurrently with a pool of 32."""
    assert _concurrent_blocking_jobs(20, max_threads=32)


def test_stock_default_executor_would_cap_concurrent_jobs() -> None:
    """Why the pool is set: asyncio's default of min(32, cpus + 4) threads cannot hold 20 blocked
    jobs on this kind of machine (the test shows the cap the setting removes)."""
    if min(32, (os.cpu_count() or 1) + 4) >= 20:
        pytest.skip("this machine's stock pool is already large enough")
    assert not _concurrent_blocking_jobs(20, max_threads=None)


def test_transport_pool_keeps_one_connection_per_job_thread() -> None:
    """Issue #5: the service's pool keeps `pool_size` keep-alive connections (a smaller pool
    than the job threads would discard the extra connections after each call)."""
    transport = create_transport("http://127.0.0.1:8001", 32)
    assert transport._pool.pool.maxsize == 32  # type: ignore[union-attr]


def test_each_service_gets_its_own_long_lived_transport() -> None:
    """Issue #5: one transport per service, created once with the worker, not per call."""
    config = WorkerConfig(max_threads=8)
    clients = create_clients(config, create_metrics())
    transports = {id(client._transport) for client in clients.values()}
    assert set(clients) == set(SERVICES)
    assert len(transports) == len(SERVICES)


def test_poll_retry_delay_defaults_to_a_tenth_of_a_second_and_is_configurable() -> None:
    """Issue #5: a task type at its running-jobs limit asks again after 0.1 s, not pyzeebe's 5 s
    (which idled saturated task types and capped a burst of checkouts near 7/s)."""
    assert WorkerConfig.from_env({}).poll_retry_delay_s == 0.1
    env = {"WORKERS_POLL_RETRY_DELAY_S": "0.25"}
    assert WorkerConfig.from_env(env).poll_retry_delay_s == 0.25


def test_worker_and_its_pollers_use_the_configured_retry_delay() -> None:
    """The setting reaches pyzeebe: the worker, and so each task's JobPoller, waits that long."""
    import grpc

    from workers.app import create_worker

    async def build() -> float:
        channel = grpc.aio.insecure_channel("127.0.0.1:1")  # never used: nothing is polled
        try:
            config = WorkerConfig(poll_retry_delay_s=0.1, metrics_port=0)
            return float(create_worker(config, channel=channel).worker.poll_retry_delay)
        finally:
            await channel.close()

    assert asyncio.run(build()) == 0.1


def test_job_streaming_is_off_unless_enabled_and_a_bad_value_names_the_variable() -> None:
    """WORKERS_STREAM_ENABLED turns on StreamActivatedJobs (Zeebe 8.4+); pyzeebe has no flow
    control on a stream, so it stays opt-in. A typo is an error, not a silent default."""
    assert WorkerConfig.from_env({}).stream_enabled is False
    assert WorkerConfig.from_env({"WORKERS_STREAM_ENABLED": "true"}).stream_enabled is True
    assert WorkerConfig.from_env({"WORKERS_STREAM_ENABLED": "0"}).stream_enabled is False
    with pytest.raises(ValueError, match="WORKERS_STREAM_ENABLED"):
        WorkerConfig.from_env({"WORKERS_STREAM_ENABLED": "ture"})


def test_the_streaming_setting_reaches_pyzeebe() -> None:
    """With streaming on, the pyzeebe worker opens one job stream per task type (beside polling)."""
    import grpc

    from workers.app import create_worker

    async def build(enabled: bool) -> bool:
        channel = grpc.aio.insecure_channel("127.0.0.1:1")  # never used: nothing is streamed
        try:
            config = WorkerConfig(stream_enabled=enabled, metrics_port=0)
            return bool(create_worker(config, channel=channel).worker._stream_enabled)
        finally:
            await channel.close()

    assert asyncio.run(build(True)) is True
    assert asyncio.run(build(False)) is False
