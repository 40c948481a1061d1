"""Parsing deployed resources into process models (for the deployment processor and replay)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from zeebe.model.elements import ParsedResource, Process
from zeebe.model.parser import parse_bpmn
from zeebe.state import EngineState

Parser = Callable[[bytes, str], ParsedResource]


def checksum(resource: bytes) -> str:
    """Zeebe stores an MD5 digest of the resource; exported as base64."""
    return base64.b64encode(hashlib.md5(resource).digest()).decode()


def parse_cached(state: EngineState, resource: bytes, name: str, digest: str) -> ParsedResource:
    """Parse a resource once per checksum (replay re-parses stored resources through here).

    Raises `BpmnValidationError` for a resource Zeebe would reject.
    """
    cached: ParsedResource | None = state.parse_cache.get(digest)
    if cached is None:
        parser: Parser = state.parser if state.parser is not None else parse_bpmn
        cached = parser(resource, name)
        state.parse_cache[digest] = cached
    return cached


def model_for(state: EngineState, value: dict[str, Any]) -> tuple[bytes, Process]:
    """The resource bytes and process model named by a PROCESS record value."""
    resource = base64.b64decode(str(value["resource"]))
    parsed = parse_cached(state, resource, str(value["resourceName"]), str(value["checksum"]))
    for process in parsed.processes:
        if process.id == value["bpmnProcessId"]:
            return resource, process
    raise LookupError(f"process {value['bpmnProcessId']} not in its resource")
