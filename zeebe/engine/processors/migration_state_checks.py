"""Migration preconditions that read engine state beyond the element instance itself.

- Message start events (Zeebe 8.8 `requireNoStartEventInstanceForTargetProcess`, checked right
  after the target definition is found): only one instance per bpmn process id and correlation
  key may run when it was started by a message. An instance started by a message with a
  correlation key that migrates to another process id with a message start event is rejected
  (INVALID_STATE) while that process id already has an active instance started with the same
  correlation key. As in Zeebe the instance keeps its entry under its old process id.
- Listener jobs: Zeebe has no precondition for them; the job of an execution listener or a user
  task listener is the element instance's job and gets JOB MIGRATED like any other (camunda PR
  #26644, "generic job migration"). An element waiting for an end execution listener has
  already applied its job's result (output mappings run before end listeners), so the result
  this engine keeps for it is no pending trigger (Zeebe has consumed its event trigger by then).
"""

from __future__ import annotations

from zeebe.engine.processors.migration_plan import Failure, Plan
from zeebe.engine.processors.migration_texts import MESSAGE_START_CORRELATION_KEY_TAKEN
from zeebe.records import RejectionType
from zeebe.state import ElementInstance, EngineState

COMPLETING = "ELEMENT_COMPLETING"
EXECUTION_LISTENER = "EXECUTION_LISTENER"


def message_start_failure(state: EngineState, plan: Plan, root: ElementInstance) -> Failure | None:
    """INVALID_STATE when the target process id already runs an instance started by a message
    with this instance's correlation key."""
    target = plan.target
    if plan.source.bpmn_process_id == target.bpmn_process_id:
        return None  # the process id does not change: the key stays unique
    if not target.process.message_start_events:
        return None
    started = state.message_started_by_instance.get(root.key)
    if started is None:
        return None  # not started by a message with a correlation key
    correlation_key = started[1]
    if (target.bpmn_process_id, correlation_key) not in state.message_started:
        return None
    reason = MESSAGE_START_CORRELATION_KEY_TAKEN.format(root.key, target.key, correlation_key)
    return Failure(RejectionType.INVALID_STATE, reason)


def waits_for_end_listener(state: EngineState, instance: ElementInstance) -> bool:
    """The element completes and waits for an end execution listener job."""
    if instance.state != COMPLETING or instance.job_key <= 0:
        return False
    job = state.jobs.get(instance.job_key)
    return job is not None and job.value.get("jobKind") == EXECUTION_LISTENER
