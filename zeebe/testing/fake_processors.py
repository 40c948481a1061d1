"""Command processors of the fake engine (see `fake_engine`): validate, then write events.

The registry, keyed by (value type, intent); the processors live in `fake_instances`,
`fake_jobs` and `fake_messages`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from zeebe.engine.api import Command, CommandResult
from zeebe.records import ValueType
from zeebe.testing.fake_instances import cancel_instance, create_instance, deploy, set_variables
from zeebe.testing.fake_jobs import (
    activate_jobs,
    complete_job,
    fail_job,
    resolve_incident,
    throw_error,
    update_retries,
    update_timeout,
    yield_job,
)
from zeebe.testing.fake_messages import broadcast_signal, evaluate_decision, publish_message

if TYPE_CHECKING:  # the engine imports this registry; types only, no import cycle at runtime
    from zeebe.testing.fake_engine import FakeEngine, Writer

Processor = Callable[["FakeEngine", "Writer", Command], CommandResult]

PROCESSORS: dict[tuple[ValueType, str], Processor] = {
    (ValueType.DEPLOYMENT, "CREATE"): deploy,
    (ValueType.PROCESS_INSTANCE_CREATION, "CREATE"): create_instance,
    (ValueType.PROCESS_INSTANCE_CREATION, "CREATE_WITH_AWAITING_RESULT"): create_instance,
    (ValueType.PROCESS_INSTANCE, "CANCEL"): cancel_instance,
    (ValueType.JOB_BATCH, "ACTIVATE"): activate_jobs,
    (ValueType.JOB, "COMPLETE"): complete_job,
    (ValueType.JOB, "FAIL"): fail_job,
    (ValueType.JOB, "THROW_ERROR"): throw_error,
    (ValueType.JOB, "UPDATE_RETRIES"): update_retries,
    (ValueType.JOB, "UPDATE_TIMEOUT"): update_timeout,
    (ValueType.JOB, "YIELD"): yield_job,
    (ValueType.INCIDENT, "RESOLVE"): resolve_incident,
    (ValueType.VARIABLE_DOCUMENT, "UPDATE"): set_variables,
    (ValueType.MESSAGE, "PUBLISH"): publish_message,
    (ValueType.SIGNAL, "BROADCAST"): broadcast_signal,
    (ValueType.DECISION_EVALUATION, "EVALUATE"): evaluate_decision,
}
