"""Inline BPMN for model tests: wrap a process body in Modeler-style definitions."""

from __future__ import annotations

from itertools import pairwise

from zeebe.model import parse_bpmn
from zeebe.model.elements import Process
from zeebe.model.errors import BpmnValidationError

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"'
    ' xmlns:modeler="http://camunda.org/schema/modeler/1.0"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn"'
    ' modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.7.0">\n'
)


def wrap(body: str, *, roots: str = "", process_id: str = "p", executable: bool = True) -> bytes:
    """A definitions document with one process holding `body`, plus root elements `roots`."""
    flag = "true" if executable else "false"
    return (
        f'{HEADER}<bpmn:process id="{process_id}" isExecutable="{flag}">\n{body}\n'
        f"</bpmn:process>\n{roots}\n</bpmn:definitions>\n"
    ).encode()


def parse_one(body: str, *, roots: str = "") -> Process:
    """Parse `body` as the single executable process of a resource."""
    return parse_bpmn(wrap(body, roots=roots), "test.bpmn").processes[0]


def rejection(body: str, *, roots: str = "") -> str:
    """The rejection detail of an invalid process body (fails if it is accepted)."""
    try:
        parse_bpmn(wrap(body, roots=roots), "test.bpmn")
    except BpmnValidationError as error:
        return error.detail
    raise AssertionError("expected the resource to be rejected")


def entry(element_id: str, message: str) -> str:
    """One formatted `- Element:` entry as it appears in a rejection (newline-terminated)."""
    return f"- Element: {element_id}\n    - ERROR: {message}\n"


def only_error(element_id: str, message: str) -> str:
    """The full rejection detail of a resource that breaks exactly one rule."""
    return f"'test.bpmn': {entry(element_id, message)}"


SERVICE = (
    '<bpmn:serviceTask id="{id}"><bpmn:extensionElements>'
    '<zeebe:taskDefinition type="work" /></bpmn:extensionElements></bpmn:serviceTask>'
)


def service(element_id: str) -> str:
    """A valid service task with job type `work`."""
    return SERVICE.format(id=element_id)


def chain(*ids: str) -> str:
    """Sequence flows linking the given element ids in order (ids f_<source>_<target>)."""
    return "".join(
        f'<bpmn:sequenceFlow id="f_{a}_{b}" sourceRef="{a}" targetRef="{b}" />'
        for a, b in pairwise(ids)
    )
