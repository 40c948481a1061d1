"""Job worker user tasks migrated to Camunda user tasks (Camunda 8.8 docs, process instance
migration, "Migrate job worker user tasks to Camunda user tasks", "Only available since version
8.8.20": "The target Camunda user task preserves candidate groups, candidate users, due date,
follow-up date, and the form id or form key from the source task, as well as customHeaders set
in the job"; "uses the priority defined in the target user task definition, or a default value
of 50"; "Embedded forms are not supported. The form defined in the target user task definition
is used"; "The current assignee is not preserved. The task is assigned to the initial assignee
defined in the target user task definition"; camunda/camunda
`ProcessInstanceMigrationUserTaskBehavior`).
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain
from test_engine_migration import deployed_key, migrate, rejected
from test_engine_replay import replayed

from zeebe.records import Record, RejectionType, ValueType

pytestmark = pytest.mark.unit

UT = ValueType.USER_TASK
SOURCE_ATTRIBUTES = (
    '<zeebe:assignmentDefinition assignee="old-user" candidateGroups="sales, ops" '
    'candidateUsers="= users"/>'
    '<zeebe:taskSchedule dueDate="2026-12-01T10:00:00Z" followUpDate="2026-11-30T10:00:00Z"/>'
)
HEADERS = '<zeebe:taskHeaders><zeebe:header key="team" value="blue"/></zeebe:taskHeaders>'


def user_task(process_id: str, *, camunda: bool, extensions: str, then: str = "") -> bytes:
    """start -> user task U (Camunda or job worker, with the extension elements) [-> service
    task `then`] -> end."""
    marker = "<zeebe:userTask />" if camunda else ""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:userTask id="U"><bpmn:extensionElements>'
        f"{marker}{extensions}</bpmn:extensionElements></bpmn:userTask>"
    )
    ids = ["s", "U"]
    if then:
        body += (
            f'<bpmn:serviceTask id="{then}"><bpmn:extensionElements>'
            f'<zeebe:taskDefinition type="{then}"/></bpmn:extensionElements></bpmn:serviceTask>'
        )
        ids.append(then)
    return bpmn(process_id, body + '<bpmn:endEvent id="e"/>' + chain(*ids, "e"))


def started(source: bytes, target: bytes, variables: dict[str, Any]) -> tuple[Driver, int, int]:
    """Deploy source ("p") and target ("p2"), create "p": (driver, instance, target key)."""
    driver = Driver()
    deployed_key(driver, source, "v1.bpmn")
    target_key = deployed_key(driver, target, "v2.bpmn")
    return driver, driver.create("p", variables), target_key


def converted(target_extensions: str, *, form: str = "") -> tuple[Driver, int, int, list[Record]]:
    """A job worker task (source attributes, a "team" header, optional formKey) migrated to a
    Camunda user task with `target_extensions`; returns the migration's records too."""
    form_key = f'<zeebe:formDefinition formKey="{form}"/>' if form else ""
    source = user_task("p", camunda=False, extensions=SOURCE_ATTRIBUTES + form_key + HEADERS)
    target = user_task("p2", camunda=True, extensions=target_extensions, then="next")
    variables = {"users": ["ann", "bob"], "lead": "carl", "url": "https://forms.example/v2"}
    driver, pi, target_key = started(source, target, variables)
    result = migrate(driver, pi, target_key, ("U", "U"))
    assert result.rejection is None, result.rejection
    return driver, pi, target_key, result.records


