"""Real Modeler files parse: collaboration, lanes, annotations and data objects are tolerated."""

from __future__ import annotations

from pathlib import Path

import pytest

from zeebe.model import parse_bpmn
from zeebe.model.elements import ElementType, EventType, Expression

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bpmn"


def _load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_collaboration_with_lanes_parses_only_the_flow_elements() -> None:
    """Spec 4.2: pools, lanes, data objects, annotations and groups are for modeling only."""
    parsed = parse_bpmn(_load("modeler_collaboration_lanes.bpmn"), "lanes.bpmn")
    (process,) = parsed.processes
    assert process.id == "payment-with-lanes"
    assert process.name == "Payment with lanes"
    assert process.version_tag == "1.0"
    assert process.element("payment-with-lanes").children == (
        "order-placed",
        "reserve-items",
        "release-items",
        "reserve-compensation",
        "capture-payment",
        "payment-declined",
        "confirmation-received",
        "order-paid",
        "undo-checkout",
    )
    assert set(process.flows) == {
        "Flow_to_reserve",
        "Flow_to_capture",
        "Flow_to_confirmation",
        "Flow_to_paid",
        "Flow_to_undo",
    }


def test_collaboration_fixture_links_compensation_and_error_handling() -> None:
    """Spec 3.1: the association links the compensation boundary event to its handler."""
    (process,) = parse_bpmn(_load("modeler_collaboration_lanes.bpmn"), "lanes.bpmn").processes
    assert process.element("reserve-compensation").compensation_handler == "release-items"
    assert process.element("reserve-items").boundary_events == ("reserve-compensation",)
    declined = process.element("payment-declined")
    assert declined.event_definition is not None
    assert declined.event_definition.error_code == Expression("PAYMENT_DECLINED", False)
    undo = process.element("undo-checkout")
    assert (undo.element_type, undo.event_type) == (ElementType.END_EVENT, EventType.COMPENSATION)
