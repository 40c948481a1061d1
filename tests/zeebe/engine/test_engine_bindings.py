"""Resource binding types (Zeebe 8.6+, spec 4.2 / 6: `bindingType` latest | deployment |
versionTag) of called decisions, called processes and linked forms, with the incident texts of
camunda/camunda's DecisionBehavior, BpmnCallActivityBehavior and BpmnUserTaskBehavior. A
binding that finds nothing raises an incident; it never falls back to the latest version."""

from __future__ import annotations

import pytest
from decision_support import dmn, form, rule_task
from engine_support import Driver, bpmn, chain, service_task
from test_engine_definition_tags import tagged_dmn, tagged_form
from test_engine_replay import replayed

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def tagged_process(process_id: str, body: str, tag: str | None) -> bytes:
    """A process with `zeebe:versionTag` (when `tag` is given) around start -> body -> end."""
    version = (
        f'<bpmn:extensionElements><zeebe:versionTag value="{tag}"/></bpmn:extensionElements>'
        if tag
        else ""
    )
    nodes = '<bpmn:startEvent id="s"/>' + body + '<bpmn:endEvent id="e"/>'
    return bpmn(process_id, version + nodes + chain("s", body_id(body), "e"))


def body_id(body: str) -> str:
    return body.split('id="', 1)[1].split('"', 1)[0]


def binding(binding_type: str, tag: str | None = None) -> str:
    tag_attr = f' versionTag="{tag}"' if tag else ""
    return f' bindingType="{binding_type}"{tag_attr}'


def rules(binding_attrs: str) -> bytes:
    """start -> DMN business rule task (decision `discount`, result `discount`) -> end."""
    task = rule_task().replace(
        'resultVariable="discount"/>', f'resultVariable="discount"{binding_attrs}/>'
    )
    return tagged_process("rules", task, None)


def caller(binding_attrs: str) -> bytes:
    call = (
        '<bpmn:callActivity id="call"><bpmn:extensionElements>'
        f'<zeebe:calledElement processId="child"{binding_attrs}/>'
        "</bpmn:extensionElements></bpmn:callActivity>"
    )
    return tagged_process("parent", call, None)


def child(tag: str | None, job_type: str) -> bytes:
    return tagged_process("child", service_task("ct", job_type), tag)


def with_form(binding_attrs: str) -> bytes:
    task = (
        '<bpmn:userTask id="task"><bpmn:extensionElements><zeebe:userTask/>'
        f'<zeebe:formDefinition formId="approve-form"{binding_attrs}/>'
        "</bpmn:extensionElements></bpmn:userTask>"
    )
    return tagged_process("approval", task, None)


def deploy(driver: Driver, *resources: tuple[str, bytes]) -> dict[str, int]:
    """Deploy the resources together; returns the keys of the created decisions and forms by
    `id:version`."""
    result = driver.deploy(*(data for _, data in resources), names=tuple(n for n, _ in resources))
    assert result.rejection is None, result.rejection
    keys: dict[str, int] = {}
    for r in result.records:
        if r.value_type in (ValueType.FORM, ValueType.DECISION) and r.intent == "CREATED":
            ident = r.value.get("formId") or r.value.get("decisionId")
            keys[f"{ident}:{r.value['version']}"] = r.key
    return keys


def incident(driver: Driver) -> tuple[str, str]:
    (value,) = driver.incidents()
    return value["errorType"], value["errorMessage"]


# -- called decisions -------------------------------------------------------------------------


def test_decision_version_tag_binding_evaluates_the_tagged_version() -> None:
    """bindingType versionTag: the decision version carrying the tag, not the latest one."""
    driver = Driver()
    deploy(driver, ("d.dmn", tagged_dmn("v1")))
    deploy(driver, ("d.dmn", tagged_dmn("v2").replace(b">10<", b">25<")))
    deploy(driver, ("p.bpmn", rules(binding("versionTag", "v1"))))
    pi = driver.create("rules", {"total": 150})
    assert driver.written_variables(pi)["discount"] == 10
    (evaluated,) = driver.events(ValueType.DECISION_EVALUATION, "EVALUATED")
    assert evaluated.value["decisionVersion"] == 1


