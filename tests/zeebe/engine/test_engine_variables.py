"""Variables, input/output mappings and propagation (spec 2.4, 5.2, 5.3)."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, service_task

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit


def io(inputs: list[tuple[str, str]] = (), outputs: list[tuple[str, str]] = ()) -> str:  # type: ignore[assignment]
    """A zeebe:ioMapping extension with (source, target) pairs."""
    parts = [f'<zeebe:input source="{s}" target="{t}"/>' for s, t in inputs]
    parts += [f'<zeebe:output source="{s}" target="{t}"/>' for s, t in outputs]
    return f"<zeebe:ioMapping>{''.join(parts)}</zeebe:ioMapping>"


def one_task(mappings: str = "") -> Driver:
    xml = bpmn(
        "p",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "work", mappings)
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    return driver


def test_job_variables_without_outputs_propagate_to_root() -> None:
    """Spec 2.4: without output mappings the job result is created in the root scope."""
    driver = one_task()
    pi = driver.create("p")
    driver.complete(driver.job("work")["key"], {"result": 42})
    assert driver.written_variables(pi) == {"result": 42}


def test_job_variables_update_existing_root_variable() -> None:
    """Spec 5.2: propagation updates the nearest scope that defines the variable."""
    driver = one_task()
    pi = driver.create("p", {"count": 1})
    driver.complete(driver.job("work")["key"], {"count": 2})
    assert driver.written_variables(pi) == {"count": 2}
    (updated,) = driver.events(ValueType.VARIABLE, "UPDATED")
    assert updated.value["value"] == "2" and updated.value["scopeKey"] == pi


def test_input_mappings_create_task_locals() -> None:
    """Spec 5.3: an input mapping creates a local variable of the task; the job sees it."""
    driver = one_task(io(inputs=[("=order.total", "amount")]))
    pi = driver.create("p", {"order": {"total": 10}})
    job = driver.job("work")
    assert driver.variables(job["elementInstanceKey"]) == {"amount": 10}
    assert job["variables"] == {"order": {"total": 10}, "amount": 10}
    assert "amount" not in driver.variables(pi)


def test_input_mapping_nested_targets_build_one_object() -> None:
    """Spec 5.3: `=customer` -> sender.name and `=iban` -> sender.iban give one object."""
    driver = one_task(io(inputs=[("=customer", "sender.name"), ("=iban", "sender.iban")]))
    driver.create("p", {"customer": "John", "iban": "DE456"})
    job = driver.job("work")
    assert driver.variables(job["elementInstanceKey"]) == {
        "sender": {"name": "John", "iban": "DE456"}
    }


def test_input_mappings_see_previous_targets() -> None:
    """Spec 5.3: mappings are evaluated in order; a source can use a previous target."""
    driver = one_task(io(inputs=[("=1", "a"), ("=a + 1", "b")]))
    driver.create("p")
    job = driver.job("work")
    assert driver.variables(job["elementInstanceKey"]) == {"a": 1, "b": 2}


def test_local_input_variable_captures_same_named_result() -> None:
    """Spec 2.4: a local created by an input mapping captures a same-named job result."""
    driver = one_task(io(inputs=[("=0", "x")]))
    pi = driver.create("p")
    driver.complete(driver.job("work")["key"], {"x": 5, "y": 6})
    assert driver.written_variables(pi) == {"y": 6}


def test_output_mappings_propagate_only_mapped_variables() -> None:
    """Spec 5.3: with output mappings only the mapped targets are merged into the parent."""
    driver = one_task(io(outputs=[("=result.status", "paymentStatus")]))
    pi = driver.create("p")
    driver.complete(driver.job("work")["key"], {"result": {"status": "ok"}, "other": 1})
    assert driver.written_variables(pi) == {"paymentStatus": "ok"}


def test_output_mapping_nested_target_keeps_siblings() -> None:
    """Spec 5.3: an output mapping writes only the leaf and keeps existing sibling properties."""
    driver = one_task(io(outputs=[("=status", "order.status")]))
    pi = driver.create("p", {"order": {"id": "o-1", "status": "new"}})
    driver.complete(driver.job("work")["key"], {"status": "paid"})
    assert driver.written_variables(pi) == {"order": {"id": "o-1", "status": "paid"}}


def test_failing_output_mapping_raises_incident_and_resolve_retries() -> None:
    """Spec 5.3/Appendix B: a mapping failure is an IO_MAPPING_ERROR incident; the element stays
    COMPLETING and resolving re-runs that step."""
    driver = one_task(io(outputs=[("=assert(x, x != null, &quot;x missing&quot;)", "y")]))
    pi = driver.create("p")
    job = driver.job("work")
    driver.complete(job["key"])
    (incident,) = driver.incidents()
    assert incident["errorType"] == "IO_MAPPING_ERROR"
    assert driver.active(pi) == [("t", "ELEMENT_COMPLETING")]
    driver.set_variables(pi, {"x": 3})
    assert driver.resolve(incident["key"]).rejection is None
    assert driver.is_completed(pi)
    assert driver.written_variables(pi) == {"x": 3, "y": 3}


def test_set_variables_local_writes_into_the_scope() -> None:
    """Spec 1.2 row 14: local=true merges strictly into the given scope."""
    driver = one_task()
    pi = driver.create("p", {"foo": 2})
    task_key = driver.job("work")["elementInstanceKey"]
    assert driver.set_variables(task_key, {"foo": 5}, local=True).rejection is None
    assert driver.variables(task_key) == {"foo": 5}
    assert driver.variables(pi) == {"foo": 2}


def test_set_variables_propagating_updates_defining_scope() -> None:
    """Spec 1.2 row 14: local=false updates the scope that already defines the variable."""
    driver = one_task()
    pi = driver.create("p", {"foo": 2})
    task_key = driver.job("work")["elementInstanceKey"]
    result = driver.set_variables(task_key, {"foo": 5, "bar": 1})
    assert result.response is not None and result.response["key"] > 0
    assert driver.variables(pi) == {"foo": 5, "bar": 1}
    assert driver.variables(task_key) == {}


def test_set_variables_on_unknown_scope_is_not_found() -> None:
    """Spec 1.2 row 14: NOT_FOUND when the element instance does not exist."""
    rejection = Driver().set_variables(77, {"a": 1}).rejection
    assert rejection is not None and rejection.type is RejectionType.NOT_FOUND


def test_subprocess_locals_are_dropped_unless_mapped_out() -> None:
    """Spec 5.2: embedded subprocess locals are discarded on completion unless output-mapped."""
    body = (
        '<bpmn:startEvent id="s"/>'
        '<bpmn:subProcess id="sub"><bpmn:extensionElements>'
        + io(inputs=[("=1", "local")], outputs=[("=local + 1", "out")])
        + '</bpmn:extensionElements><bpmn:startEvent id="ss"/>'
        + service_task("inner", "inner")
        + '<bpmn:endEvent id="se"/>'
        + chain("ss", "inner", "se")
        + "</bpmn:subProcess>"
        '<bpmn:endEvent id="e"/>' + chain("s", "sub", "e")
    )
    driver = Driver()
    assert driver.deploy(bpmn("p", body)).rejection is None
    pi = driver.create("p")
    job = driver.job("inner")
    assert job["variables"] == {"local": 1}
    driver.complete(job["key"], {"fromJob": True})
    assert driver.completed(pi) == ["s", "ss", "inner", "se", "sub", "e", "p"]
    assert driver.written_variables(pi) == {"fromJob": True, "out": 2}


def test_equal_local_value_does_not_stop_propagation() -> None:
    """Spec 2.4 quirk (8.6 source): a scope whose existing value equals the incoming one does
    not stop the walk, so the variable is also created further up."""
    driver = one_task(io(inputs=[("=5", "x")]))
    pi = driver.create("p")
    driver.complete(driver.job("work")["key"], {"x": 5})
    assert driver.written_variables(pi) == {"x": 5}
