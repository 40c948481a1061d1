"""Handing activatable jobs to parked long polls and open streams (spec 2.2, 2.7).

Runs inside the broker's loop turn: activations are engine commands of the current batch, and
answers go out only after that batch's commit. Streams are favoured over polls, like Zeebe.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

from zeebe.engine.api import Command
from zeebe.records import ValueType
from zeebe.runtime.batch import Batch
from zeebe.runtime.waiters import Job, JobStream, LongPoll, Waiters

STREAM_CHUNK = 32
Activate = Callable[[dict[str, Any], Batch], list[Job]]


def return_command(job: Job) -> Command:
    """Give a job back (Zeebe's JOB YIELD): activatable again at once, retries unchanged, no
    failure recorded (spec 2.7)."""
    return Command(ValueType.JOB, "YIELD", {}, key=int(job["key"]))


class JobDispatcher:
    """Serves waiters of the job types a batch made activatable."""

    def __init__(
        self, waiters: Waiters, activate: Activate, give_back: Callable[[list[Job]], None]
    ) -> None:
        self._waiters = waiters
        self._activate = activate
        self._give_back = give_back

    def park(self, poll: LongPoll, long_poll_ms: int) -> None:
        """Wait for jobs until `long_poll_ms` passes (then answer [])."""
        loop = asyncio.get_running_loop()
        self._waiters.add_poll(poll)
        poll.timer = loop.call_later(long_poll_ms / 1000.0, _expire, poll)
        poll.future.add_done_callback(lambda _: self._unpark(poll))

    def _unpark(self, poll: LongPoll) -> None:
        self._waiters.remove_poll(poll)
        if poll.timer is not None:
            poll.timer.cancel()

    def serve(self, batch: Batch) -> None:
        """Activate for every waiter whose type gained jobs in this batch."""
        for job_type in sorted(batch.job_types & self._waiters.waiting_types()):
            self._serve_streams(job_type, batch)
            self._serve_polls(job_type, batch)

    def _serve_streams(self, job_type: str, batch: Batch) -> None:
        while (stream := self._waiters.next_stream(job_type)) is not None:
            jobs = self._activate({**stream.value, "maxJobsToActivate": STREAM_CHUNK}, batch)
            if not jobs:
                return
            batch.after_commit(functools.partial(self._push, stream, jobs))

    def _serve_polls(self, job_type: str, batch: Batch) -> None:
        for poll in self._waiters.live_polls(job_type):
            jobs = self._activate(poll.value, batch)
            if not jobs:
                return
            self._waiters.remove_poll(poll)
            batch.resolve(poll.future, jobs)

    def _push(self, stream: JobStream, jobs: list[Job]) -> None:
        if stream.closed:  # vanished between activation and commit: must not lose the jobs
            self._give_back(jobs)
            return
        for job in jobs:
            stream.queue.put_nowait(job)


def _expire(poll: LongPoll) -> None:
    if not poll.future.done():
        poll.future.set_result([])
