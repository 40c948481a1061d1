"""Multi-instance behaviours checked against Zeebe's own engine tests (MultiInstanceActivityTest)
and MultiInstanceBodyProcessor (spec 4.2 "Multi-instance", 5.2 "multi-instance")."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain
from test_engine_modification import modify

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def deployed(
    *,
    sequential: bool = False,
    condition: str | None = None,
    output_element: str = "= result",
    mappings: str = "",
) -> Driver:
    """The Java test's model: a service task over `items`, item -> result -> results."""
    seq = ' isSequential="true"' if sequential else ""
    completion = (
        f"<bpmn:completionCondition>{condition}</bpmn:completionCondition>" if condition else ""
    )
    xml = bpmn(
        "mi",
        '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="item"/>{mappings}</bpmn:extensionElements>'
        f"<bpmn:multiInstanceLoopCharacteristics{seq}><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="= items" inputElement="item" '
        f'outputCollection="results" outputElement="{output_element}"/>'
        f"</bpmn:extensionElements>{completion}</bpmn:multiInstanceLoopCharacteristics>"
        '</bpmn:serviceTask><bpmn:endEvent id="e"/>' + chain("s", "t", "e"),
    )
    driver = Driver()
    result = driver.deploy(xml)
    assert result.rejection is None, result.rejection
    return driver


def complete_jobs(driver: Driver, results: list[Any]) -> None:
    """Activate one job at a time (input order) and complete it with `result`."""
    for value in results:
        (job,) = driver.activate("item", max_jobs=1)
        driver.complete(job["key"], {"result": value})


def variable_records(driver: Driver, name: str) -> list[tuple[str, str, int]]:
    """(intent, JSON value, scope key) of the VARIABLE events of one name."""
    return [
        (r.intent, str(r.value["value"]), int(r.value["scopeKey"]))
        for r in driver.events(ValueType.VARIABLE)
        if r.value["name"] == name
    ]


def inner_keys(driver: Driver) -> list[int]:
    """Keys of the inner (SERVICE_TASK) instances, in activation order."""
    return [
        r.key
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")
        if r.value["bpmnElementType"] == "SERVICE_TASK"
    ]


@pytest.mark.parametrize("sequential", [False, True])
def test_output_element_variable_is_nil_initialized_in_each_iteration(sequential: bool) -> None:
    """shouldSetOutputElementVariable / shouldNotPropagateOutputElementVariable: an outputElement
    that is a variable is created as a null local of each inner instance, so the job's `result`
    updates that local and never reaches the process scope."""
    driver = deployed(sequential=sequential)
    pi = driver.create("mi", {"items": [10, 20, 30]})
    complete_jobs(driver, [11, 22, 33])
    records = variable_records(driver, "result")
    keys = inner_keys(driver)
    assert [r for r in records if r[0] == "CREATED"] == [("CREATED", "null", k) for k in keys]
    assert [r for r in records if r[0] == "UPDATED"] == [
        ("UPDATED", value, key) for value, key in zip(("11", "22", "33"), keys, strict=True)
    ]
    assert "result" not in driver.written_variables(pi)
    assert driver.written_variables(pi)["results"] == [11, 22, 33]


def test_nested_output_element_initializes_its_root_variable() -> None:
    """shouldCollectNestedOutputElements: for `result.nested` the variable `result` is the one
    nil-initialized (Expression.getVariableName is the first name of the path)."""
    driver = deployed(output_element="= result.nested")
    pi = driver.create("mi", {"items": [10, 20, 30]})
    complete_jobs(driver, [{"nested": 11}, {"nested": 22}, {"nested": 33}])
    created = [r for r in variable_records(driver, "result") if r[0] == "CREATED"]
    assert [(intent, value) for intent, value, _ in created] == [("CREATED", "null")] * 3
    assert driver.written_variables(pi)["results"] == [11, 22, 33]


def test_output_element_that_is_the_input_element_is_not_nil_initialized() -> None:
    """shouldNotInitializeOutputElementVariableIfSameNameAsInputElement: `item` keeps its input
    value; the job's `result` is not collected."""
    driver = deployed(output_element="= item")
    pi = driver.create("mi", {"items": [10, 20, 30]})
    complete_jobs(driver, [11, 22, 33])
    assert [value for _, value, _ in variable_records(driver, "item")] == ["10", "20", "30"]
    assert driver.written_variables(pi)["results"] == [10, 20, 30]


def test_output_element_that_is_the_loop_counter_is_not_nil_initialized() -> None:
    """shouldNotInitializeOutputElementVariableIfSetToLoopCounter."""
    driver = deployed(output_element="= loopCounter")
    pi = driver.create("mi", {"items": [10, 20, 30]})
    complete_jobs(driver, [11, 22, 33])
    assert [value for _, value, _ in variable_records(driver, "loopCounter")] == ["1", "2", "3"]
    assert driver.written_variables(pi)["results"] == [1, 2, 3]


