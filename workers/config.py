"""Worker configuration, read once from the environment by the entry point."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from workers.client import RetryPolicy
from workers.contract import SERVICES

__all__ = ["DEFAULT_SERVICE_PORTS", "WorkerConfig"]

DEFAULT_SERVICE_PORTS: dict[str, int] = {
    "cart": 8001,
    "pricing": 8002,
    "payment": 8003,
    "inventory": 8004,
    "order": 8005,
    # No fraud service exists yet; 8007 is free in DESIGN.md §2 (8006 is the PSP simulator).
    "fraud": 8007,
}


def _default_urls() -> dict[str, str]:
    return {name: f"http://127.0.0.1:{port}" for name, port in DEFAULT_SERVICE_PORTS.items()}


@dataclass(frozen=True)
class WorkerConfig:
    """Everything ``create_worker`` needs; ``from_env`` documents the variable names."""

    zeebe_address: str = "127.0.0.1:26500"
    worker_name: str = "checkout-workers"
    service_urls: Mapping[str, str] = field(default_factory=_default_urls)
    http_timeout_s: float = 5.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    breaker_fail_max: int = 5
    breaker_reset_s: float = 30.0
    job_timeout_ms: int = 30_000
    job_backoff_base_ms: int = 1_000
    job_backoff_max_ms: int = 30_000
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9464
    # Job functions are sync and block on HTTP: pyzeebe runs them on the loop's default executor,
    # whose stock size (cpus + 4) would cap concurrent service calls per process.
    max_threads: int = 32
    # When a task type has max_running_jobs (32) jobs in flight, pyzeebe's poller sleeps this long
    # before asking for more. Its default of 5 s idled every saturated task type for 5 s at a
    # time: under a burst of instances the saga ran at ~7 checkouts/s with the CPU half idle.
    poll_retry_delay_s: float = 0.1
    # StreamActivatedJobs (Zeebe 8.4+): the gateway pushes each new job to an open stream instead
    # of waiting for the next ActivateJobs poll; pyzeebe still polls for jobs created while no
    # stream was open.
    stream_enabled: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WorkerConfig:
        """Read ``ZEEBE_ADDRESS``, ``<SERVICE>_URL``, ``WORKERS_*`` (defaults from the fields)."""
        base = cls()
        urls = {s: env.get(f"{s.upper()}_URL", base.service_urls[s]) for s in SERVICES}
        retry = RetryPolicy(
            attempts=int(env.get("WORKERS_HTTP_ATTEMPTS", base.retry.attempts)),
            initial_s=float(env.get("WORKERS_HTTP_BACKOFF_S", base.retry.initial_s)),
            max_s=float(env.get("WORKERS_HTTP_BACKOFF_MAX_S", base.retry.max_s)),
        )
        return cls(
            zeebe_address=env.get("ZEEBE_ADDRESS", base.zeebe_address),
            worker_name=env.get("WORKERS_NAME", base.worker_name),
            service_urls=urls,
            http_timeout_s=float(env.get("WORKERS_HTTP_TIMEOUT_S", base.http_timeout_s)),
            retry=retry,
            breaker_fail_max=int(env.get("WORKERS_BREAKER_FAIL_MAX", base.breaker_fail_max)),
            breaker_reset_s=float(env.get("WORKERS_BREAKER_RESET_S", base.breaker_reset_s)),
            job_timeout_ms=int(env.get("WORKERS_JOB_TIMEOUT_MS", base.job_timeout_ms)),
            job_backoff_base_ms=int(
                env.get("WORKERS_JOB_BACKOFF_BASE_MS", base.job_backoff_base_ms)
            ),
            job_backoff_max_ms=int(env.get("WORKERS_JOB_BACKOFF_MAX_MS", base.job_backoff_max_ms)),
            metrics_host=env.get("WORKERS_METRICS_HOST", base.metrics_host),
            metrics_port=int(env.get("WORKERS_METRICS_PORT", base.metrics_port)),
            max_threads=int(env.get("WORKERS_MAX_THREADS", base.max_threads)),
            poll_retry_delay_s=float(
                env.get("WORKERS_POLL_RETRY_DELAY_S", base.poll_retry_delay_s)
            ),
            stream_enabled=_flag(env, "WORKERS_STREAM_ENABLED", base.stream_enabled),
        )


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """A boolean variable: true/1/yes or false/0/no; anything else names the variable."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("true", "1", "yes"):
        return True
    if raw in ("false", "0", "no"):
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")
