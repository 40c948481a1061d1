"""bpmn/checkout.bpmn and bpmn/checkout-fraud-check.bpmn: the saga's structure, checked in XML.

Compensation rules cited from /work/shared/reference/zeebe-spec.md §3 (Zeebe 8.5+ docs).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree

from workers.contract import TASKS_BY_TYPE, StepKind

pytestmark = pytest.mark.unit

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
V1, V2 = BPMN_DIR / "checkout.bpmn", BPMN_DIR / "checkout-fraud-check.bpmn"
BOTH = pytest.mark.parametrize("path", [V1, V2], ids=["v1", "v2-fraud-check"])
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {
    "bpmn": BPMN,
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "zeebe": "http://camunda.org/schema/zeebe/1.0",
}
MODELER = "{http://camunda.org/schema/modeler/1.0}"
FLOW_NODE_TAGS = {
    "startEvent", "endEvent", "intermediateThrowEvent", "intermediateCatchEvent",
    "boundaryEvent", "serviceTask", "receiveTask", "exclusiveGateway", "subProcess",
}  # fmt: skip


@cache  # one tree per file, so element identities agree between helpers
def _root(path: Path) -> Element:
    return ElementTree.parse(path).getroot()


def _process(path: Path) -> Element:
    (process,) = _root(path).findall("bpmn:process", NS)
    return process


def _by_id(path: Path) -> dict[str, Element]:
    return {e.get("id"): e for e in _process(path).iter() if e.get("id")}


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _task_type(task: Element) -> str:
    definition = task.find("bpmn:extensionElements/zeebe:taskDefinition", NS)
    assert definition is not None
    return definition.get("type", "")


def _parent_map(path: Path) -> dict[Element, Element]:
    return {child: parent for parent in _process(path).iter() for child in parent}


def _compensation_boundaries(path: Path) -> list[Element]:
    return [
        e
        for e in _process(path).iterfind(".//bpmn:boundaryEvent", NS)
        if e.find("bpmn:compensateEventDefinition", NS) is not None
    ]


def _compensation_throws(path: Path) -> list[Element]:
    throws = [*_process(path).iterfind(".//bpmn:intermediateThrowEvent", NS)]
    throws += [*_process(path).iterfind(".//bpmn:endEvent", NS)]
    return [e for e in throws if e.find("bpmn:compensateEventDefinition", NS) is not None]


@BOTH
def test_both_versions_share_the_process_id_checkout(path: Path) -> None:
    """Zeebe versions a process by its BPMN process id: both files deploy as versions of
    `checkout` (DESIGN §4 "Versioned")."""
    process = _process(path)
    assert process.get("id") == "checkout"
    assert process.get("isExecutable") == "true"


@BOTH
def test_model_targets_camunda_8_7_in_modeler(path: Path) -> None:
    """zeebe-spec §6: Modeler picks the Camunda 8 panel and lint rules from these attributes."""
    root = _root(path)
    assert root.get(f"{MODELER}executionPlatform") == "Camunda Cloud"
    assert root.get(f"{MODELER}executionPlatformVersion") == "8.7.0"


@BOTH
def test_every_effectful_step_has_a_compensation_boundary_linked_to_its_handler(
    path: Path,
) -> None:
    """zeebe-spec §3.1: a compensation boundary event is attached to the activity and associated
    with a handler marked isForCompensation; the handler undoes exactly that step (contract)."""
    elements = _by_id(path)
    associations = {
        a.get("sourceRef"): a.get("targetRef")
        for a in _process(path).iterfind("bpmn:association", NS)
    }
    undone: set[str] = set()
    for boundary in _compensation_boundaries(path):
        forward = elements[boundary.get("attachedToRef", "")]
        handler = elements[associations[boundary.get("id")]]
        assert handler.get("isForCompensation") == "true"
        spec = TASKS_BY_TYPE[_task_type(handler)]
        assert spec.kind is StepKind.COMPENSATION
        assert spec.compensates == _task_type(forward)
        undone.add(_task_type(forward))
    undoable = {_task_type(t) for t in _process(path).iterfind("bpmn:serviceTask", NS)} & {
        s.compensates for s in TASKS_BY_TYPE.values() if s.compensates
    }
    assert undone == undoable


@BOTH
def test_compensation_handlers_have_no_sequence_flows(path: Path) -> None:
    """zeebe-spec §3.3: "Compensation handler must have no incoming and no outgoing sequence flows
    and no boundary events"; the compensation boundary has no outgoing flow."""
    for element in _process(path).iter():
        if element.get("isForCompensation") == "true":
            assert element.find("bpmn:incoming", NS) is None
            assert element.find("bpmn:outgoing", NS) is None
    for boundary in _compensation_boundaries(path):
        assert boundary.find("bpmn:outgoing", NS) is None
    attached = {
        b.get("attachedToRef") for b in _process(path).iterfind(".//bpmn:boundaryEvent", NS)
    }
    handlers = {e.get("id") for e in _process(path).iter() if e.get("isForCompensation") == "true"}
    assert attached & handlers == set()


