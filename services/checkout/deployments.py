"""Startup deployment of the checkout versions without growing the version history.

Zeebe compares a deployed resource with the latest version of its process only (spec,
Appendix B "Deployment versioning"): v1 and v2 share the process id `checkout`, so deploying
both on every start made two new versions per restart. Instead the API looks the deployed
definitions up over the Orchestration Cluster REST API (`POST /v2/process-definitions/search`,
`GET /v2/process-definitions/{key}/xml`, Camunda 8.6+ and the embedded engine alike), reuses a
definition whose XML is byte-identical to the file, and deploys only the files without one.
Without a reachable REST API it deploys every file, as before, and says so in the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import requests
import structlog

from services.checkout.engine import Deployed

log = structlog.get_logger("services.checkout.deployments")
PAGE_SIZE = 100


@dataclass(frozen=True)
class DeployedDefinition:
    """A deployed process definition as the engine lists it, with its BPMN XML."""

    process_definition_key: int
    bpmn_process_id: str
    version: int
    xml: bytes | None  # None: the engine has no XML for it (REST answers 204)


@dataclass(frozen=True)
class DeploymentPlan:
    """Which files reuse a deployed definition, and which must be deployed (in file order)."""

    reuse: Mapping[str, Deployed]
    deploy: tuple[str, ...]


def plan_deployment(
    files: Mapping[str, bytes], definitions: Iterable[DeployedDefinition]
) -> DeploymentPlan:
    """Match each file with the first definition (newest first) whose XML equals its bytes.

    `definitions` is consumed lazily and only until every file has its match, so an adapter
    can fetch each definition's XML on demand.
    """
    reuse: dict[str, Deployed] = {}
    if files:
        for definition in definitions:
            for name, content in files.items():
                if name not in reuse and definition.xml == content:
                    reuse[name] = _deployed(name, definition)
            if len(reuse) == len(files):
                break
    return DeploymentPlan(reuse=reuse, deploy=tuple(name for name in files if name not in reuse))


def _deployed(name: str, definition: DeployedDefinition) -> Deployed:
    return Deployed(
        resource=name,
        bpmn_process_id=definition.bpmn_process_id,
        version=definition.version,
        process_definition_key=definition.process_definition_key,
    )


class DefinitionSource(Protocol):
    """Port: the deployed definitions of one process id, newest version first."""

    def definitions(self, process_id: str) -> Iterator[DeployedDefinition]:
        """Lazily listed; raises when the engine cannot be asked."""
        ...


class Deployer(Protocol):
    """Port: deploy BPMN files one request each, in order (ZeebeGateway.deploy)."""

    def deploy(self, files: Iterable[Path]) -> dict[str, Deployed]:
        """The deployed definition per file name."""
        ...


class RestDefinitions:
    """DefinitionSource over the Orchestration Cluster REST API (`/v2`)."""

    def __init__(
        self, base_url: str, *, timeout_s: float = 5.0, page_size: int = PAGE_SIZE
    ) -> None:
        self._base = base_url.rstrip("/")
        self._timeout_s = timeout_s
        self._page_size = page_size

    def definitions(self, process_id: str) -> Iterator[DeployedDefinition]:
        """Search page by page (offset paging), newest version first; XML fetched per item."""
        offset = 0
        while True:
            items = self._search(process_id, offset)
            for item in items:
                key = int(item["processDefinitionKey"])  # a string since 8.8, a number before
                yield definition_of(item, self._xml(key))
            if len(items) < self._page_size:
                return
            offset += len(items)

    def _search(self, process_id: str, offset: int) -> list[Mapping[str, Any]]:
        body = {
            "filter": {"processDefinitionId": process_id},
            "sort": [{"field": "version", "order": "DESC"}],
            "page": {"from": offset, "limit": self._page_size},
        }
        url = f"{self._base}/v2/process-definitions/search"
        response = requests.post(url, json=body, timeout=self._timeout_s)
        response.raise_for_status()
        return list(response.json().get("items", []))

    def _xml(self, key: int) -> bytes | None:
        url = f"{self._base}/v2/process-definitions/{key}/xml"
        response = requests.get(url, timeout=self._timeout_s)
        # 204: found without XML; 404: deleted since the search (search is eventually consistent)
        if response.status_code in (204, 404):
            return None
        response.raise_for_status()
        return response.content


def definition_of(item: Mapping[str, Any], xml: bytes | None) -> DeployedDefinition:
    """One search result item (8.6+ shape) with its XML."""
    return DeployedDefinition(
        process_definition_key=int(item["processDefinitionKey"]),
        bpmn_process_id=str(item.get("processDefinitionId", "")),
        version=int(item.get("version", 0)),
        xml=xml,
    )


def deploy_missing(
    deployer: Deployer,
    source: DefinitionSource | None,
    files: Sequence[Path],
    *,
    process_id: str,
) -> dict[str, Deployed]:
    """The definition per file name: reused when an identical one is deployed, else deployed."""
    contents = {path.name: path.read_bytes() for path in files}
    plan = _plan(contents, source, process_id)
    by_name = {path.name: path for path in files}
    deployed = deployer.deploy(by_name[name] for name in plan.deploy) if plan.deploy else {}
    log.info(
        "checkout.definitions_ready",
        reused={name: d.process_definition_key for name, d in plan.reuse.items()},
        deployed={name: d.process_definition_key for name, d in deployed.items()},
    )
    return {**plan.reuse, **deployed}


def _plan(
    contents: Mapping[str, bytes], source: DefinitionSource | None, process_id: str
) -> DeploymentPlan:
    """The plan, or "deploy everything" when the engine cannot list its definitions."""
    everything = DeploymentPlan(reuse={}, deploy=tuple(contents))
    if source is None:
        log.info("checkout.definitions_not_looked_up", reason="no ZEEBE_REST_URL")
        return everything
    try:
        return plan_deployment(contents, source.definitions(process_id))
    except (requests.RequestException, ValueError, KeyError, TypeError, AttributeError) as error:
        # Deploying is still correct, only the version history grows; the engine dedupes
        # against the latest version.
        log.warning("checkout.definitions_lookup_failed", error=str(error), fallback="deploy")
        return everything
