"""Small BPMN processes for the compatibility suites (one behaviour each)."""

from __future__ import annotations

from pathlib import Path

from zeebe.testing.diagram import with_diagram

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" '
    'targetNamespace="http://checkout-saga.example/compat">\n'
)


def _flow(flow_id: str, source: str, target: str) -> str:
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}"/>'


def _task(task_id: str, job_type: str, incoming: str, outgoing: str) -> str:
    return (
        f'<bpmn:serviceTask id="{task_id}"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{job_type}" retries="3"/></bpmn:extensionElements>'
        f"<bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing>"
        "</bpmn:serviceTask>"
    )


def _wrap(process_id: str, body: str, extra: str = "") -> str:
    process = f'<bpmn:process id="{process_id}" isExecutable="true">{body}</bpmn:process>'
    # with a generated diagram and labels, so the deployed models pass bpmnlint
    return with_diagram(f"{_HEAD}{extra}{process}\n</bpmn:definitions>\n".encode()).decode()


START = '<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'


def one_task(process_id: str = "compat-one", job_type: str = "compat.work") -> str:
    """start -> task -> end."""
    return _wrap(
        process_id,
        START
        + _flow("f1", "start", "task")
        + _task("task", job_type, "f1", "f2")
        + _flow("f2", "task", "end")
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>',
    )


def error_boundary() -> str:
    """start -> charge (error boundary DECLINED -> declined_end) -> end."""
    body = (
        START
        + _flow("f1", "start", "charge")
        + _task("charge", "compat.charge", "f1", "f2")
        + _flow("f2", "charge", "end")
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
        + '<bpmn:boundaryEvent id="declined" attachedToRef="charge">'
        + '<bpmn:outgoing>f3</bpmn:outgoing><bpmn:errorEventDefinition errorRef="err"/>'
        + "</bpmn:boundaryEvent>"
        + _flow("f3", "declined", "declined_end")
        + '<bpmn:endEvent id="declined_end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>'
    )
    return _wrap("compat-error", body, '<bpmn:error id="err" errorCode="DECLINED"/>')


def message_catch() -> str:
    """start -> wait for message 'paid' correlated by orderId -> end."""
    message = (
        '<bpmn:message id="msg" name="paid"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>'
    )
    body = (
        START
        + _flow("f1", "start", "wait_paid")
        + '<bpmn:intermediateCatchEvent id="wait_paid"><bpmn:incoming>f1</bpmn:incoming>'
        + '<bpmn:outgoing>f2</bpmn:outgoing><bpmn:messageEventDefinition messageRef="msg"/>'
        + "</bpmn:intermediateCatchEvent>"
        + _flow("f2", "wait_paid", "end")
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
    )
    return _wrap("compat-message", body, message)


def timer_catch() -> str:
    """start -> wait one hour -> end."""
    body = (
        START
        + _flow("f1", "start", "wait")
        + '<bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f1</bpmn:incoming>'
        + "<bpmn:outgoing>f2</bpmn:outgoing><bpmn:timerEventDefinition>"
        + "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        + "</bpmn:intermediateCatchEvent>"
        + _flow("f2", "wait", "end")
        + '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
    )
    return _wrap("compat-timer", body)


def write(directory: Path, name: str, xml: str) -> str:
    """Write a process to `directory/name` and return the path (pyzeebe deploys files)."""
    path = directory / name
    path.write_text(xml, encoding="utf-8")
    return str(path)
