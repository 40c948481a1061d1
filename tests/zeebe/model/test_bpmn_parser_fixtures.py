"""Real Modeler files parse: collaboration, lanes, annotations and data objects are tolerated."""

from __future__ import annotations

from pathlib import Path

import pytest

from zeebe.model import BpmnValidationError, parse_bpmn
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


VALID = sorted(p for p in FIXTURES.glob("*.bpmn"))
INVALID = {
    "missing_task_definition.bpmn": "'missing_task_definition.bpmn': - Element: work\n"
    "    - ERROR: Must have exactly one 'zeebe:taskDefinition' extension element\n",
    "no_executable_process.bpmn": "'no_executable_process.bpmn': "
    "Must contain at least one executable process",
    "not_well_formed.bpmn": "'not_well_formed.bpmn': Failed to parse BPMN XML: "
    "mismatched tag: line 18, column 4",
}


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_shared_fixture_deploys(path: Path) -> None:
    """Shared fixtures outside `invalid/` are deployable: they parse and validate."""
    assert parse_bpmn(path.read_bytes(), path.name).processes


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_fixtures_are_rejected_with_zeebe_style_messages(name: str) -> None:
    """Fixtures under `invalid/` are rejected with the documented message."""
    with pytest.raises(BpmnValidationError) as caught:
        parse_bpmn(_load(f"invalid/{name}"), name)
    assert caught.value.detail == INVALID[name]


def test_every_invalid_fixture_has_an_expected_message() -> None:
    """No invalid fixture goes unchecked."""
    assert {p.name for p in (FIXTURES / "invalid").glob("*.bpmn")} == set(INVALID)
