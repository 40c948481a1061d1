"""Request validation done by the gateway before anything reaches the engine.

Messages follow Zeebe's gateway where known: the variables message is the one Zeebe's clients
see ("Property 'variables' is invalid: Expected document to be a root level object, but was
'ARRAY'"); the tenant message is `InvalidTenantRequestException`'s format with multi-tenancy
disabled. The ActivateJobs field messages are our wording (Zeebe's exact text not verified).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

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


def check_tenant(rpc: str, tenant_id: str) -> str:
    """Multi-tenancy is disabled: only '' or '<default>' are accepted; returns '<default>'."""
    if tenant_id in ("", DEFAULT_TENANT):
        return DEFAULT_TENANT
    raise invalid_argument(
        f"Expected to handle gRPC request {rpc} with tenant identifier '{tenant_id}', "
        "but multi-tenancy is disabled"
    )


def check_tenants(rpc: str, tenant_ids: Sequence[str]) -> list[str]:
    """The plural form used by job activation requests."""
    if all(t in ("", DEFAULT_TENANT) for t in tenant_ids):
        return [DEFAULT_TENANT]
    raise invalid_argument(
        f"Expected to handle gRPC request {rpc} with tenant identifiers "
        f"'[{', '.join(tenant_ids)}]', but multi-tenancy is disabled"
    )


def check_job_request(*, job_type: str, timeout: int, max_jobs: int | None) -> None:
    """Spec 1.2: type blank, timeout < 1 or maxJobsToActivate < 1 are INVALID_ARGUMENT."""
    problems = []
    if not job_type.strip():
        problems.append("Expected to activate jobs with a non-blank type, but it was blank")
    if timeout < 1:
        problems.append(f"Expected timeout to be greater than zero, but was '{timeout}'")
    if max_jobs is not None and max_jobs < 1:
        problems.append(f"Expected maxJobsToActivate to be greater than zero, but was '{max_jobs}'")
    if problems:
        raise GatewayError(invalid_argument("").code, "; ".join(problems))
