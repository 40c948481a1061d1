"""Spec audit (h54), sections 5.1-5.4: variable values, mappings and propagation.

Each test quotes the spec line it checks; they drive the engine core directly (fake clock).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.zeebe.engine.engine_support import ONE_TASK, Driver, bpmn, chain, service_task
from zeebe.records import ValueType

pytestmark = pytest.mark.unit

OUTPUT_X = (
    "<bpmn:extensionElements><zeebe:ioMapping>"
    '<zeebe:output source="=1" target="x"/></zeebe:ioMapping></bpmn:extensionElements>'
)


def _io(inputs: tuple[tuple[str, str], ...] = (), outputs: tuple[tuple[str, str], ...] = ()) -> str:
    mapped = "".join(f'<zeebe:input source="{s}" target="{t}"/>' for s, t in inputs)
    mapped += "".join(f'<zeebe:output source="{s}" target="{t}"/>' for s, t in outputs)
    return f"<zeebe:ioMapping>{mapped}</zeebe:ioMapping>"


def _task_process(mappings: str) -> bytes:
    return bpmn(
        "p",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "w", mappings)
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e"),
    )


def _job_variables(mappings: str, variables: dict[str, Any]) -> dict[str, Any]:
    driver = Driver()
    driver.deploy(_task_process(mappings))
    driver.create("p", variables)
    return dict(driver.job("w")["variables"])


def test_variable_names_are_case_sensitive() -> None:
    """Spec 5.1: "Names: alphanumeric + `_`, case-sensitive"."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    driver.create("one-task", {"orderId": 1, "orderid": 2})
    assert driver.job("work")["variables"] == {"orderId": 1, "orderid": 2}


def test_integers_keep_the_64_bit_range_and_decimals_are_doubles() -> None:
    """Spec 5.1: "Integer numbers are effectively limited to the 64-bit integer range. Non-integer
    numbers are stored as IEEE-754 double-precision values"."""
    values = {"max": 2**63 - 1, "min": -(2**63), "fraction": 0.1}
    variables = _job_variables("", values)
    assert variables == values
    assert isinstance(variables["max"], int) and isinstance(variables["fraction"], float)


def test_input_mapping_with_nested_target_replaces_the_whole_object() -> None:
    """Spec 5.3: "Input mappings treat the `target` as a full path and write the entire nested
    object at that path, replacing any value already there"; docs example gives
    `sender: {"name": "John", "iban": "DE456"}`."""
    mappings = _io((("=customer", "sender.name"), ("=iban", "sender.iban")))
    variables = _job_variables(mappings, {"customer": "John", "iban": "DE456", "sender": {"x": 1}})
    assert variables["sender"] == {"name": "John", "iban": "DE456"}


def test_output_mapping_with_nested_target_merges_the_leaf() -> None:
    """Spec 5.3: "Output mappings write only the final property (the leaf) of the `target` path
    and merge it into the existing structure, preserving sibling properties"."""
    driver = Driver()
    driver.deploy(_task_process(_io(outputs=(("=status", "order.status"),))))
    key = driver.create("p", {"order": {"id": 7}})
    driver.complete(driver.job("w")["key"], {"status": "paid"})
    assert driver.written_variables(key)["order"] == {"id": 7, "status": "paid"}


def test_a_missing_source_variable_maps_to_null() -> None:
    """Spec 5.3: "If the variable or the nested property doesn't exist, it uses `null` as the
    value"."""
    assert _job_variables(_io((("=order.total", "amount"),)), {}) == {"amount": None}


def test_a_static_source_is_a_string_value() -> None:
    """Spec 5.3: "Static source values allowed (e.g. source `"Peter"` -> `sender: "Peter"`)"."""
    assert _job_variables(_io((("Peter", "sender"),)), {}) == {"sender": "Peter"}


def test_a_mapping_sees_the_target_of_a_previous_mapping() -> None:
    """Spec 5.3: "Variable mappings are evaluated in the defined order. Therefore, a `source`
    expression can access the target variable of a previous mapping"."""
    assert _job_variables(_io((("=1", "a"), ("=a + 1", "b"))), {}) == {"a": 1, "b": 2}


