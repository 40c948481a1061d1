"""Job-based user tasks (no `<zeebe:userTask/>`) linked to a form by
`<zeebe:formDefinition formId="..."/>`: the job carries the linked form's key in the
`io.camunda.zeebe:formKey` custom header (Protocol.USER_TASK_FORM_KEY_HEADER_NAME), as decimal
text (camunda/camunda BpmnJobBehavior: `evaluateFormIdExpressionToFormKey(...)` then
`Objects.toString(key)`), resolved by the form's bindingType like for Camunda user tasks. No
form for the binding is a FORM_NOT_FOUND incident with BpmnUserTaskBehavior's text, and no job.
"""

from __future__ import annotations

import pytest
from decision_support import form
from engine_support import Driver
from test_engine_bindings import binding, body_id, deploy, incident, tagged_process
from test_engine_definition_tags import tagged_form
from test_engine_migration import deployed_key, migrate
from test_engine_migration_user_tasks import user_task
from test_engine_replay import replayed

from zeebe.records import ValueType

pytestmark = pytest.mark.unit

JOB_TYPE = "io.camunda.zeebe:userTask"
FORM_KEY = "io.camunda.zeebe:formKey"


def job_based(binding_attrs: str = "", extensions: str = "") -> bytes:
    """start -> job-based user task `task` linking form `approve-form` -> end."""
    task = (
        f'<bpmn:userTask id="task"><bpmn:extensionElements>{extensions}'
        f'<zeebe:formDefinition formId="approve-form"{binding_attrs}/>'
        "</bpmn:extensionElements></bpmn:userTask>"
    )
    assert body_id(task) == "task"
    return tagged_process("approval", task, None)


def form_key_header(driver: Driver) -> str | None:
    headers: dict[str, str] = dict(driver.job(JOB_TYPE)["customHeaders"])
    return headers.get(FORM_KEY)


def test_form_deployed_in_the_same_deployment_is_the_header() -> None:
    """The header is the key of the linked form, as decimal text; no Camunda user task."""
    driver = Driver()
    keys = deploy(driver, ("f.form", form()), ("p.bpmn", job_based()))
    driver.create("approval")
    assert form_key_header(driver) == str(keys["approve-form:1"])
    assert driver.events(ValueType.USER_TASK) == []


def test_form_deployed_in_another_deployment_is_the_latest_version() -> None:
    """bindingType latest (the default): the latest version of the form id, wherever it was
    deployed."""
    driver = Driver()
    deploy(driver, ("p.bpmn", job_based()))
    deploy(driver, ("f.form", form()))
    keys = deploy(driver, ("f.form", tagged_form("v2")))
    driver.create("approval")
    assert form_key_header(driver) == str(keys["approve-form:2"])


def test_deployment_binding_takes_the_version_deployed_together() -> None:
    """bindingType deployment: the form version of the process's deployment."""
    driver = Driver()
    keys = deploy(driver, ("f.form", form()), ("p.bpmn", job_based(binding("deployment"))))
    deploy(driver, ("f.form", tagged_form("v2")))
    driver.create("approval")
    assert form_key_header(driver) == str(keys["approve-form:1"])


def test_version_tag_binding_takes_the_tagged_version() -> None:
    """bindingType versionTag: the version carrying the tag, not the latest."""
    driver = Driver()
    keys = deploy(driver, ("f.form", tagged_form("v1")))
    deploy(driver, ("f.form", tagged_form("v2")))
    deploy(driver, ("p.bpmn", job_based(binding("versionTag", "v1"))))
    driver.create("approval")
    assert form_key_header(driver) == str(keys["approve-form:1"])


def test_the_other_user_task_headers_stay() -> None:
    """The form key joins the assignment headers."""
    driver = Driver()
    assignment = '<zeebe:assignmentDefinition assignee="anna"/>'
    keys = deploy(driver, ("f.form", form()), ("p.bpmn", job_based(extensions=assignment)))
    driver.create("approval")
    headers = dict(driver.job(JOB_TYPE)["customHeaders"])
    assert headers == {
        "io.camunda.zeebe:assignee": "anna",
        FORM_KEY: str(keys["approve-form:1"]),
    }


