"""Ad-hoc subprocess completion and output (docs "Ad-hoc sub-processes" 8.8, Completion and
Collect output; Zeebe's AdHocSubProcessProcessor before/afterExecutionPathCompleted)."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, service_task
from engine_support import started as start
from test_engine_replay import replayed

LINT_REASON = (
    "ad-hoc completionCondition / cancelRemainingInstances / outputCollection are 8.8 features: "
    "the repository lints with camunda-compat's 8.7 profile; the same model lints clean with the "
    "8.8 profile (tests/zeebe/model/test_bpmnlint_ad_hoc.py)"
)
pytestmark = [pytest.mark.unit, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]

ALL = "= [&quot;a&quot;, &quot;b&quot;]"


def ad_hoc(
    *,
    condition: str | None = None,
    cancel: bool | None = None,
    output: str = "",
    io: str = "",
    collection: str = ALL,
    task_a: str = service_task("a", "a"),
) -> bytes:
    """start -> adhoc{a, b (service tasks)} -> end, with the given ad-hoc attributes."""
    attrs = "" if cancel is None else f' cancelRemainingInstances="{str(cancel).lower()}"'
    cond = (
        ""
        if condition is None
        else '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">'
        f"{condition}</bpmn:completionCondition>"
    )
    body = (
        f'<bpmn:startEvent id="s"/><bpmn:adHocSubProcess id="adhoc"{attrs}>'
        f'<bpmn:extensionElements><zeebe:adHoc activeElementsCollection="{collection}"{output}/>'
        f"{io}</bpmn:extensionElements>"
        + task_a
        + service_task("b", "b")
        + cond
        + '</bpmn:adHocSubProcess><bpmn:endEvent id="e"/>'
        + chain("s", "adhoc", "e")
    )
    return bpmn("adhoc-p", body)


def started(xml: bytes, variables: dict[str, object] | None = None) -> tuple[Driver, int]:
    return start(xml, "adhoc-p", variables)


def finish(driver: Driver, job_type: str, variables: dict[str, object] | None = None) -> None:
    result = driver.complete(int(driver.job(job_type)["key"]), variables)
    assert result.rejection is None, result.rejection


def adhoc_key(driver: Driver, pi: int) -> int:
    return next(
        r.key
        for r in driver.records
        if r.value.get("elementId") == "adhoc" and r.value.get("processInstanceKey") == pi
    )


def test_true_condition_terminates_remaining_elements_and_completes() -> None:
    """ "If the expression evaluates to `true` after completing an inner element, the ad-hoc
    sub-process is completed"; cancelRemainingInstances "true (default value), all remaining
    active instances of inner elements are terminated"."""
    driver, pi = started(ad_hoc(condition="= done"))
    finish(driver, "a", {"done": True})
    events = driver.element_events(pi)
    assert ("b", "ELEMENT_TERMINATED") in events
    assert events.index(("b", "ELEMENT_TERMINATED")) < events.index(("adhoc", "ELEMENT_COMPLETED"))
    assert driver.is_completed(pi)


def test_condition_is_evaluated_after_each_inner_element() -> None:
    """The condition "is evaluated every time an inner element is completed": false after the
    first, true after the second."""
    driver, pi = started(ad_hoc(condition="= count >= 2"), {"count": 0})
    finish(driver, "a", {"count": 1})
    assert ("adhoc", "ELEMENT_ACTIVATED") in driver.active(pi)
    finish(driver, "b", {"count": 2})
    assert driver.is_completed(pi)


def test_false_condition_keeps_the_subprocess_active_when_nothing_is_left() -> None:
    """With a completion condition the subprocess completes when it is true, not when the last
    element completes (Zeebe's BpmnBehavior completes without a condition only)."""
    driver, pi = started(ad_hoc(condition="= false"))
    finish(driver, "a")
    finish(driver, "b")
    assert driver.active(pi) == [("adhoc", "ELEMENT_ACTIVATED")]
    assert not driver.is_completed(pi)


def test_without_cancel_remaining_instances_it_waits_for_active_elements() -> None:
    """ "If set to `false`, the ad-hoc sub-process waits for the completion of all active
    instances before completing"."""
    driver, pi = started(ad_hoc(condition="= true", cancel=False))
    finish(driver, "a")
    assert sorted(driver.active(pi)) == [("adhoc", "ELEMENT_ACTIVATED"), ("b", "ELEMENT_ACTIVATED")]
    finish(driver, "b")
    assert ("b", "ELEMENT_TERMINATED") not in driver.element_events(pi)
    assert driver.is_completed(pi)


