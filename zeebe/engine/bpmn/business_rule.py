"""Business rule tasks (spec 4.2): with `zeebe:calledDecision` the engine evaluates the decision
version its bindingType names (latest, the one deployed with the process, or the one with the
`versionTag`; `bindings`) and stores its output in `resultVariable` (like a FEEL script task's
result, so output mappings and propagation apply); without it the task is job-based.

Failures become incidents and leave the task in ACTIVATING, so resolving re-evaluates:
no such decision -> CALLED_DECISION_ERROR, a failed evaluation -> DECISION_EVALUATION_ERROR,
a bad `decisionId` expression -> EXTRACT_VALUE_ERROR.

Each evaluation writes DECISION_EVALUATION EVALUATED (or FAILED, before its incident) with the
process instance, element and process definition it ran for (Zeebe 8.7 BpmnDecisionBehavior);
a decision that is not found writes none.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine import decisions
from zeebe.engine.bpmn import bindings, lifecycle
from zeebe.engine.bpmn.activities import activate_job_task
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.mappings import apply_inputs
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate_typed
from zeebe.model.elements import CalledDecision, Element
from zeebe.records import ValueType
from zeebe.state import ElementInstance
from zeebe.state.definitions import DeployedDecision


def activate_business_rule_task(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Evaluate the called decision, or create the job of a job-based business rule task."""
    called = element.called_decision
    if called is None:
        activate_job_task(ctx, instance, element)
        return
    if not apply_inputs(ctx, instance, element):
        return
    output = _decision_output(ctx, instance, called)
    if isinstance(output, Failure):
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    pi = instance.value
    trigger = {
        "scopeKey": instance.key,
        "targetElementId": element.id,
        "variables": {called.result_variable: output},
        "processDefinitionKey": instance.process_definition_key,
        "processInstanceKey": instance.process_instance_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "tenantId": pi["tenantId"],
    }
    ctx.event(instance.key, ValueType.PROCESS_EVENT, "TRIGGERING", trigger)
    lifecycle.complete(ctx, instance)


def _bound_decision(
    ctx: Context, instance: ElementInstance, called: CalledDecision, decision_id: str
) -> DeployedDecision | Failure | None:
    """The decision version for the task's bindingType (`bindings`): `deployment` the one
    deployed with this process, `versionTag` the one carrying the tag, else the latest (None if
    there is none: Zeebe's not-found text of `decisions`)."""
    if called.binding_type == "deployment":
        return bindings.decision_in_deployment(
            ctx.state, decision_id, instance.process_definition_key
        )
    if called.binding_type == "versionTag" and called.version_tag is not None:
        tagged = decisions.find_by_version_tag(ctx.state, decision_id, called.version_tag)
        return tagged or Failure(
            decisions.version_tag_not_found_message(decision_id, called.version_tag)
        )
    return decisions.find_latest(ctx.state, decision_id)


def _decision_output(ctx: Context, instance: ElementInstance, called: CalledDecision) -> Any:
    """The decision's output, or a `Failure` after raising the matching incident."""
    variables = visible(ctx.state, instance.key)
    decision_id = evaluate_typed(called.decision_id, variables, ctx.now, "STRING")
    if isinstance(decision_id, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", decision_id.message)
        return decision_id
    decision = _bound_decision(ctx, instance, called, decision_id)
    if isinstance(decision, Failure):
        raise_incident(ctx, instance, "CALLED_DECISION_ERROR", decision.message)
        return decision
    if decision is None:
        failure = Failure(decisions.not_found_message(decision_id))
        raise_incident(ctx, instance, "CALLED_DECISION_ERROR", failure.message)
        return failure
    evaluation = decisions.evaluate(ctx.state, decision, variables, ctx.now)
    value = decisions.evaluation_value(ctx.state, evaluation)
    decisions.write_evaluation(
        ctx, evaluation, decisions.record_value(value, {}, _process(instance))
    )
    if evaluation.failure_message is not None:
        failure = Failure(evaluation.failure_message)
        raise_incident(ctx, instance, "DECISION_EVALUATION_ERROR", failure.message)
        return failure
    return evaluation.result.output


def _process(instance: ElementInstance) -> dict[str, Any]:
    """The process fields of the task's DECISION_EVALUATION record."""
    return {
        "bpmnProcessId": instance.value["bpmnProcessId"],
        "processDefinitionKey": instance.process_definition_key,
        "processInstanceKey": instance.process_instance_key,
        "elementId": instance.element_id,
        "elementInstanceKey": instance.key,
    }