def test_missing_form_is_a_form_not_found_incident_and_no_job() -> None:
    """bindingType latest without any version of the form: FORM_NOT_FOUND with
    BpmnUserTaskBehavior's text; the job is not created."""
    driver = Driver()
    deploy(driver, ("p.bpmn", job_based()))
    driver.create("approval")
    assert incident(driver) == (
        "FORM_NOT_FOUND",
        "Expected to find a form with id 'approve-form', but no form with this id is found, at "
        "least a form with this id should be available. To resolve the Incident please deploy "
        "a form with the same id",
    )
    assert driver.events(ValueType.JOB, "CREATED") == []


def test_missing_deployment_bound_form_is_a_form_not_found_incident() -> None:
    """bindingType deployment with the form only in another deployment: Zeebe's text naming
    the process's deployment."""
    driver = Driver()
    deploy(driver, ("f.form", form()))
    deploy(driver, ("p.bpmn", job_based(binding("deployment"))))
    deployment = driver.events(ValueType.DEPLOYMENT, "CREATED")[-1]
    driver.create("approval")
    error_type, message = incident(driver)
    assert error_type == "FORM_NOT_FOUND"
    assert f"in the deployment with key {deployment.key} which contained" in message


def test_expression_failures_come_before_the_form_lookup() -> None:
    """The form is resolved after the assignment and schedule (BpmnJobBehavior's order): a
    failing assignee expression is the incident (EXTRACT_VALUE_ERROR), not the missing form."""
    driver = Driver()
    assignment = '<zeebe:assignmentDefinition assignee="= 1 + 1"/>'
    deploy(driver, ("p.bpmn", job_based(extensions=assignment)))
    driver.create("approval")
    error_type, _ = incident(driver)
    assert error_type == "EXTRACT_VALUE_ERROR"


def test_resolving_the_incident_after_deploying_the_form_creates_the_job() -> None:
    """The incident is resolved by deploying the form and resolving it: the element is
    activated again and its job carries the new form's key."""
    driver = Driver()
    deploy(driver, ("p.bpmn", job_based()))
    driver.create("approval")
    (created,) = driver.events(ValueType.INCIDENT, "CREATED")
    keys = deploy(driver, ("f.form", form()))
    assert driver.resolve(created.key).rejection is None
    assert form_key_header(driver) == str(keys["approve-form:1"])


def test_replay_rebuilds_the_job_with_its_form_key() -> None:
    """Replaying the records rebuilds the same state (the header is in JOB CREATED)."""
    driver = Driver()
    deploy(driver, ("f.form", form()), ("p.bpmn", job_based()))
    driver.create("approval")
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def test_migrating_to_a_camunda_user_task_keeps_the_linked_form() -> None:
    """Camunda 8.8 docs, "Migrate job worker user tasks to Camunda user tasks": the target task
    "preserves ... the form id or form key from the source task" (camunda/camunda
    ProcessInstanceMigrationUserTaskBehavior.migrateForm reads the job's formKey header): the
    new USER_TASK carries the form's key."""
    link = '<zeebe:formDefinition formId="approve-form"/>'
    source = user_task("p", camunda=False, extensions=link)
    target = user_task("p2", camunda=True, extensions="")
    driver = Driver()
    keys = deploy(driver, ("f.form", form()))
    deployed_key(driver, source, "v1.bpmn")
    target_key = deployed_key(driver, target, "v2.bpmn")
    pi = driver.create("p")
    assert migrate(driver, pi, target_key, ("U", "U")).rejection is None
    (created,) = driver.events(ValueType.USER_TASK, "CREATED")
    assert created.value["formKey"] == keys["approve-form:1"]