def test_decision_version_tag_not_found_is_zeebes_incident() -> None:
    """DecisionBehavior.findDecisionByIdAndVersionTagAndTenant: no decision with the tag ->
    CALLED_DECISION_ERROR with Zeebe's text, even though a latest version exists."""
    driver = Driver()
    deploy(driver, ("d.dmn", tagged_dmn("v2")))
    deploy(driver, ("p.bpmn", rules(binding("versionTag", "v1"))))
    driver.create("rules", {"total": 150})
    assert incident(driver) == (
        "CALLED_DECISION_ERROR",
        "Expected to evaluate decision with id 'discount' and version tag 'v1', but no such "
        "decision found. To resolve this incident, deploy a decision with the given id and "
        "version tag.",
    )
    assert driver.events(ValueType.DECISION_EVALUATION) == []


def test_decision_version_tag_incident_resolves_after_deploying_the_tag() -> None:
    """The task stays ACTIVATING; resolving after the tagged decision is deployed evaluates it."""
    driver = Driver()
    deploy(driver, ("p.bpmn", rules(binding("versionTag", "v1"))))
    pi = driver.create("rules", {"total": 150})
    deploy(driver, ("d.dmn", tagged_dmn("v1")))
    assert driver.resolve(_incident_key(driver)).rejection is None
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["discount"] == 10


def _incident_key(driver: Driver) -> int:
    (created,) = driver.events(ValueType.INCIDENT, "CREATED")
    return created.key


def test_decision_deployment_binding_not_found_is_zeebes_incident() -> None:
    """DecisionBehavior.findDecisionByIdAndDeploymentKeyAndTenant's text (8.8)."""
    driver = Driver()
    deploy(driver, ("d.dmn", dmn()))
    deploy(driver, ("p.bpmn", rules(binding("deployment"))))
    deployment = driver.events(ValueType.DEPLOYMENT, "CREATED")[-1]
    driver.create("rules", {"total": 150})
    assert incident(driver) == (
        "CALLED_DECISION_ERROR",
        "Expected to evaluate decision 'discount' with binding type 'deployment', but no such "
        f"decision found in the deployment with key {deployment.key} which contained the "
        "current process. To resolve this incident, migrate the process instance to a process "
        "definition that is deployed together with the intended decision to evaluate.",
    )


# -- call activities --------------------------------------------------------------------------


def test_call_activity_version_tag_binding_calls_the_tagged_version() -> None:
    """calledElement bindingType versionTag: the child process version with the tag."""
    driver = Driver()
    deploy(driver, ("c.bpmn", child("v1", "first")))
    deploy(driver, ("c.bpmn", child("v2", "second")))
    deploy(driver, ("p.bpmn", caller(binding("versionTag", "v1"))))
    driver.create("parent")
    (job,) = [j.value for j in driver.events(ValueType.JOB, "CREATED")]
    assert (job["type"], job["processDefinitionVersion"]) == ("first", 1)


def test_call_activity_version_tag_not_found_is_zeebes_incident() -> None:
    """BpmnCallActivityBehavior: no version with the tag -> CALLED_ELEMENT_ERROR, no child
    (the latest version is not called instead)."""
    driver = Driver()
    deploy(driver, ("c.bpmn", child("v2", "second")))
    deploy(driver, ("p.bpmn", caller(binding("versionTag", "v1"))))
    driver.create("parent")
    assert incident(driver) == (
        "CALLED_ELEMENT_ERROR",
        "Expected to call process with BPMN process id 'child' and version tag 'v1', but no "
        "such process found. To resolve this incident, deploy a process with the given process "
        "id and version tag.",
    )
    assert driver.events(ValueType.JOB, "CREATED") == []


def test_call_activity_deployment_binding_calls_the_version_deployed_together() -> None:
    """bindingType deployment: the child version of the caller's deployment, not the latest."""
    driver = Driver()
    deploy(driver, ("c.bpmn", child(None, "first")), ("p.bpmn", caller(binding("deployment"))))
    deploy(driver, ("c.bpmn", child(None, "second")))
    driver.create("parent")
    (job,) = [j.value for j in driver.events(ValueType.JOB, "CREATED")]
    assert (job["type"], job["processDefinitionVersion"]) == ("first", 1)


def test_call_activity_deployment_binding_not_found_is_zeebes_incident() -> None:
    """BpmnCallActivityBehavior.getProcessVersionInSameDeployment's text."""
    driver = Driver()
    deploy(driver, ("c.bpmn", child(None, "first")))
    deploy(driver, ("p.bpmn", caller(binding("deployment"))))
    deployment = driver.events(ValueType.DEPLOYMENT, "CREATED")[-1]
    driver.create("parent")
    assert incident(driver) == (
        "CALLED_ELEMENT_ERROR",
        "Expected to call process with BPMN process id 'child' with binding type 'deployment', "
        f"but no such process found in the deployment with key {deployment.key} which "
        "contained the current process. To resolve this incident, migrate the process instance "
        "to a process definition that is deployed together with the intended process "
        "definition to call.",
    )