@BOTH
def test_the_compensation_throw_reaches_the_scope_of_the_compensated_steps(path: Path) -> None:
    """zeebe-spec §3.1: a throw event compensates "within its scope"; from an event subprocess it
    "broadcast[s] the compensation within the outer scope". The steps live directly in the
    process and the only throw sits in an event subprocess of the process, so every completed
    step is reachable. (A throw after an error boundary on a wrapping subprocess would not be:
    "handlers are not invoked if the subprocess is ... terminated".)"""
    process, parents = _process(path), _parent_map(path)
    (throw,) = _compensation_throws(path)
    event_subprocess = parents[throw]
    assert _local(event_subprocess) == "subProcess"
    assert event_subprocess.get("triggeredByEvent") == "true"
    assert parents[event_subprocess] is process
    for boundary in _compensation_boundaries(path):
        assert parents[boundary] is process


@BOTH
def test_compensation_throw_broadcasts_and_waits(path: Path) -> None:
    """zeebe-spec §3.1/§3.3: without activityRef all completed steps are compensated, each once;
    waitForCompletion must be true or absent, so "checkout failed" is reached after the undo."""
    (throw,) = _compensation_throws(path)
    definition = throw.find("bpmn:compensateEventDefinition", NS)
    assert definition is not None
    assert definition.get("activityRef") is None
    assert definition.get("waitForCompletion") in (None, "true")


@BOTH
def test_every_business_failure_interrupts_into_the_failure_event_subprocess(path: Path) -> None:
    """zeebe-spec §4.2: an interrupting event subprocess terminates the active step (which is
    then not compensated: "handlers of active or terminated activities are not invoked"). Its
    error start event has no errorRef, so it catches every code a worker throws (8.2+)."""
    (subprocess,) = [
        s for s in _process(path).iterfind("bpmn:subProcess", NS)
        if s.get("triggeredByEvent") == "true"
    ]  # fmt: skip
    (start,) = subprocess.findall("bpmn:startEvent", NS)
    assert start.get("isInterrupting") in (None, "true")
    definition = start.find("bpmn:errorEventDefinition", NS)
    assert definition is not None and definition.get("errorRef") is None
    outputs = {o.get("target") for o in start.iterfind(".//zeebe:output", NS)}
    assert outputs == {"failureReason", "failureMessage", "failedStep"}
    (end,) = subprocess.findall("bpmn:endEvent", NS)
    assert end.get("name") == "Checkout failed"


@BOTH
def test_failure_path_undoes_the_failed_step_then_the_completed_ones(path: Path) -> None:
    """The step that threw is terminated, so compensation skips it (zeebe-spec §3.1), yet a
    timed-out call may have succeeded (DESIGN §4: "compensation must still undo it"): the
    failure path first runs `saga.compensate` for `failedStep`, then the broadcast throw."""
    elements = _by_id(path)
    flows = {
        f.get("sourceRef"): f.get("targetRef")
        for f in _process(path).iterfind(".//bpmn:subProcess/bpmn:sequenceFlow", NS)
    }
    order, current = [], "checkout-failure-caught"
    while current in flows:
        current = flows[current]
        order.append(current)
    assert order == ["saga-compensate", "undo-completed-steps", "checkout-failed"]
    assert _task_type(elements["saga-compensate"]) == "saga.compensate"


@BOTH
def test_payment_confirmation_waits_for_message_correlated_by_payment_id(path: Path) -> None:
    """zeebe-spec §5.5: the subscription's correlation key is an expression on the waiting
    instance's variables; the payment service answers `paymentId`."""
    root, elements = _root(path), _by_id(path)
    (message,) = root.findall("bpmn:message", NS)
    assert message.get("name") == "payment-confirmed"
    subscription = message.find("bpmn:extensionElements/zeebe:subscription", NS)
    assert subscription is not None and subscription.get("correlationKey") == "=paymentId"
    receive = elements["await-payment-confirmation"]
    assert _local(receive) == "receiveTask" and receive.get("messageRef") == message.get("id")


@BOTH
def test_confirmation_wait_has_interrupting_timer_with_default(path: Path) -> None:
    """zeebe-spec §9.1: an interrupting timer boundary needs a duration or date; the duration
    defaults to PT30S unless the instance sets `paymentConfirmationTimeout`."""
    (timer,) = [
        b for b in _process(path).iterfind("bpmn:boundaryEvent", NS)
        if b.get("attachedToRef") == "await-payment-confirmation"
    ]  # fmt: skip
    assert timer.get("cancelActivity") in (None, "true")
    duration = timer.find("bpmn:timerEventDefinition/bpmn:timeDuration", NS)
    assert duration is not None and duration.text is not None
    assert duration.text.startswith("=") and "paymentConfirmationTimeout" in duration.text
    assert '"PT30S"' in duration.text


