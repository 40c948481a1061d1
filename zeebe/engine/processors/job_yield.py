"""JOB YIELD (spec 2.1, 2.7): a pushed job the gateway could not deliver goes back to the broker.

Zeebe's JobYieldProcessor: an activated job becomes activatable again with its retries
unchanged (event YIELDED, no failure, no error message) and workers are told jobs are available.
"""

from __future__ import annotations

from zeebe.engine.context import Context
from zeebe.records import Record, RejectionType, ValueType
from zeebe.state import JobState


def yield_job(ctx: Context, command: Record) -> None:
    """ACTIVATED -> ACTIVATABLE via YIELDED; anything else is rejected."""
    job = ctx.state.jobs.get(command.key)
    if job is None or job.state is not JobState.ACTIVATED:
        reason = (
            f"Expected to yield activated job with key '{command.key}', but no such job was found"
        )
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return
    ctx.event(job.key, ValueType.JOB, "YIELDED", job.value | {"deadline": -1})
    ctx.jobs_available(str(job.value["type"]))
    ctx.respond({})