# -- linked forms -----------------------------------------------------------------------------


def form_key_of_task(driver: Driver) -> int:
    (created,) = driver.events(ValueType.USER_TASK, "CREATED")
    return int(created.value["formKey"])


def test_form_version_tag_binding_links_the_tagged_version() -> None:
    """formDefinition bindingType versionTag: the form version with the tag, not the latest."""
    driver = Driver()
    keys = deploy(driver, ("f.form", tagged_form("v1")))
    deploy(driver, ("f.form", tagged_form("v2")))
    deploy(driver, ("p.bpmn", with_form(binding("versionTag", "v1"))))
    driver.create("approval")
    assert form_key_of_task(driver) == keys["approve-form:1"]


def test_form_version_tag_not_found_is_zeebes_incident() -> None:
    """BpmnUserTaskBehavior.findFormByIdAndVersionTag: FORM_NOT_FOUND with Zeebe's text (its
    text block ends with a line break)."""
    driver = Driver()
    deploy(driver, ("f.form", tagged_form("v2")))
    deploy(driver, ("p.bpmn", with_form(binding("versionTag", "v1"))))
    driver.create("approval")
    assert incident(driver) == (
        "FORM_NOT_FOUND",
        "Expected to use a form with id 'approve-form' and version tag 'v1', but no such form "
        "found. To resolve the incident, deploy a form with the given id and version tag.\n",
    )
    assert driver.events(ValueType.USER_TASK, "CREATED") == []


def test_form_deployment_binding_links_the_version_deployed_together() -> None:
    """bindingType deployment: the form version of the process's deployment."""
    driver = Driver()
    keys = deploy(driver, ("f.form", form()), ("p.bpmn", with_form(binding("deployment"))))
    deploy(driver, ("f.form", tagged_form("v2")))
    driver.create("approval")
    assert form_key_of_task(driver) == keys["approve-form:1"]


def test_form_deployment_binding_not_found_is_zeebes_incident() -> None:
    """BpmnUserTaskBehavior.findFormByIdInSameDeployment's text."""
    driver = Driver()
    deploy(driver, ("f.form", form()))
    deploy(driver, ("p.bpmn", with_form(binding("deployment"))))
    deployment = driver.events(ValueType.DEPLOYMENT, "CREATED")[-1]
    driver.create("approval")
    assert incident(driver) == (
        "FORM_NOT_FOUND",
        "Expected to use a form with id 'approve-form' with binding type 'deployment', but no "
        f"such form found in the deployment with key {deployment.key} which contained the "
        "current process. To resolve this incident, migrate the process instance to a process "
        "definition that is deployed together with the intended form to use.",
    )


def test_form_latest_binding_links_the_latest_version() -> None:
    """bindingType latest (the default, also when written out): the latest form version."""
    driver = Driver()
    deploy(driver, ("f.form", form()))
    keys = deploy(driver, ("f.form", tagged_form("v2")))
    deploy(driver, ("p.bpmn", with_form(binding("latest"))))
    driver.create("approval")
    assert form_key_of_task(driver) == keys["approve-form:2"]


def test_bindings_replay_to_the_same_state() -> None:
    """Replaying the records of tagged and deployment-bound lookups rebuilds the same state."""
    driver = Driver()
    deploy(driver, ("d.dmn", tagged_dmn("v1")), ("p.bpmn", rules(binding("deployment"))))
    deploy(driver, ("c.bpmn", child("v1", "first")))
    deploy(driver, ("p2.bpmn", caller(binding("versionTag", "v1"))))
    driver.create("rules", {"total": 150})
    driver.create("parent")
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def test_a_called_process_without_none_start_event_is_zeebes_incident() -> None:
    """BpmnCallActivityBehavior.checkProcessHasNoneStartEvent: the bound version must have a
    none start event, else CALLED_ELEMENT_ERROR and no child instance."""
    message_start = bpmn(
        "child",
        '<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>'
        + service_task("ct", "first")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "ct", "e"),
        extra='<bpmn:message id="m" name="go"/>',
    )
    driver = Driver()
    deploy(driver, ("c.bpmn", message_start), ("p.bpmn", caller("")))
    pi = driver.create("parent")
    assert incident(driver) == (
        "CALLED_ELEMENT_ERROR",
        "Expected process with BPMN process id 'child' to have a none start event, but not found.",
    )
    instances = {r.value["processInstanceKey"] for r in driver.events(ValueType.PROCESS_INSTANCE)}
    assert instances == {pi}
