"""Parsing deployed resources into process models, DRGs and form ids (deployment and replay)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

from zeebe.dmn import DecisionRequirements, parse_dmn
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


def parse_drg_cached(state: EngineState, resource: bytes, name: str) -> DecisionRequirements:
    """Parse a DMN resource once per checksum. Raises `DmnParseError` (its text names `name`)."""
    cache_key = f"dmn:{checksum(resource)}:{name}"
    cached: DecisionRequirements | None = state.parse_cache.get(cache_key)
    if cached is None:
        cached = parse_dmn(resource, name)
        state.parse_cache[cache_key] = cached
    return cached


def parse_form(resource: bytes, name: str) -> tuple[str, str]:
    """The `id` and `versionTag` ("" when absent) of a Camunda form (a JSON object), as Zeebe
    8.6+ FormResourceTransformer reads them. Raises `ValueError` with the rejection detail."""
    try:
        document = json.loads(resource)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"'{name}': Failed to parse form JSON: {error}") from None
    fields = document if isinstance(document, dict) else {}
    form_id = fields.get("id")
    if not isinstance(form_id, str) or not form_id.strip():
        raise ValueError(f"'{name}': Expected the form id to be filled, but it is blank")
    version_tag = fields.get("versionTag")
    return form_id, version_tag if isinstance(version_tag, str) else ""
