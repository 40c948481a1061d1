"""One group-commit batch: the records to append and what to do once they are durable."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from zeebe.engine.api import CommandResult
from zeebe.records import Record

T = TypeVar("T")


@dataclass
class Batch:
    """Accumulates the results of the commands processed in one loop turn.

    Nothing here reaches a caller before the batch is committed: responses are queued as
    `releases` and run only after `LogStore.append` returned.
    """

    records: list[Record] = field(default_factory=list)
    releases: list[Callable[[], None]] = field(default_factory=list)
    futures: list[asyncio.Future[Any]] = field(default_factory=list)
    job_types: set[str] = field(default_factory=set)
    commands: int = 0
    activated_jobs: int = 0

    def add(self, result: CommandResult) -> None:
        """Take the records and activatable job types of one processed command or tick."""
        self.records.extend(result.records)
        self.job_types |= result.activatable_job_types

    def resolve(self, future: asyncio.Future[T], value: T) -> None:
        """Resolve `future` with `value` after the commit (unless the caller gave up)."""
        self.futures.append(future)
        self.releases.append(lambda: None if future.done() else future.set_result(value))

    def fail(self, future: asyncio.Future[T], error: BaseException) -> None:
        """Fail `future` after the commit."""
        self.futures.append(future)
        self.releases.append(lambda: None if future.done() else future.set_exception(error))

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the batch is durable."""
        self.releases.append(action)

    def release(self) -> None:
        """The batch is durable: answer everybody."""
        for action in self.releases:
            action()

    def fail_all(self, error: BaseException) -> None:
        """The batch could not be committed: every waiting caller gets `error`."""
        for future in self.futures:
            if not future.done():
                future.set_exception(error)
