"""Tasks as the Camunda 8.7/8.8 BPMN documentation pages describe them
(docs.camunda.io components/modeler/bpmn/{user,service,send,receive,manual,undefined}-tasks,
call-activities). Each test quotes the documented rule it checks."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain, started

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def user_task(schedule: str, variables: dict[str, Any], job_based: bool = False) -> Driver:
    """An instance waiting at a user task with `<zeebe:taskSchedule {schedule}/>`."""
    kind = "" if job_based else "<zeebe:userTask/>"
    body = (
        f'<bpmn:startEvent id="s"/><bpmn:userTask id="u"><bpmn:extensionElements>{kind}'
        f"<zeebe:taskSchedule {schedule}/></bpmn:extensionElements></bpmn:userTask>"
        '<bpmn:endEvent id="e"/>' + chain("s", "u", "e")
    )
    driver, _ = started(bpmn("p", body), "p", variables)
    return driver


def incident_messages(driver: Driver) -> list[str]:
    return [str(incident["errorMessage"]) for incident in driver.incidents()]


@pytest.mark.parametrize("text", ["tomorrow", "2030-01-01", "2030-01-01T10:00:00"])
def test_due_date_that_is_no_zoned_date_time_raises_an_incident(text: str) -> None:
    """user-tasks, "Scheduling": the due date is an ISO 8601 combined date and time with an
    offset (e.g. 2023-02-28T13:13:20+01:00); anything else is an EXTRACT_VALUE_ERROR incident
    with Zeebe's text (ExpressionProcessor: ZonedDateTime.parse of the string)."""
    driver = user_task('dueDate="=due"', {"due": text})
    assert incident_messages(driver) == [f"Invalid date-time format '{text}' for expression 'due'."]
    assert driver.incidents()[0]["errorType"] == "EXTRACT_VALUE_ERROR"
    assert driver.events(ValueType.USER_TASK, "CREATED") == []


def test_follow_up_date_is_checked_like_the_due_date() -> None:
    """user-tasks, "Scheduling": the follow-up date follows the same format rule."""
    driver = user_task('followUpDate="=later"', {"later": "next week"})
    assert incident_messages(driver) == [
        "Invalid date-time format 'next week' for expression 'later'."
    ]


def test_job_based_user_task_dates_are_checked_too() -> None:
    """user-tasks (job worker implementation): the dates become job headers, evaluated by
    the same rule, so a wrong one is an incident before the job exists."""
    driver = user_task('dueDate="=due"', {"due": "soon"}, job_based=True)
    assert incident_messages(driver) == ["Invalid date-time format 'soon' for expression 'due'."]
    assert driver.events(ValueType.JOB, "CREATED") == []


@pytest.mark.parametrize(
    "text", ["2030-01-01T10:00:00Z", "2030-01-01T10:00:00.5+01:00", "2030-01-01T10:00+01:00"]
)
def test_zoned_due_date_is_set(text: str) -> None:
    """user-tasks, "Scheduling": a date-time with offset is taken as the due date."""
    driver = user_task('dueDate="=due"', {"due": text})
    assert driver.incidents() == []
    [created] = driver.events(ValueType.USER_TASK, "CREATED")
    assert created.value["dueDate"] == text


@pytest.mark.parametrize("value", [None, ""])
def test_null_or_empty_due_date_sets_no_date(value: str | None) -> None:
    """user-tasks, "Scheduling": the dates are optional; an expression giving null or an empty
    string sets none (Zeebe evaluates them as nullable date-times), no incident."""
    driver = user_task('dueDate="=due"', {"due": value})
    assert driver.incidents() == []
    [created] = driver.events(ValueType.USER_TASK, "CREATED")
    assert created.value["dueDate"] == ""