def test_output_element_expression_is_not_a_variable() -> None:
    """shouldCollectOutputElementsFromExpression: a computed outputElement creates no variable of
    its own; the results are computed per iteration."""
    driver = deployed(output_element="= number(string(loopCounter) + string(loopCounter))")
    pi = driver.create("mi", {"items": [10, 20, 30]})
    complete_jobs(driver, [11, 22, 33])
    assert driver.written_variables(pi)["results"] == [11, 22, 33]
    assert all(" " not in r.value["name"] for r in driver.events(ValueType.VARIABLE))


def test_output_mappings_of_an_iteration_write_to_its_own_scope() -> None:
    """shouldApplyOutputMapping: an inner instance's output mappings merge from the inner
    instance itself (BpmnVariableMappingBehavior.getVariableScopeKey), so `loopCounter -> result`
    overrides the output element; `global` has no local and propagates to the process."""
    mappings = (
        '<zeebe:ioMapping><zeebe:output source="= loopCounter" target="result"/>'
        '<zeebe:output source="= loopCounter" target="global"/></zeebe:ioMapping>'
    )
    driver = deployed(mappings=mappings)
    pi = driver.create("mi", {"items": [10, 20, 30]})
    complete_jobs(driver, [11, 22, 33])
    assert driver.written_variables(pi)["results"] == [1, 2, 3]
    assert [(value, scope) for _, value, scope in variable_records(driver, "global")] == [
        ("1", pi),
        ("2", pi),
        ("3", pi),
    ]


def test_completion_condition_sees_the_input_element() -> None:
    """shouldCompleteBodyWhenCompleteConditionAccessInputDataItemEvaluateTrue: the condition is
    evaluated in the completing inner instance's scope."""
    driver = deployed(condition="= item = 20")
    pi = driver.create("mi", {"items": [10, 20, 30]})
    complete_jobs(driver, [11, 22])
    assert driver.is_completed(pi)
    assert len(driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_TERMINATED")) == 1


@pytest.mark.parametrize(
    ("sequential", "expected", "completed_jobs"), [(True, 2, 2), (False, 3, 1)]
)
def test_number_of_instances_counts_the_instances_created_so_far(
    sequential: bool, expected: int, completed_jobs: int
) -> None:
    """shouldCompleteBodyWhenCompleteConditionAccessNumberOfInstancesEvaluateTrue: numberOfInstances
    is the body's number of element instances (sequential: 2 after the second iteration)."""
    driver = deployed(sequential=sequential, condition=f"= numberOfInstances = {expected}")
    pi = driver.create("mi", {"items": [10, 20, 30]})
    complete_jobs(driver, [11, 22, 33][:completed_jobs])
    assert driver.is_completed(pi)


@pytest.mark.parametrize(
    ("sequential", "expected", "completed_jobs"), [(True, 0, 1), (False, 1, 2)]
)
def test_number_of_active_instances_excludes_the_completing_one(
    sequential: bool, expected: int, completed_jobs: int
) -> None:
    """shouldCompleteBodyWhenCompleteConditionAccessNumberOfActiveInstancesEvaluateTrue."""
    driver = deployed(sequential=sequential, condition=f"= numberOfActiveInstances = {expected}")
    pi = driver.create("mi", {"items": [10, 20, 30]})
    complete_jobs(driver, [11, 22, 33][:completed_jobs])
    assert driver.is_completed(pi)


def test_non_boolean_completion_condition_is_an_incident_on_the_iteration() -> None:
    """MultiInstanceBodyProcessor.beforeExecutionPathCompleted: the condition is evaluated as a
    boolean expression; a failure is an EXTRACT_VALUE_ERROR incident and the iteration stays
    completing until the incident is resolved (spec 2.5 "Non-job incidents")."""
    driver = deployed(condition="= done")
    pi = driver.create("mi", {"items": [10]})
    complete_jobs(driver, [11])
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert incident["errorMessage"] == (
        "Expected result of the expression 'done' to be 'BOOLEAN', but was 'NULL'. "
        "The evaluation reported the following warnings:\n"
        "[NO_VARIABLE_FOUND] No variable found with name 'done'"
    )
    assert incident["elementInstanceKey"] == inner_keys(driver)[0]
    driver.set_variables(pi, {"done": True})
    driver.resolve(incident["key"])
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["results"] == [11]


def test_number_of_terminated_instances_counts_terminated_iterations() -> None:
    """MultiInstanceBodyProcessor: numberOfTerminatedInstances is the body's count of terminated
    inner instances (here one terminated by a process instance modification)."""
    driver = deployed(condition="= numberOfTerminatedInstances = 1")
    pi = driver.create("mi", {"items": [10, 20, 30]})
    first, *_ = inner_keys(driver)
    assert modify(driver, pi, terminate=(first,)).rejection is None
    assert not driver.is_completed(pi)
    jobs = driver.activate("item")
    assert len(jobs) == 2
    driver.complete(jobs[0]["key"], {"result": 22})
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["results"] == [None, 22, None]
