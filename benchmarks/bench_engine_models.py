"""The BPMN processes of the engine benchmark (`bench_engine.py`): one to five sequential tasks,
four compensable tasks undone by a compensation throw, and a wait at a message catch event."""

from __future__ import annotations

NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"'
)
TASK_TYPES = [f"bench.t{i}" for i in range(1, 6)]
UNDO_TYPES = [f"bench.undo{i}" for i in range(1, 5)]


def tasks_process(process_id: str, task_count: int) -> bytes:
    """start -> t1 -> ... -> tN -> end."""
    nodes = ["start", *[f"t{i}" for i in range(1, task_count + 1)], "end"]
    parts = ['<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>']
    for i in range(1, task_count + 1):
        parts.append(
            f'<bpmn:serviceTask id="t{i}"><bpmn:extensionElements><zeebe:taskDefinition '
            f'type="bench.t{i}"/></bpmn:extensionElements><bpmn:incoming>f{i - 1}</bpmn:incoming>'
            f"<bpmn:outgoing>f{i}</bpmn:outgoing></bpmn:serviceTask>"
        )
    parts.append(
        f'<bpmn:endEvent id="end"><bpmn:incoming>f{task_count}</bpmn:incoming></bpmn:endEvent>'
    )
    for i in range(len(nodes) - 1):
        parts.append(
            f'<bpmn:sequenceFlow id="f{i}" sourceRef="{nodes[i]}" targetRef="{nodes[i + 1]}"/>'
        )
    body = "".join(parts)
    return (
        f'<?xml version="1.0"?><bpmn:definitions {NS} id="d" targetNamespace="http://bench">'
        f'<bpmn:process id="{process_id}" isExecutable="true">{body}</bpmn:process>'
        "</bpmn:definitions>"
    ).encode()


DI_NS = (
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)


def _shape(element: str, x: int, y: int, width: int, height: int) -> str:
    return (
        f'<bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}">'
        f'<dc:Bounds x="{x}" y="{y}" width="{width}" height="{height}"/></bpmndi:BPMNShape>'
    )


def _edge(element: str, points: list[tuple[int, int]]) -> str:
    waypoints = "".join(f'<di:waypoint x="{x}" y="{y}"/>' for x, y in points)
    return (
        f'<bpmndi:BPMNEdge id="{element}_di" bpmnElement="{element}">{waypoints}</bpmndi:BPMNEdge>'
    )


def _compensable_task(i: int) -> tuple[str, str]:
    """Task t{i} with a compensation boundary event c{i} associated to handler u{i}: (xml, DI)."""
    x = 240 + (i - 1) * 160
    xml = (
        f'<bpmn:serviceTask id="t{i}" name="Task {i}"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="bench.t{i}"/></bpmn:extensionElements>'
        f"<bpmn:incoming>f{i - 1}</bpmn:incoming><bpmn:outgoing>f{i}</bpmn:outgoing>"
        "</bpmn:serviceTask>"
        f'<bpmn:boundaryEvent id="c{i}" name="Task {i} done" attachedToRef="t{i}">'
        "<bpmn:compensateEventDefinition/></bpmn:boundaryEvent>"
        f'<bpmn:serviceTask id="u{i}" name="Undo task {i}" isForCompensation="true">'
        f'<bpmn:extensionElements><zeebe:taskDefinition type="bench.undo{i}"/>'
        "</bpmn:extensionElements></bpmn:serviceTask>"
        f'<bpmn:association id="a{i}" associationDirection="One" sourceRef="c{i}" '
        f'targetRef="u{i}"/>'
    )
    di = (
        _shape(f"t{i}", x, 60, 100, 80)
        + _shape(f"c{i}", x + 32, 122, 36, 36)
        + _shape(f"u{i}", x, 220, 100, 80)
        + _edge(f"a{i}", [(x + 50, 158), (x + 50, 220)])
        + _edge(f"f{i - 1}", [(x - 60 if i > 1 else 188, 100), (x, 100)])
    )
    return xml, di


def compensation_process(process_id: str) -> bytes:
    """start -> t1..t4 (each compensable) -> compensation throw (whole scope) -> end."""
    tasks = [_compensable_task(i) for i in range(1, 5)]
    nodes = ["start", "t1", "t2", "t3", "t4", "undo", "end"]
    flows = "".join(
        f'<bpmn:sequenceFlow id="f{i}" sourceRef="{nodes[i]}" targetRef="{nodes[i + 1]}"/>'
        for i in range(len(nodes) - 1)
    )
    body = (
        '<bpmn:startEvent id="start" name="Started"><bpmn:outgoing>f0</bpmn:outgoing>'
        "</bpmn:startEvent>"
        + "".join(xml for xml, _ in tasks)
        + '<bpmn:intermediateThrowEvent id="undo" name="Undo all"><bpmn:incoming>f4</bpmn:incoming>'
        "<bpmn:outgoing>f5</bpmn:outgoing><bpmn:compensateEventDefinition/>"
        "</bpmn:intermediateThrowEvent>"
        '<bpmn:endEvent id="end" name="Compensated"><bpmn:incoming>f5</bpmn:incoming>'
        "</bpmn:endEvent>" + flows
    )
    di = (
        _shape("start", 152, 82, 36, 36)
        + "".join(shapes for _, shapes in tasks)
        + _shape("undo", 880, 82, 36, 36)
        + _shape("end", 972, 82, 36, 36)
        + _edge("f4", [(840, 100), (880, 100)])
        + _edge("f5", [(916, 100), (972, 100)])
    )
    return (
        f'<?xml version="1.0"?><bpmn:definitions {NS} {DI_NS} id="d" '
        f'targetNamespace="http://bench"><bpmn:process id="{process_id}" isExecutable="true">'
        f'{body}</bpmn:process><bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" '
        f'bpmnElement="{process_id}">{di}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>'
        "</bpmn:definitions>"
    ).encode()


def message_process() -> bytes:
    """start -> wait for message 'go' (correlation key =id) -> end."""
    return (
        f'<?xml version="1.0"?><bpmn:definitions {NS} id="d" targetNamespace="http://bench">'
        '<bpmn:message id="m" name="go"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=id"/></bpmn:extensionElements></bpmn:message>'
        '<bpmn:process id="bench-wait" isExecutable="true">'
        '<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f0</bpmn:incoming>'
        '<bpmn:outgoing>f1</bpmn:outgoing><bpmn:messageEventDefinition messageRef="m"/>'
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>'
        '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="wait"/>'
        '<bpmn:sequenceFlow id="f1" sourceRef="wait" targetRef="end"/>'
        "</bpmn:process></bpmn:definitions>"
    ).encode()
