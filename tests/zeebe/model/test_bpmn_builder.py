"""The test BPMN builder emits Modeler-style XML that our parser reads back as intended."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from builder_samples import SAMPLES, containers, gateways, saga

from zeebe.model import parse_bpmn
from zeebe.model.elements import (
    CalledElement,
    ElementType,
    EventType,
    Expression,
    LoopCharacteristics,
    Process,
    Script,
    TaskDefinition,
    TimerKind,
    VariableMapping,
)
from zeebe.model.xmlns import BPMN_NS, BPMNDI_NS, MODELER_NS
from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.unit


def _parse(data: bytes) -> Process:
    (process,) = parse_bpmn(data, "built.bpmn").processes
    return process


def test_saga_sample_has_compensation_handlers_and_error_path() -> None:
    """Spec 3.1: compensation boundary + association + `isForCompensation` handler."""
    process = _parse(saga())
    assert process.id == "saga"
    assert process.name == "Checkout saga"
    assert process.version_tag == "v1"
    assert process.element("reserve_compensation").compensation_handler == "release"
    assert process.element("capture_compensation").compensation_handler == "refund"
    assert process.element("refund").is_for_compensation
    assert process.element("refund").task_definition == TaskDefinition(
        Expression("payment.refund", False)
    )
    declined = process.element("declined").event_definition
    assert declined is not None
    assert declined.error_code == Expression("PAYMENT_DECLINED", False)
    assert process.element("capture").boundary_events == ("capture_compensation", "declined")
    undo = process.element("undo-reserve").event_definition
    assert undo is not None
    assert undo.activity_ref == "reserve"


def test_saga_sample_carries_job_settings_and_mappings() -> None:
    """Spec 6: retries, task headers and io mappings are written as Zeebe extensions."""
    reserve = _parse(saga()).element("reserve")
    assert reserve.task_definition == TaskDefinition(
        Expression("cart.reserve", False), Expression("5", False)
    )
    assert reserve.task_headers == (("service", "cart"),)
    assert reserve.inputs == (VariableMapping(Expression(" cart.items", True), "items"),)
    assert reserve.outputs == (
        VariableMapping(Expression(" reservationId", True), "reservationId"),
    )


def test_saga_sample_waits_for_a_correlated_message_with_a_timer() -> None:
    """Spec 5.5 / 9: message catch with correlation key; timer boundary with a duration."""
    process = _parse(saga())
    confirmed = process.element("confirmed").event_definition
    assert confirmed is not None
    assert confirmed.message is not None
    assert confirmed.message.correlation_key == Expression(" paymentId", True)
    timeout = process.element("confirmation-timeout").event_definition
    assert timeout is not None
    assert (timeout.timer_kind, timeout.timer) == (
        TimerKind.DURATION,
        Expression("PT10M", False),
    )


def test_gateway_sample_has_conditions_defaults_and_joins() -> None:
    """Spec 4.2: conditions in order, default flows, parallel join of both branches."""
    process = _parse(gateways())
    check = process.element("check-amount")
    assert check.outgoing == ("Flow_check-amount_review", "Flow_check-amount_amount-checked")
    assert check.default_flow == "Flow_check-amount_amount-checked"
    large = process.flows["Flow_check-amount_review"]
    assert large.condition == Expression(" amount > 100", True)
    assert large.name == "large"
    assert process.element("join").incoming == ("Flow_left_join", "Flow_right_join")
    assert process.element("options").default_flow == "Flow_options_options-done"
    assert process.element("wait").element_type == ElementType.EVENT_BASED_GATEWAY


def test_container_sample_nests_subprocess_and_multi_instance() -> None:
    """Spec 4.2: embedded subprocess content and multi-instance loop characteristics."""
    process = _parse(containers())
    assert process.element("items").children == ("items-start", "pick", "items-end")
    assert process.element("pick").flow_scope == "items"
    assert process.element("pick").loop == LoopCharacteristics(
        is_sequential=False,
        input_collection=Expression(" items", True),
        input_element="item",
        output_collection="picked",
        output_element=Expression(" result", True),
        completion_condition=Expression(" numberOfCompletedInstances >= 2", True),
    )


def test_container_sample_has_every_task_kind() -> None:
    """Spec 4.2: call activity, FEEL script, both user task variants, receive and send tasks."""
    process = _parse(containers())
    assert process.element("ship").called_element == CalledElement(
        Expression("shipping", False), propagate_all_child_variables=False
    )
    assert process.element("total").script == Script(Expression(" sum(prices)", True), "total")
    assert process.element("approve").is_user_task
    legacy = process.element("legacy-approve").task_definition
    assert legacy is not None
    assert legacy.type == Expression("io.camunda.zeebe:userTask", False)
    assert process.element("receipt").element_type == ElementType.RECEIVE_TASK
    assert process.element("notify").element_type == ElementType.SEND_TASK
    assert process.element("jump").event_type == EventType.LINK


def test_container_sample_has_event_subprocesses() -> None:
    """Spec 4.2: interrupting and non-interrupting event subprocesses."""
    process = _parse(containers())
    assert process.element("containers").event_sub_processes == ("on-cancel", "on-failure")
    assert not process.element("cancel").interrupting
    assert process.element("failure").event_type == EventType.ERROR
    assert process.element("terminated").event_type == EventType.TERMINATE


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_every_element_has_diagram_interchange(sample: str) -> None:
    """bpmnlint `no-bpmndi`: every flow node and sequence flow has a shape or an edge."""
    root = ET.fromstring(SAMPLES[sample]())
    drawn = {di.get("bpmnElement") for di in root.iter() if di.tag.startswith(f"{{{BPMNDI_NS}}}")}
    elements = {
        node.get("id")
        for process in root.findall(f"{{{BPMN_NS}}}process")
        for node in process.iter()
        if node.get("id") and not node.tag.endswith("Definition")
    }
    assert elements - drawn == set()


def test_definitions_declare_camunda_cloud_8_7() -> None:
    """Spec 6: `modeler:executionPlatform="Camunda Cloud"` and the platform version."""
    root = ET.fromstring(saga())
    assert root.get(f"{{{MODELER_NS}}}executionPlatform") == "Camunda Cloud"
    assert root.get(f"{{{MODELER_NS}}}executionPlatformVersion") == "8.7.0"


def test_builder_rejects_duplicate_and_invalid_ids() -> None:
    """BPMN ids are unique XML ids."""
    with pytest.raises(ValueError, match="duplicate element id 'a'"):
        ProcessBuilder("p").start("a").task("a")
    with pytest.raises(ValueError, match="not a valid XML id"):
        ProcessBuilder("p").start().task("amount?")


def test_builder_requires_closing_subprocesses_and_a_cursor() -> None:
    """The builder refuses to emit half-built containers or dangling connections."""
    with pytest.raises(ValueError, match="still open"):
        ProcessBuilder("p").start().sub_process("s").to_xml()
    with pytest.raises(ValueError, match="no current element"):
        ProcessBuilder("p").connect_to("x")


def _planes(data: bytes) -> list[list[tuple[str, tuple[float, ...]]]]:
    root = ET.fromstring(data)
    planes = []
    for plane in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane"):
        shapes = []
        for shape in plane.findall(f"{{{BPMNDI_NS}}}BPMNShape"):
            (bounds,) = list(shape)
            box = tuple(float(bounds.get(k, "0")) for k in ("x", "y", "width", "height"))
            shapes.append((shape.get("bpmnElement", ""), box))
        planes.append(shapes)
    return planes


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_layout_does_not_overlap_shapes(sample: str) -> None:
    """bpmnlint `no-overlapping-elements`: only boundary events sit on (their host's) edge."""
    data = SAMPLES[sample]()
    boundaries = {
        node.get("id") for node in ET.fromstring(data).iter(f"{{{BPMN_NS}}}boundaryEvent")
    }
    for shapes in _planes(data):
        solid = [(i, box) for i, box in shapes if i not in boundaries]
        clashes = [
            (a, b)
            for n, (a, box_a) in enumerate(solid)
            for b, box_b in solid[n + 1 :]
            if _overlap(box_a, box_b)
        ]
        assert clashes == []


def test_module_docstring_example_runs() -> None:
    """Conventions: every documented example is executed by a test."""
    import doctest

    import zeebe.testing.bpmn_builder as module

    result = doctest.testmod(module, raise_on_error=False)
    assert (result.attempted, result.failed) == (3, 0)