def test_unmapped_job_variables_are_not_merged() -> None:
    """Spec 5.3: "If there is no mapping for a job/message variable, the variable is not
    merged"."""
    driver = Driver()
    driver.deploy(_task_process(_io(outputs=(("=result", "paymentStatus"),))))
    key = driver.create("p")
    driver.complete(driver.job("w")["key"], {"result": "ok", "debug": True})
    assert driver.written_variables(key) == {"paymentStatus": "ok"}


def test_a_failing_mapping_raises_an_io_mapping_incident() -> None:
    """Spec 5.3: "Mapping evaluation failures raise an incident (type `IO_MAPPING_ERROR`) on the
    element"."""
    driver = Driver()
    driver.deploy(_task_process(_io((("=assert(x, x != null)", "a"),))))
    driver.create("p")
    [incident] = driver.incidents()
    assert (incident["errorType"], incident["elementId"]) == ("IO_MAPPING_ERROR", "t")


@pytest.mark.parametrize(
    ("definition", "extra"),
    [
        ("<bpmn:terminateEventDefinition/>", ""),
        ("<bpmn:compensateEventDefinition/>", ""),
    ],
    ids=["terminate", "compensation"],
)
def test_terminate_and_compensation_end_events_ignore_output_mappings(
    definition: str, extra: str
) -> None:
    """Spec 5.2: "The error, terminate, and compensation variants do not support output mappings
    and propagate nothing" (Zeebe's EndEventProcessor applies no output mappings for them)."""
    driver = Driver()
    body = f'<bpmn:startEvent id="s"/><bpmn:endEvent id="e">{OUTPUT_X}{definition}</bpmn:endEvent>'
    driver.deploy(bpmn("p", body + chain("s", "e"), extra))
    key = driver.create("p")
    assert driver.is_completed(key)
    assert "x" not in driver.written_variables(key)


def test_a_compensation_throw_event_ignores_output_mappings() -> None:
    """Spec 5.2: the compensation variant "do[es] not support output mappings and propagate[s]
    nothing" (IntermediateThrowEventProcessor.CompensationBehavior has no output step)."""
    driver = Driver()
    body = (
        '<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="c">'
        f"{OUTPUT_X}<bpmn:compensateEventDefinition/></bpmn:intermediateThrowEvent>"
        '<bpmn:endEvent id="e"/>'
    )
    driver.deploy(bpmn("p", body + chain("s", "c", "e")))
    key = driver.create("p")
    assert driver.is_completed(key)
    assert "x" not in driver.written_variables(key)


@pytest.mark.parametrize(
    "definition",
    ["", '<bpmn:escalationEventDefinition escalationRef="esc"/>'],
    ids=["none", "escalation"],
)
def test_none_and_escalation_end_events_propagate_their_output_mappings(definition: str) -> None:
    """Spec 5.2: "none, link, and escalation variants propagate nothing without a mapping" -
    with one, the mapped variables propagate."""
    driver = Driver()
    body = f'<bpmn:startEvent id="s"/><bpmn:endEvent id="e">{OUTPUT_X}{definition}</bpmn:endEvent>'
    driver.deploy(
        bpmn("p", body + chain("s", "e"), '<bpmn:escalation id="esc" escalationCode="c"/>')
    )
    key = driver.create("p")
    assert driver.written_variables(key)["x"] == 1


CHILD = bpmn(
    "child",
    '<bpmn:startEvent id="cs"/>'
    + service_task("ct", "child-work")
    + '<bpmn:endEvent id="ce"/>'
    + chain("cs", "ct", "ce"),
)


def _call(called: str, mappings: str = "") -> tuple[dict[str, Any], dict[str, Any]]:
    """Run parent -> child once: (variables the child's job sees, parent root variables)."""
    driver = Driver()
    driver.deploy(CHILD)
    body = (
        '<bpmn:startEvent id="s"/><bpmn:callActivity id="ca"><bpmn:extensionElements>'
        f'<zeebe:calledElement processId="child" {called}/>{mappings}'
        '</bpmn:extensionElements></bpmn:callActivity><bpmn:endEvent id="e"/>'
    )
    driver.deploy(bpmn("p", body + chain("s", "ca", "e")))
    key = driver.create("p", {"a": 1, "b": 2})
    job = driver.job("child-work")
    driver.complete(job["key"], {"r": 5})
    return dict(job["variables"]), driver.written_variables(key)


