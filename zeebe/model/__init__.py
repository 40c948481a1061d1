"""The BPMN model: parser, deploy-time validation and the executable process model."""

from __future__ import annotations

from zeebe.model.elements import ParsedResource, Process
from zeebe.model.errors import BpmnValidationError, ValidationEntry, deployment_rejection_reason
from zeebe.model.parser import parse_bpmn

__all__ = [
    "BpmnValidationError",
    "ParsedResource",
    "Process",
    "ValidationEntry",
    "deployment_rejection_reason",
    "parse_bpmn",
]
