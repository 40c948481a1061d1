"""What the engine knows about a saga instance, read from its REST `/v2` search endpoints.

The engine is authoritative for the lifecycle (running, finished, incident) and for the failure
reason the BPMN records (`failureReason`, `failedStep`, bpmn/README.md); the services' events
say what was actually undone. Reading is best effort: when the REST API is unreachable (or the
engine is a cluster without it) the API falls back to the events alone.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import requests
import structlog

log = structlog.get_logger("services.checkout.engine_view")
# The process variables the status read uses (to_instance): only these are fetched.
READ_VARIABLES = ("failureReason", "failedStep", "checkoutId")

# Compensation handlers of bpmn/README.md, by element id -> job type.
HANDLERS: dict[str, str] = {
    "cart-release": "cart.release",
    "pricing-revert": "pricing.revert",
    "payment-refund": "payment.refund",
    "inventory-release": "inventory.release",
    "order-cancel": "order.cancel",
}


@dataclass(frozen=True)
class Incident:
    """An active incident: the saga waits for an operator."""

    error_type: str
    error_message: str
    element_id: str


@dataclass(frozen=True)
class EngineInstance:
    """The engine's view of one process instance."""

    state: str  # ACTIVE | COMPLETED | TERMINATED
    failure_reason: str | None = None
    failed_step: str | None = None
    incident: Incident | None = None
    compensations: tuple[str, ...] = ()
    checkout_id: str | None = None  # the instance's `checkoutId` variable


class EngineView(Protocol):
    """Port: look up a process instance (None when unknown or unreachable)."""

    def instance(self, process_instance_key: int) -> EngineInstance | None:
        """The instance's state, failure variables, active incident and completed handlers."""
        ...


class RestEngineView:
    """EngineView over the Orchestration Cluster REST API (`/v2`)."""

    def __init__(self, base_url: str, *, timeout_s: float = 2.0) -> None:
        self._base = base_url.rstrip("/")
        self._timeout_s = timeout_s
        # One keep-alive session per request thread: the module-level `requests.get` opened a
        # TCP connection (and looked up the CA bundle) for each of the four reads of a GET.
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def instance(self, process_instance_key: int) -> EngineInstance | None:
        """Four reads; any failure means "unknown" rather than an error for the caller."""
        key = str(process_instance_key)
        try:
            found = self._get(f"/v2/process-instances/{key}")
            if found is None:
                return None
            variables = [
                self._untruncated(row)
                for row in self._search(
                    "/v2/variables/search",
                    {"processInstanceKey": key, "name": {"$in": list(READ_VARIABLES)}},
                )
            ]
            incidents = self._search(
                f"/v2/process-instances/{key}/incidents/search", {"state": "ACTIVE"}
            )
            elements = self._search(
                "/v2/element-instances/search", {"processInstanceKey": key, "state": "COMPLETED"}
            )
        except (requests.RequestException, ValueError) as error:
            log.warning("checkout.engine_view_unavailable", key=key, error=str(error))
            return None
        return to_instance(found, variables, incidents, elements)

    def _get(self, path: str) -> Mapping[str, Any] | None:
        response = self._session().get(self._base + path, timeout=self._timeout_s)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return dict(response.json())

    def _untruncated(self, row: Mapping[str, Any]) -> Mapping[str, Any]:
        """Searches cut values over 8191 characters (`isTruncated`); GET returns the full one."""
        if not row.get("isTruncated"):
            return row
        return self._get(f"/v2/variables/{row['variableKey']}") or row

    def _search(self, path: str, filter_: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        body = {"filter": dict(filter_), "page": {"limit": 1000}}
        response = self._session().post(self._base + path, json=body, timeout=self._timeout_s)
        response.raise_for_status()
        return list(response.json().get("items", []))


def _variable(rows: list[Mapping[str, Any]], name: str, scope: str) -> str | None:
    """The process-scope value of `name` (JSON text in the API), as a string."""
    for row in rows:
        if row.get("name") == name and str(row.get("scopeKey")) == scope:
            value = json.loads(str(row.get("value", "null")))
            return str(value) if value is not None else None
    return None


def to_instance(
    found: Mapping[str, Any],
    variables: list[Mapping[str, Any]],
    incidents: list[Mapping[str, Any]],
    elements: list[Mapping[str, Any]],
) -> EngineInstance:
    """Assemble the view from the REST answers (pure, unit-tested)."""
    scope = str(found.get("processInstanceKey"))
    incident = None
    if incidents:
        first = incidents[0]
        incident = Incident(
            error_type=str(first.get("errorType", "")),
            error_message=str(first.get("errorMessage", "")),
            element_id=str(first.get("elementId", "")),
        )
    handlers = {HANDLERS[e["elementId"]] for e in elements if e.get("elementId") in HANDLERS}
    return EngineInstance(
        state=str(found.get("state", "ACTIVE")),
        failure_reason=_variable(variables, "failureReason", scope),
        failed_step=_variable(variables, "failedStep", scope),
        incident=incident,
        compensations=tuple(sorted(handlers)),
        checkout_id=_variable(variables, "checkoutId", scope),
    )