def test_call_activity_copies_all_visible_variables_by_default() -> None:
    """Spec 5.4: "`propagateAllParentVariables` (default `true`): all variables visible at the
    call activity are copied to the child"."""
    assert _call("")[0] == {"a": 1, "b": 2}


def test_call_activity_without_parent_propagation_copies_only_its_input_mappings() -> None:
    """Spec 5.4: "`false` -> only the call activity's local (input-mapped) variables"."""
    inputs = _io((("=a", "i"),))
    assert _call('propagateAllParentVariables="false"', inputs)[0] == {"i": 1}


def test_call_activity_propagates_all_child_variables_when_the_attribute_is_absent() -> None:
    """Spec 5.4: "Implement the attribute default as `true`": the child's root variables
    propagate to the call activity on completion."""
    assert _call("")[1] == {"a": 1, "b": 2, "r": 5}


def test_call_activity_with_child_propagation_disabled_discards_child_variables() -> None:
    """Spec 5.4: with `propagateAllChildVariables="false"` and no output mapping "the child
    process variables are discarded"."""
    assert _call('propagateAllChildVariables="false"')[1] == {"a": 1, "b": 2}


def test_call_activity_output_mappings_propagate_only_the_mapped_variables() -> None:
    """Spec 5.4: "with output mappings only the mapped variables propagate"."""
    outputs = _io(outputs=(("=r * 2", "doubled"),))
    assert _call("", outputs)[1] == {"a": 1, "b": 2, "doubled": 10}


def test_a_link_throw_event_propagates_its_output_mappings() -> None:
    """Spec 5.2: "none, link, and escalation variants propagate nothing without a mapping" - with
    one, the mapped variables propagate (Zeebe's LinkIntermediateThrowEventBehavior applies the
    output mappings before continuing at the catch link event)."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="jump">'
        f'{OUTPUT_X}<bpmn:linkEventDefinition name="L"/></bpmn:intermediateThrowEvent>'
        '<bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="L"/>'
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>'
        + chain("s", "jump")
        + chain("land", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    key = driver.create("p")
    assert driver.is_completed(key)
    assert driver.written_variables(key) == {"x": 1}


INPUT_TMP = (
    "<bpmn:extensionElements><zeebe:ioMapping>"
    '<zeebe:input source="=5" target="tmp"/></zeebe:ioMapping></bpmn:extensionElements>'
)


@pytest.mark.parametrize(
    ("element", "definition"),
    [
        ("endEvent", ""),
        ("intermediateThrowEvent", ""),
        ("endEvent", "<bpmn:terminateEventDefinition/>"),
        ("endEvent", '<bpmn:escalationEventDefinition escalationRef="esc"/>'),
    ],
    ids=["none-end", "none-throw", "terminate-end", "escalation-end"],
)
def test_none_terminate_and_escalation_events_apply_no_input_mappings(
    element: str, definition: str
) -> None:
    """Spec 5.3: input mappings belong to "service, script, business-rule, user, send tasks, call
    activities, subprocesses, event subprocesses, ad-hoc subprocesses" (and message/signal throw
    events); Zeebe's none, terminate and escalation event behaviours have no input step, so no
    local variable is created."""
    end = "" if element == "endEvent" else '<bpmn:endEvent id="e2"/>'
    flows = chain("s", "x") if element == "endEvent" else chain("s", "x", "e2")
    body = (
        f'<bpmn:startEvent id="s"/><bpmn:{element} id="x">{INPUT_TMP}{definition}</bpmn:{element}>'
    )
    driver = Driver()
    driver.deploy(bpmn("p", body + end + flows, '<bpmn:escalation id="esc" escalationCode="c"/>'))
    key = driver.create("p")
    assert driver.is_completed(key)
    assert not [r for r in driver.events(ValueType.VARIABLE) if r.value["name"] == "tmp"]
