"""Request validation done by the gateway before anything reaches the engine.

Messages follow Zeebe's gateway: the variables message is the one Zeebe's clients see
("Property 'variables' is invalid: Expected document to be a root level object, but was
'ARRAY'"); the tenant message is `InvalidTenantRequestException`'s format with multi-tenancy
disabled; the job activation messages are the broker's (`JobBatchActivateProcessor`) and the
gateway's `StreamJobsHandler` texts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import grpc  # type: ignore[import-untyped]  # no stubs pinned for grpcio

from zeebe.gateway.errors import GatewayError, invalid_argument
from zeebe.records import DEFAULT_TENANT

_JSON_KINDS: dict[type, str] = {
    list: "ARRAY",
    str: "STRING",
    bool: "BOOLEAN",
    int: "INTEGER",
    float: "FLOAT",
    type(None): "NIL",
}


def parse_document(text: str, name: str = "variables") -> dict[str, Any]:
    """Parse a JSON variables document; empty means no variables. Must be a JSON object."""
    if not text.strip():
        return {}
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise invalid_argument(
            f"Property '{name}' is invalid: Expected document to be valid JSON, but "
            f"parsing failed at line {error.lineno} column {error.colno}: {error.msg}"
        ) from error
    if not isinstance(document, dict):
        kind = _JSON_KINDS.get(type(document), type(document).__name__.upper())
        raise invalid_argument(
            f"Property '{name}' is invalid: Expected document to be a root level object, "
            f"but was '{kind}'"
        )
    return document


# The gRPC reference lists a foreign tenant under GRPC_STATUS_NOT_FOUND for these two RPCs
# (spec 1.2 rows 12 and 21 "as documented"); every other RPC lists it as INVALID_ARGUMENT.
TENANT_STATUS: dict[str, grpc.StatusCode] = {
    "PublishMessage": grpc.StatusCode.NOT_FOUND,
    "BroadcastSignal": grpc.StatusCode.NOT_FOUND,
}


def check_tenant(rpc: str, tenant_id: str) -> str:
    """Multi-tenancy is disabled: a blank id or '<default>' is accepted (Zeebe tests with
    `StringUtils.isBlank`); returns '<default>'."""
    if not tenant_id.strip() or tenant_id == DEFAULT_TENANT:
        return DEFAULT_TENANT
    raise GatewayError(
        TENANT_STATUS.get(rpc, grpc.StatusCode.INVALID_ARGUMENT),
        f"Expected to handle gRPC request {rpc} with tenant identifier '{tenant_id}', "
        "but multi-tenancy is disabled",
    )


def check_tenants(rpc: str, tenant_ids: Sequence[str]) -> list[str]:
    """The plural form used by job activation requests: each id is checked on its own, so the
    message names the first foreign one (Zeebe's `ensureTenantIdsSet`)."""
    for tenant_id in tenant_ids:
        check_tenant(rpc, tenant_id)
    return [DEFAULT_TENANT]


_BATCH = "Expected to activate job batch with {} to be {}, but it was {}"
_STREAM = "Expected to stream activated jobs with {} to be {}, but it was {}"


def check_job_request(
    *, job_type: str, timeout: int, max_jobs: int | None, worker: str | None = None
) -> None:
    """Spec 1.2 rows 1-2: blank type, timeout < 1 or maxJobsToActivate < 1 are INVALID_ARGUMENT,
    and for ActivateJobs a blank worker too.

    ActivateJobs (`max_jobs` given) answers with the broker's rejection in the order the broker
    checks (max jobs, timeout, type, worker); StreamActivatedJobs with the gateway's own texts.
    The blank worker follows spec row 1 and the gRPC reference's Errors section; Zeebe's broker
    has accepted it since camunda/camunda#5930, so this is where the two disagree and the spec
    is followed."""
    if max_jobs is None:
        if not job_type.strip():
            raise invalid_argument(_STREAM.format("type", "present", "blank"))
        if timeout < 1:
            raise invalid_argument(_STREAM.format("timeout", "greater than zero", timeout))
        return
    reason = None
    if max_jobs < 1:
        reason = _BATCH.format("max jobs to activate", "greater than zero", f"'{max_jobs}'")
    elif timeout < 1:
        reason = _BATCH.format("timeout", "greater than zero", f"'{timeout}'")
    elif not job_type.strip():
        reason = _BATCH.format("type", "present", "blank")
    elif worker is not None and not worker.strip():
        reason = _BATCH.format("worker", "present", "blank")
    if reason is not None:
        raise invalid_argument(
            f"Command 'ACTIVATE' rejected with code 'INVALID_ARGUMENT': {reason}"
        )