def test_the_job_becomes_a_camunda_user_task_of_the_target() -> None:
    """After ELEMENT_MIGRATED: USER_TASK CREATING, CREATED, ASSIGNING, ASSIGNED (new key), JOB
    CANCELED (isJobToUserTaskMigration), then USER_TASK MIGRATED, as Zeebe writes them."""
    driver, _, target_key, records = converted("")
    written = [(r.value_type, r.intent) for r in records]
    element = written.index((ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED"), 2)
    assert written[element + 1 : element + 7] == [
        (UT, "CREATING"),
        (UT, "CREATED"),
        (UT, "ASSIGNING"),
        (UT, "ASSIGNED"),
        (ValueType.JOB, "CANCELED"),
        (UT, "MIGRATED"),
    ]
    (cancelled,) = [r for r in records if r.value_type is ValueType.JOB]
    assert cancelled.value["isJobToUserTaskMigration"] is True
    assert driver.activate("io.camunda.zeebe:userTask") == []
    (created,) = driver.events(UT, "CREATED")
    assert (created.value["processDefinitionKey"], created.value["elementId"]) == (target_key, "U")


def test_the_job_worker_task_data_is_kept() -> None:
    """Candidate groups and users, due and follow-up dates and the external form key come from
    the job; custom headers without the io.camunda.zeebe: ones; no target priority: 50."""
    _, _, _, records = converted("", form="https://forms.example/approve")
    (creating,) = [r.value for r in records if r.value_type is UT and r.intent == "CREATING"]
    assert creating["candidateGroupsList"] == ["sales", "ops"]
    assert creating["candidateUsersList"] == ["ann", "bob"]
    assert (creating["dueDate"], creating["followUpDate"]) == (
        "2026-12-01T10:00:00Z",
        "2026-11-30T10:00:00Z",
    )
    assert creating["externalFormReference"] == "https://forms.example/approve"
    assert creating["customHeaders"] == {"team": "blue"}
    assert creating["priority"] == 50


def test_assignee_and_priority_come_from_the_target() -> None:
    """The job's assignee (old-user) is dropped: the target's assignee expression is evaluated
    (carl) and its priority used."""
    target = (
        '<zeebe:assignmentDefinition assignee="= lead"/><zeebe:priorityDefinition priority="80"/>'
    )
    driver, _, _, records = converted(target)
    (assigned,) = [r.value for r in records if r.value_type is UT and r.intent == "ASSIGNED"]
    assert (assigned["assignee"], assigned["priority"]) == ("carl", 80)
    (task,) = driver.engine.state.user_tasks.values()
    assert task.value["assignee"] == "carl"


def test_without_a_target_assignee_the_task_is_unassigned() -> None:
    """ASSIGNING and ASSIGNED are written with an empty assignee ("we always need to sync the
    assignee because for job-based tasks the assignee value could be anything")."""
    _, _, _, records = converted("")
    assigned = [
        r.value["assignee"] for r in records if r.value_type is UT and r.intent == "ASSIGNED"
    ]
    assert assigned == [""]


def test_an_embedded_form_becomes_the_target_external_reference() -> None:
    """An embedded form (camunda-forms:bpmn:...) is replaced by the target's form reference."""
    target = '<zeebe:formDefinition externalReference="= url"/>'
    _, _, _, records = converted(target, form="camunda-forms:bpmn:UserTaskForm_1")
    (creating,) = [r.value for r in records if r.value_type is UT and r.intent == "CREATING"]
    assert creating["externalFormReference"] == "https://forms.example/v2"


def test_a_target_form_reference_that_fails_rejects_the_migration() -> None:
    """INVALID_STATE with Zeebe's form evaluation text; nothing is written."""
    form = '<zeebe:formDefinition formKey="camunda-forms:bpmn:UserTaskForm_1"/>'
    source = user_task("p", camunda=False, extensions=form)
    target = user_task(
        "p2", camunda=True, extensions='<zeebe:formDefinition externalReference="= missing"/>'
    )
    driver, pi, target_key = started(source, target, {})
    rejection = rejected(migrate(driver, pi, target_key, ("U", "U")))
    assert rejection.type is RejectionType.INVALID_STATE
    assert rejection.reason.startswith(
        "Expected to migrate form of user task with id 'U' to external form with reference "
        "' missing' defined in target element 'U', but reference evaluation failed with message: "
    )
    assert driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED") == []


def test_a_job_worker_task_without_its_job_is_rejected() -> None:
    """INVALID_STATE: the task's attributes failed (an incident, no job): "Please resolve any
    incidents on the user task before migrating the process instance"."""
    failing = '<zeebe:assignmentDefinition candidateUsers="= missing.users"/>'
    source = user_task("p", camunda=False, extensions=failing)
    driver, pi, target_key = started(source, user_task("p2", camunda=True, extensions=""), {})
    assert driver.incidents()
    rejection = rejected(migrate(driver, pi, target_key, ("U", "U")))
    assert rejection.type is RejectionType.INVALID_STATE
    assert rejection.reason == (
        f"Expected to migrate a job for user task 'U' on process instance with key '{pi}', but "
        "could not find job with key '-1'. Please resolve any incidents on the user task before "
        "migrating the process instance."
    )


def test_the_converted_task_completes_onto_the_target_flows() -> None:
    """Completing the new Camunda user task continues with the target's next task."""
    driver, _, target_key, _ = converted("")
    (task,) = driver.engine.state.user_tasks.values()
    assert driver.send(UT, "COMPLETE", {"variables": {}}, key=task.key).rejection is None
    assert driver.job("next")["processDefinitionKey"] == target_key


def test_replay_rebuilds_the_converted_task() -> None:
    """The conversion's records replay to the same state."""
    driver, _, _, _ = converted('<zeebe:assignmentDefinition assignee="= lead"/>')
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