def test_non_boolean_condition_is_an_incident_on_the_inner_element() -> None:
    """Zeebe: "Failed to evaluate completion condition. " + the expression failure
    (EXTRACT_VALUE_ERROR); the inner element stays completing."""
    driver, pi = started(ad_hoc(condition="= limit"), {"limit": 5})
    finish(driver, "a")
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert incident["elementId"] == "a"
    assert incident["errorMessage"] == (
        "Failed to evaluate completion condition. Expected result of the expression 'limit' "
        "to be 'BOOLEAN', but was 'NUMBER'."
    )
    assert ("a", "ELEMENT_COMPLETING") in driver.active(pi)


def test_resolving_the_condition_incident_completes_the_element_again() -> None:
    """After fixing the variable, resolving the incident re-runs the completion."""
    driver, pi = started(ad_hoc(condition="= limit"), {"limit": 5})
    finish(driver, "a")
    (incident,) = driver.incidents()
    driver.set_variables(pi, {"limit": True})
    driver.resolve(int(incident["key"]))
    assert driver.incidents() == []
    assert driver.is_completed(pi)


def test_condition_sees_the_subprocess_local_variables() -> None:
    """The condition is evaluated in the ad-hoc subprocess's scope (input mappings are local)."""
    io = '<zeebe:ioMapping><zeebe:input source="= 1" target="needed"/></zeebe:ioMapping>'
    driver, pi = started(ad_hoc(condition="= needed = 1", io=io))
    finish(driver, "a")
    assert driver.is_completed(pi)


OUTPUT = ' outputCollection="results" outputElement="= result"'


def test_output_collection_starts_as_an_empty_local_list() -> None:
    """ "This variable is created as a local variable of the ad-hoc sub-process"."""
    driver, pi = started(ad_hoc(output=OUTPUT))
    assert driver.variables(adhoc_key(driver, pi))["results"] == []


def test_output_element_of_each_inner_flow_is_appended() -> None:
    """ "When an inner flow completes, the `outputElement` expression is evaluated and the
    result is added to the `outputCollection`" (in completion order)."""
    driver, pi = started(ad_hoc(output=OUTPUT))
    finish(driver, "b", {"result": "from b"})
    assert driver.variables(adhoc_key(driver, pi))["results"] == ["from b"]
    finish(driver, "a", {"result": {"tool": "a"}})
    assert driver.written_variables(pi)["results"] == ["from b", {"tool": "a"}]


def test_output_collection_is_propagated_on_completion() -> None:
    """ "When the ad-hoc sub-process completes, the `outputCollection` variable is propagated
    to the parent scope" (also when remaining elements were terminated)."""
    driver, pi = started(ad_hoc(condition="= true", output=OUTPUT))
    finish(driver, "a", {"result": 1})
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["results"] == [1]


def test_output_element_is_evaluated_in_the_inner_element_scope() -> None:
    """ "This expression usually accesses a variable of the inner flow": an output mapping of
    the inner element is visible to it."""
    task = service_task(
        "a",
        "a",
        '<zeebe:ioMapping><zeebe:output source="= x * 2" target="result"/></zeebe:ioMapping>',
    )
    driver, pi = started(ad_hoc(output=OUTPUT, collection="= [&quot;a&quot;]", task_a=task))
    finish(driver, "a", {"x": 21})
    assert driver.written_variables(pi)["results"] == [42]


def test_failing_output_element_is_an_incident_on_the_inner_element() -> None:
    """A failing outputElement is an EXTRACT_VALUE_ERROR incident on the inner element (the
    expression failure as the message); nothing is appended, the element stays completing."""
    failing = ' outputCollection="results" outputElement="= assert(result, result != null)"'
    driver, pi = started(ad_hoc(output=failing))
    finish(driver, "a")
    (incident,) = driver.incidents()
    assert (incident["errorType"], incident["elementId"]) == ("EXTRACT_VALUE_ERROR", "a")
    assert incident["errorMessage"].startswith("Assertion failure on evaluate the expression")
    assert ("a", "ELEMENT_COMPLETING") in driver.active(pi)
    assert driver.variables(adhoc_key(driver, pi))["results"] == []


def test_replay_gives_same_state() -> None:
    """Replaying the log rebuilds the same state (output collection and terminations)."""
    driver, _ = started(ad_hoc(condition="= done", output=OUTPUT))
    finish(driver, "a", {"done": False, "result": 1})
    finish(driver, "b", {"done": True, "result": 2})
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
