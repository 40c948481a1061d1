"""Resource binding of called processes, called decisions and linked forms (Zeebe 8.6+
`bindingType`): `latest` (default) takes the latest version of the id, `deployment` the
version deployed together with the calling process, `versionTag` the latest version carrying
the element's `versionTag`. Nothing found is a failure with Zeebe's incident text
(BpmnCallActivityBehavior / DecisionBehavior / BpmnUserTaskBehavior of camunda/camunda), never
a fallback to another binding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from zeebe.engine.expressions import Failure
from zeebe.state import EngineState, ProcessDefinition
from zeebe.state.definitions import DeployedDecision, DeployedForm

D = TypeVar("D", ProcessDefinition, DeployedDecision, DeployedForm)


def _highest(candidates: Iterable[D], wanted: Callable[[D], bool]) -> D | None:
    """The highest version among the candidates that match."""
    return max((c for c in candidates if wanted(c)), key=lambda c: c.version, default=None)


def deployment_key_of(state: EngineState, process_definition_key: int) -> int:
    """The deployment that contained the process definition (bindingType `deployment`)."""
    return state.processes[process_definition_key].deployment_key


def called_process(
    state: EngineState,
    process_id: str,
    binding: tuple[str, str | None],
    process_definition_key: int,
) -> ProcessDefinition | Failure:
    """The process a call activity starts, for its (bindingType, versionTag); it must have a
    none start event (BpmnCallActivityBehavior.checkProcessHasNoneStartEvent)."""
    found = _called_version(state, process_id, binding, process_definition_key)
    if isinstance(found, Failure) or found.process.none_start_event is not None:
        return found
    return Failure(
        f"Expected process with BPMN process id '{process_id}' to have a none start event, "
        "but not found."
    )


def _called_version(
    state: EngineState,
    process_id: str,
    binding: tuple[str, str | None],
    process_definition_key: int,
) -> ProcessDefinition | Failure:
    binding_type, version_tag = binding
    if binding_type == "deployment":
        deployment_key = deployment_key_of(state, process_definition_key)
        found = _highest(
            state.processes.values(),
            lambda d: d.bpmn_process_id == process_id and d.deployment_key == deployment_key,
        )
        return found or Failure(
            f"Expected to call process with BPMN process id '{process_id}' with binding type "
            f"'deployment', but no such process found in the deployment with key "
            f"{deployment_key} which contained the current process. To resolve this incident, "
            "migrate the process instance to a process definition that is deployed together "
            "with the intended process definition to call."
        )
    if binding_type == "versionTag":
        found = _highest(
            state.processes.values(),
            lambda d: d.bpmn_process_id == process_id and d.process.version_tag == version_tag,
        )
        return found or Failure(
            f"Expected to call process with BPMN process id '{process_id}' and version tag "
            f"'{version_tag}', but no such process found. To resolve this incident, deploy a "
            "process with the given process id and version tag."
        )
    return state.latest(process_id) or Failure(
        f"Expected process with BPMN process id '{process_id}' to be deployed, but not found."
    )


def decision_in_deployment(
    state: EngineState, decision_id: str, process_definition_key: int
) -> DeployedDecision | Failure:
    """bindingType `deployment` of a called decision."""
    deployment_key = deployment_key_of(state, process_definition_key)
    found = _highest(
        state.definitions.decisions.by_key.values(),
        lambda d: d.decision_id == decision_id and d.deployment_key == deployment_key,
    )
    return found or Failure(
        f"Expected to evaluate decision '{decision_id}' with binding type 'deployment', but no "
        f"such decision found in the deployment with key {deployment_key} which contained the "
        "current process. To resolve this incident, migrate the process instance to a process "
        "definition that is deployed together with the intended decision to evaluate."
    )


def linked_form(
    state: EngineState,
    form_id: str,
    binding: tuple[str, str | None],
    process_definition_key: int,
) -> DeployedForm | Failure:
    """The form a user task's `zeebe:formDefinition formId` links, for its binding."""
    binding_type, version_tag = binding
    forms = state.definitions.forms
    if binding_type == "deployment":
        deployment_key = deployment_key_of(state, process_definition_key)
        found = _highest(
            forms.by_key.values(),
            lambda f: f.form_id == form_id and f.deployment_key == deployment_key,
        )
        return found or Failure(
            f"Expected to use a form with id '{form_id}' with binding type 'deployment', but no "
            f"such form found in the deployment with key {deployment_key} which contained the "
            "current process. To resolve this incident, migrate the process instance to a "
            "process definition that is deployed together with the intended form to use."
        )
    if binding_type == "versionTag":
        found = _highest(
            forms.by_key.values(), lambda f: f.form_id == form_id and f.version_tag == version_tag
        )
        # Zeebe's text block ends with a line break here (unlike the other two texts)
        return found or Failure(
            f"Expected to use a form with id '{form_id}' and version tag '{version_tag}', but no "
            "such form found. To resolve the incident, deploy a form with the given id and "
            "version tag.\n"
        )
    return forms.latest(form_id) or Failure(
        f"Expected to find a form with id '{form_id}', but no form with this id is found, at "
        "least a form with this id should be available. To resolve the Incident please deploy "
        "a form with the same id"
    )
