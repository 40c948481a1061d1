"""Translation between gateway protobuf messages and engine commands / responses.

Request-to-command mapping lives in `zeebe.gateway.commands` (`UNARY`), response shaping in
`zeebe.gateway.responses`; this module fills protobuf messages and batches activated jobs,
and re-exports the moved names so existing imports keep working.
"""

from __future__ import annotations

import json
from typing import Any

from google.protobuf.json_format import ParseDict  # type: ignore[import-untyped]
from google.protobuf.message import Message  # type: ignore[import-untyped]
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.gateway.commands import UNARY, ToCommand, UnaryRpc, creation_value
from zeebe.gateway.responses import (
    RESPONSE_SHAPERS,
    deploy_process_response,
    deploy_resource_response,
    evaluate_decision_response,
)
from zeebe.gateway.validation import check_tenants

# names that moved to commands.py / responses.py stay importable from here
__all__ = [
    "RESPONSE_SHAPERS",
    "RESPONSE_SPLIT_BYTES",
    "UNARY",
    "ToCommand",
    "UnaryRpc",
    "activate_responses",
    "activated_job",
    "creation_value",
    "deploy_process_response",
    "deploy_resource_response",
    "evaluate_decision_response",
    "job_request_value",
    "to_message",
]


_SCALARS = (int, str, bool, float, bytes)


_FIELD_NAMES: dict[str, frozenset[str]] = {}


def _field_names(message: Message) -> frozenset[str]:
    descriptor = message.DESCRIPTOR
    names = _FIELD_NAMES.get(descriptor.full_name)
    if names is None:
        names = _FIELD_NAMES[descriptor.full_name] = frozenset(descriptor.fields_by_name)
    return names


def to_message(data: dict[str, Any], message: Message) -> Message:
    """Fill `message` from a camelCase dict; fields the proto does not know are ignored."""
    names = _field_names(message)
    known = {k: v for k, v in data.items() if k in names}
    if all(isinstance(v, _SCALARS) for v in known.values()):
        # hot path (every create/activate answer): json_format is ~10x slower than this
        for name, value in known.items():
            setattr(message, name, value)
        return message
    return ParseDict(data, message, ignore_unknown_fields=True)


def activated_job(job: dict[str, Any]) -> pb.ActivatedJob:
    """An engine job dict (variables/customHeaders as dicts) as the wire `ActivatedJob`."""
    data = dict(job)
    data["variables"] = json.dumps(job.get("variables") or {})
    data["customHeaders"] = json.dumps(job.get("customHeaders") or {})
    message = pb.ActivatedJob()
    to_message(data, message)
    return message


RESPONSE_SPLIT_BYTES = 4 * 1024 * 1024 - 64 * 1024  # below the 4 MB max message size


def activate_responses(jobs: list[dict[str, Any]]) -> list[pb.ActivateJobsResponse]:
    """One response for the batch, split only where it would pass the 4 MB message limit
    (jobs activated but undeliverable would sit until their timeout)."""
    responses: list[pb.ActivateJobsResponse] = []
    current: list[pb.ActivatedJob] = []
    size = 0
    for job in jobs:
        message = activated_job(job)
        job_size = message.ByteSize() + 8  # field tag and length prefix
        if current and size + job_size > RESPONSE_SPLIT_BYTES:
            responses.append(pb.ActivateJobsResponse(jobs=current))
            current, size = [], 0
        current.append(message)
        size += job_size
    if current:
        responses.append(pb.ActivateJobsResponse(jobs=current))
    return responses


def job_request_value(request: Any, rpc: str) -> dict[str, Any]:
    """The JOB_BATCH ACTIVATE value shared by ActivateJobs and StreamActivatedJobs."""
    return {
        "type": request.type,
        "worker": request.worker,
        "timeout": request.timeout,
        "variables": list(request.fetchVariable),
        "tenantIds": check_tenants(rpc, list(request.tenantIds)),
    }