@BOTH
def test_pending_gateway_routes_on_the_payment_services_status(path: Path) -> None:
    """zeebe-spec §4.2 exclusive gateway: one conditional flow, the other is the default."""
    elements = _by_id(path)
    gateway = elements["payment-pending"]
    flows = [f for f in _process(path).iterfind("bpmn:sequenceFlow", NS)
             if f.get("sourceRef") == "payment-pending"]  # fmt: skip
    conditional = [f for f in flows if f.find("bpmn:conditionExpression", NS) is not None]
    assert len(flows) == 2 and len(conditional) == 1
    assert conditional[0].get("targetRef") == "await-payment-confirmation"
    condition = conditional[0].find("bpmn:conditionExpression", NS)
    assert condition is not None and condition.text == '=paymentStatus = "pending_confirmation"'
    assert gateway.get("default") == next(f.get("id") for f in flows if f not in conditional)


def _happy_path(path: Path) -> list[str]:
    """Task types along the default path from the start event to "Checkout completed"."""
    elements = _by_id(path)
    flows = list(_process(path).iterfind("bpmn:sequenceFlow", NS))
    current, types = "checkout-requested", []
    while current != "checkout-completed":
        outgoing = [f for f in flows if f.get("sourceRef") == current]
        default = elements[current].get("default")
        chosen = next(f for f in outgoing if f.get("id") == default) if default else outgoing[0]
        current = chosen.get("targetRef", "")
        if _local(elements[current]) == "serviceTask":
            types.append(_task_type(elements[current]))
    return types


def test_v1_happy_path_order() -> None:
    """DESIGN §4: reserve -> price -> capture -> allocate -> create order (-> consume cart)."""
    assert _happy_path(V1) == [
        "cart.reserve", "pricing.quote", "payment.capture",
        "inventory.allocate", "order.create", "cart.consume",
    ]  # fmt: skip


def test_v2_adds_the_fraud_check_before_payment_and_nothing_else() -> None:
    """DESIGN §4 "Versioned": the second version adds a fraud check step before payment."""
    v1, v2 = _happy_path(V1), _happy_path(V2)
    assert v2 == [*v1[:2], "fraud.check", *v1[2:]]
    assert set(_by_id(V2)) - set(_by_id(V1)) == {
        "fraud-check", "Flow_pricing-quote_to_fraud-check", "Flow_fraud-check_to_payment-capture",
    }  # fmt: skip


@BOTH
def test_every_element_is_drawn(path: Path) -> None:
    """Opens cleanly in Camunda Modeler: every flow node has a shape, every flow an edge."""
    plane = _root(path).find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    assert plane is not None
    drawn = {d.get("bpmnElement") for d in plane}
    for element in _process(path).iter():
        if _local(element) in FLOW_NODE_TAGS | {"sequenceFlow", "association"}:
            assert element.get("id") in drawn, element.get("id")


@BOTH
def test_no_two_top_level_shapes_overlap(path: Path) -> None:
    """A readable layout: shapes of the process level do not overlap (boundary events sit on
    their host's border, and the event subprocess contains its own elements, so both are
    excluded)."""
    plane = _root(path).find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    assert plane is not None
    process, parents, elements = _process(path), _parent_map(path), _by_id(path)
    boxes = []
    for shape in plane.iterfind("bpmndi:BPMNShape", NS):
        element = elements[shape.get("bpmnElement", "")]
        if parents[element] is not process or _local(element) == "boundaryEvent":
            continue
        bounds = shape.find("dc:Bounds", NS)
        assert bounds is not None
        x, y, w, h = (float(bounds.get(k, "0")) for k in ("x", "y", "width", "height"))
        boxes.append((element.get("id"), x, y, x + w, y + h))
    for i, (a, ax1, ay1, ax2, ay2) in enumerate(boxes):
        for b, bx1, by1, bx2, by2 in boxes[i + 1 :]:
            assert ax2 <= bx1 or bx2 <= ax1 or ay2 <= by1 or by2 <= ay1, f"{a} overlaps {b}"


@BOTH
def test_embedded_engine_parser_accepts_the_model(path: Path) -> None:
    """The embedded engine (zeebe.model.parser) parses and validates both versions as Zeebe
    would on deployment."""
    parser = pytest.importorskip("zeebe.model.parser")
    resource = parser.parse_bpmn(path.read_bytes(), path.name)
    (process,) = resource.processes
    assert process.id == "checkout"
    assert "undo-completed-steps" in process.elements