def test_due_date_of_a_wrong_type_names_the_nullable_types() -> None:
    """A number is neither null, a date-time nor a string: Zeebe's type check lists the
    nullable date-time types in its order, [NULL, DATE_TIME, STRING]."""
    driver = user_task('dueDate="=due"', {"due": 5})
    assert incident_messages(driver) == [
        "Expected result of the expression 'due' to be one of '[NULL, DATE_TIME, STRING]', "
        "but was 'NUMBER'."
    ]


def rejection(task: str) -> str | None:
    """The deployment's rejection detail of a process around `task` (id `x`), or None."""
    body = '<bpmn:startEvent id="s"/>' + task + '<bpmn:endEvent id="e"/>' + chain("s", "x", "e")
    result = Driver().deploy(bpmn("p", body))
    if result.rejection is None:
        return None
    return result.rejection.reason.split("errors:\n", 1)[1]


def form_task(form: str, native: bool = True) -> str:
    kind = "<zeebe:userTask/>" if native else ""
    return (
        f'<bpmn:userTask id="x"><bpmn:extensionElements>{kind}'
        f"<zeebe:formDefinition {form}/></bpmn:extensionElements></bpmn:userTask>"
    )


@pytest.mark.parametrize(
    ("form", "native", "message"),
    [
        (
            'formId="f" externalReference="https://forms"',
            True,
            "Exactly one of the attributes 'formId, externalReference' must be present and not "
            "blank for native user tasks",
        ),
        (
            'externalReference="https://forms" bindingType="latest"',
            True,
            "Attribute 'externalReference' must not be used in combination with attribute "
            "'bindingType'",
        ),
        (
            'externalReference="https://forms"',
            False,
            "Exactly one of the attributes 'formId, formKey' must be present and not blank",
        ),
        (
            'formKey="camunda-forms:bpmn:f" bindingType="latest"',
            False,
            "Attribute 'formKey' must not be used in combination with attribute 'bindingType'",
        ),
    ],
    ids=["native-two-forms", "native-external-binding", "job-external", "job-key-binding"],
)
def test_user_task_form_attributes_that_do_not_go_together_are_rejected(
    form: str, native: bool, message: str
) -> None:
    """user-tasks, "User task forms": a Camunda user task links a Camunda Form (formId) or an
    external form (externalReference), a job-based one a form id or a custom form key; the
    binding type belongs to linked forms (Zeebe's ZeebeFormDefinitionValidator texts)."""
    assert (
        rejection(form_task(form, native)) == f"'p0.bpmn': - Element: x\n    - ERROR: {message}\n"
    )


@pytest.mark.parametrize(
    ("form", "native"),
    [('formId="f"', True), ('externalReference="=url"', True), ('formKey="my-form"', False)],
)
def test_user_task_with_one_form_reference_deploys(form: str, native: bool) -> None:
    """user-tasks, "User task forms": one form reference of the kind the implementation allows."""
    assert rejection(form_task(form, native)) is None


def loop_task(attributes: str) -> str:
    return (
        '<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="t"/>'
        "</bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics>"
        f'<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1]" {attributes}/>'
        "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>"
    )


@pytest.mark.parametrize(
    ("attributes", "missing", "present"),
    [
        ('outputCollection="results"', "outputElement", "outputCollection"),
        ('outputElement="=item"', "outputCollection", "outputElement"),
    ],
)
def test_multi_instance_output_needs_collection_and_element(
    attributes: str, missing: str, present: str
) -> None:
    """multi-instance, "Collect the output": the output collection is filled from the output
    element, so one without the other is rejected (ZeebeLoopCharacteristicsValidator, reported
    on the id-less `zeebe:loopCharacteristics` by its path, ValidationErrorFormatter)."""
    path = "x > multiInstanceLoopCharacteristics > extensionElements > loopCharacteristics"
    assert rejection(loop_task(attributes)) == (
        f"'p0.bpmn': - Element: {path}\n    - ERROR: Attribute '{missing}' must be present if the "
        f"attribute '{present}' is set\n"
    )
