"""The command processor registry: (value type, intent) -> processor function.

It also registers the Camunda user task event appliers and element steps into the appliers'
and element processors' registries (kept here while those files have other owners).
"""

from __future__ import annotations

from collections.abc import Callable

from zeebe.engine.bpmn import ad_hoc_activation
from zeebe.engine.context import Context
from zeebe.engine.processors import (
    clock,
    deployment,
    evaluate_decision,
    incidents,
    instances,
    messages,
    migration,
    modification,
    signals,
)
from zeebe.engine.processors.job_yield import yield_job
from zeebe.engine.processors.jobs import JOB_PROCESSORS
from zeebe.engine.processors.user_tasks import USER_TASK_PROCESSORS
from zeebe.records import Record, ValueType

Processor = Callable[[Context, Record], None]

PROCESSORS: dict[tuple[ValueType, str], Processor] = {
    (ValueType.DEPLOYMENT, "CREATE"): deployment.deploy,
    (ValueType.PROCESS_INSTANCE_CREATION, "CREATE"): instances.create,
    (ValueType.PROCESS_INSTANCE_CREATION, "CREATE_WITH_AWAITING_RESULT"): instances.create,
    (ValueType.PROCESS_INSTANCE, "CANCEL"): instances.cancel,
    (ValueType.INCIDENT, "RESOLVE"): incidents.resolve,
    (ValueType.VARIABLE_DOCUMENT, "UPDATE"): incidents.update_variables,
    (ValueType.MESSAGE, "PUBLISH"): messages.publish,
    (ValueType.SIGNAL, "BROADCAST"): signals.broadcast_signal,
    (ValueType.PROCESS_INSTANCE_MODIFICATION, "MODIFY"): modification.modify,
    (ValueType.PROCESS_INSTANCE_MIGRATION, "MIGRATE"): migration.migrate,
    (ValueType.RESOURCE_DELETION, "DELETE"): modification.delete_resource,
    (ValueType.DECISION_EVALUATION, "EVALUATE"): evaluate_decision.evaluate,
    (ValueType.AD_HOC_SUB_PROCESS_INSTRUCTION, "ACTIVATE"): ad_hoc_activation.activate_activities,
    (ValueType.JOB, "YIELD"): yield_job,
    **JOB_PROCESSORS,
    **USER_TASK_PROCESSORS,
    **clock.CLOCK_PROCESSORS,
}
