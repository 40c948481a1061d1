"""`with_diagram`: Modeler's treatment of a diagram-less BPMN file, as test tooling.

The rules come from bpmnlint's recommended config (`no-bpmndi`: every flow element, participant,
lane, artifact and message flow has a DI element; `label-required`: flow nodes, conditional flows,
participants and lanes have a name; `no-disconnected` / `no-implicit-*` read the nodes'
`incoming`/`outgoing` children) and from the model the engine executes, which must not change.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest
from diagram_samples import FIXTURES, GATEWAY, SAMPLES, SUBPROCESS_WITH_BOUNDARY

from zeebe.model.elements import ParsedResource
from zeebe.model.parser import parse_bpmn
from zeebe.testing.diagram import diagrammed, with_diagram

pytestmark = pytest.mark.unit

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"


def without_names(parsed: ParsedResource) -> ParsedResource:
    """The model with every element and flow name dropped (the only thing allowed to differ)."""
    processes = tuple(
        dataclasses.replace(
            process,
            elements={
                k: dataclasses.replace(e, name=None) if k != process.id else e
                for k, e in process.elements.items()
            },
            flows={k: dataclasses.replace(f, name=None) for k, f in process.flows.items()},
        )
        for process in parsed.processes
    )
    return dataclasses.replace(parsed, processes=processes)


def di_targets(xml: bytes) -> list[str]:
    root = ET.fromstring(xml)
    return [
        str(di.get("bpmnElement"))
        for tag in ("BPMNShape", "BPMNEdge")
        for di in root.iter(f"{BPMNDI}{tag}")
    ]


@pytest.mark.parametrize("name", SAMPLES)
def test_the_engine_model_is_unchanged_apart_from_names(name: str) -> None:
    """The diagram is presentation only: the parsed model (flows in their order, conditions,
    boundary events, subprocess contents) is the same as before, names aside."""
    xml = SAMPLES[name]
    assert without_names(parse_bpmn(with_diagram(xml), name)) == without_names(
        parse_bpmn(xml, name)
    )


def test_every_flow_element_gets_exactly_one_shape_or_edge() -> None:
    """bpmnlint `no-bpmndi`: every flow element, incl. boundary events and subprocess contents,
    is drawn; nothing is drawn twice."""
    targets = di_targets(with_diagram(SUBPROCESS_WITH_BOUNDARY))
    elements = {"s", "sp", "ss", "inner", "se", "late", "e", "timeout"}
    assert sorted(targets) == sorted(elements | {f"f{i}" for i in range(1, 6)})


def test_an_existing_diagram_is_replaced_not_duplicated() -> None:
    """A Modeler file keeps one diagram: the old DI is dropped, each element drawn once."""
    xml = (FIXTURES / "message_or_timeout.bpmn").read_bytes()
    targets = di_targets(with_diagram(xml))
    assert len(targets) == len(set(targets)) == len(di_targets(xml))


def test_collaboration_participants_lanes_and_message_flows_are_drawn() -> None:
    """`no-bpmndi` counts participants, lanes, message flows and collaboration artifacts too."""
    xml = (FIXTURES / "modeler_collaboration_lanes.bpmn").read_bytes()
    # data associations are children of activities, which `no-bpmndi` does not count
    modeler = [t for t in di_targets(xml) if not t.startswith("DataInputAssociation")]
    assert sorted(di_targets(with_diagram(xml))) == sorted(modeler)


def test_unnamed_flow_nodes_and_conditional_flows_get_their_id_as_name() -> None:
    """`label-required`: flow nodes and conditional flows need a label; unconditional flows
    must not get one (`superfluous-label`)."""
    process = parse_bpmn(with_diagram(GATEWAY), "g.bpmn").processes[0]
    assert [process.element(i).name for i in ("s", "g", "big")] == ["s", "g", "big"]
    assert process.flows["f_big"].name == "f_big"
    assert process.flows["f_low"].name is None


def test_existing_names_are_kept() -> None:
    """Only missing labels are added."""
    xml = GATEWAY.replace(b'<bpmn:startEvent id="s"/>', b'<bpmn:startEvent id="s" name="Go"/>')
    assert parse_bpmn(with_diagram(xml), "g.bpmn").processes[0].element("s").name == "Go"


def test_flow_nodes_get_incoming_and_outgoing_references_in_document_order() -> None:
    """bpmnlint's connection rules read `incoming`/`outgoing` children, as Modeler writes
    them; the gateway's outgoing order (its condition evaluation order) is document order."""
    root = ET.fromstring(with_diagram(GATEWAY))
    gateway = next(n for n in root.iter(f"{BPMN}exclusiveGateway"))
    refs = [(c.tag.removeprefix(BPMN), c.text) for c in gateway]
    assert refs == [
        ("incoming", "f_s"),
        ("outgoing", "f_big"),
        ("outgoing", "f_mid"),
        ("outgoing", "f_low"),
    ]


def test_the_output_is_deterministic() -> None:
    """Same input, same bytes (tests compare deployments by checksum)."""
    assert with_diagram(SUBPROCESS_WITH_BOUNDARY) == with_diagram(SUBPROCESS_WITH_BOUNDARY)


def test_diagrammed_passes_malformed_documents_through() -> None:
    """Helpers also build deliberately broken documents for rejection tests."""
    broken = b"<bpmn:definitions><bpmn:process"
    assert diagrammed(broken) == broken
