"""Requests parked in the broker until jobs of their type become activatable.

Long polls (ActivateJobs, spec 2.2) wait for at least one job or their timeout; job streams
(StreamActivatedJobs, spec 2.7) live until closed and receive every job pushed to them.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

Job = dict[str, Any]


@dataclass(eq=False)
class LongPoll:
    """One parked ActivateJobs request; `future` receives the activated jobs ([] on timeout)."""

    value: dict[str, Any]
    future: asyncio.Future[list[Job]]
    timer: asyncio.TimerHandle | None = None

    @property
    def job_type(self) -> str:
        """The job type the request asks for."""
        return str(self.value["type"])


@dataclass(eq=False)
class JobStream:
    """One open StreamActivatedJobs stream; jobs arrive on `queue`, None means 'closed'."""

    value: dict[str, Any]
    queue: asyncio.Queue[Job | None] = field(default_factory=asyncio.Queue)
    closed: bool = False

    @property
    def job_type(self) -> str:
        """The job type the stream receives."""
        return str(self.value["type"])


class Waiters:
    """Registry of long polls and streams, keyed by job type."""

    def __init__(self) -> None:
        self._polls: dict[str, list[LongPoll]] = defaultdict(list)
        self._streams: dict[str, list[JobStream]] = defaultdict(list)
        self._turn = itertools.count()

    def add_poll(self, poll: LongPoll) -> None:
        """Park a poll (FIFO per type: the oldest request is served first)."""
        self._polls[poll.job_type].append(poll)

    def remove_poll(self, poll: LongPoll) -> None:
        """Forget a poll (served, timed out or cancelled)."""
        polls = self._polls.get(poll.job_type)
        if polls and poll in polls:
            polls.remove(poll)

    def live_polls(self, job_type: str) -> list[LongPoll]:
        """Polls of the type whose caller still waits; drops those the client cancelled."""
        polls = [p for p in self._polls.get(job_type, []) if not p.future.done()]
        self._polls[job_type] = polls
        return list(polls)

    def add_stream(self, stream: JobStream) -> None:
        """Register an open stream."""
        self._streams[stream.job_type].append(stream)

    def remove_stream(self, stream: JobStream) -> None:
        """Unregister a stream and mark it closed."""
        stream.closed = True
        streams = self._streams.get(stream.job_type)
        if streams and stream in streams:
            streams.remove(stream)

    def next_stream(self, job_type: str) -> JobStream | None:
        """An open stream of the type, rotating so equivalent streams share the work."""
        streams = [s for s in self._streams.get(job_type, []) if not s.closed]
        if not streams:
            return None
        return streams[next(self._turn) % len(streams)]

    def waiting_types(self) -> set[str]:
        """Types with at least one parked poll or open stream."""
        types = {t for t, polls in self._polls.items() if polls}
        return types | {t for t, streams in self._streams.items() if streams}

    def poll_count(self) -> int:
        """Number of parked polls (metrics)."""
        return sum(len(p) for p in self._polls.values())

    def stream_count(self) -> int:
        """Number of open streams (metrics)."""
        return sum(len(s) for s in self._streams.values())

    def drain(self) -> tuple[list[LongPoll], list[JobStream]]:
        """Remove and return everything (shutdown)."""
        polls = [p for ps in self._polls.values() for p in ps]
        streams = [s for ss in self._streams.values() for s in ss]
        self._polls.clear()
        self._streams.clear()
        return polls, streams
