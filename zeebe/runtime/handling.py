"""How the broker loop handles each queued request within one turn (commands, job
activation, queries, ticks). A mixin of `Broker`: the code runs on the loop, in the turn that
collects the batch; nothing here commits or answers before the batch is committed.
"""

from __future__ import annotations

from typing import Any

import structlog

from zeebe.engine.api import Command, CommandResult, EngineApi
from zeebe.records import ValueType
from zeebe.runtime.batch import Batch
from zeebe.runtime.deferred import DeferredAnswers
from zeebe.runtime.dispatch import JobDispatcher
from zeebe.runtime.errors import EngineFailureError
from zeebe.runtime.requests import (
    ActivateRequest,
    CommandRequest,
    QueryRequest,
    Request,
    TickRequest,
)
from zeebe.runtime.results import InstanceResults
from zeebe.runtime.waiters import Job, LongPoll

log = structlog.get_logger("zeebe.broker")


class RequestHandling:
    """The per-request steps of a broker turn; `Broker` supplies the attributes below."""

    engine: EngineApi
    _results: InstanceResults
    _deferred: DeferredAnswers
    _dispatcher: JobDispatcher

    @staticmethod
    def _abandon(requests: list[Request], batch: Batch, error: Exception) -> None:
        failure = EngineFailureError(f"{type(error).__name__}: {error}")
        batch.fail_all(failure)
        for request in requests:
            future = getattr(request, "future", None)
            if future is not None and not future.done():
                future.set_exception(failure)

    def _handle(self, request: Request, batch: Batch) -> None:
        if isinstance(request, CommandRequest):
            self._handle_command(request, batch)
        elif isinstance(request, ActivateRequest):
            self._handle_activate(request, batch)
        elif isinstance(request, QueryRequest):
            self._handle_query(request, batch)
        elif isinstance(request, TickRequest):
            if request.job_type is not None:
                batch.job_types |= self.engine.activatable_job_types() & {request.job_type}
            batch.resolve(request.future, None)

    def _process(self, command: Command, batch: Batch) -> CommandResult | EngineFailureError:
        try:
            result = self.engine.process(command)
        except Exception as error:  # engine bug: report it, keep serving other requests
            log.exception("engine failed", value_type=command.value_type, intent=command.intent)
            return EngineFailureError(f"{type(error).__name__}: {error}")
        batch.commands += 1
        batch.add(result)
        return result

    @staticmethod
    def _handle_query(request: QueryRequest, batch: Batch) -> None:
        try:
            result = request.call()
        except Exception as error:  # engine bug: report it, keep serving other requests
            log.exception("engine query failed")
            batch.fail(request.future, EngineFailureError(f"{type(error).__name__}: {error}"))
            return
        batch.resolve(request.future, result)

    def _handle_command(self, request: CommandRequest, batch: Batch) -> None:
        result = self._process(request.command, batch)
        if isinstance(result, EngineFailureError):
            batch.fail(request.future, result)
            return
        if request.result is not None and result.rejection is None and result.response:
            self._results.register(int(result.response["processInstanceKey"]), request.result)
        if result.answer_after is not None:
            self._deferred.hold(request.future, result, request.command.intent)
            return
        batch.resolve(request.future, result)

    def _activate(self, value: dict[str, Any], batch: Batch) -> list[Job] | EngineFailureError:
        command = Command(ValueType.JOB_BATCH, "ACTIVATE", dict(value))
        result = self._process(command, batch)
        if isinstance(result, EngineFailureError):
            return result
        if result.rejection is not None or result.response is None:
            return []
        jobs: list[Job] = list(result.response.get("jobs", []))
        batch.activated_jobs += len(jobs)
        return jobs

    def _activate_for_waiter(self, value: dict[str, Any], batch: Batch) -> list[Job]:
        jobs = self._activate(value, batch)
        return [] if isinstance(jobs, EngineFailureError) else jobs

    def _handle_activate(self, request: ActivateRequest, batch: Batch) -> None:
        jobs = self._activate(request.value, batch)
        if isinstance(jobs, EngineFailureError):
            batch.fail(request.future, jobs)
        elif jobs or request.long_poll_ms is None:
            batch.resolve(request.future, jobs)
        else:
            self._dispatcher.park(LongPoll(request.value, request.future), request.long_poll_ms)

    def _tick_if_due(self, batch: Batch) -> None:
        due = self.engine.next_due_time()
        if due is None or due > self.engine.now():
            return
        try:
            results = self.engine.tick()
        except Exception:  # engine bug: keep the broker alive, the log stays consistent
            log.exception("engine tick failed")
            return
        for result in results:
            batch.add(result)
