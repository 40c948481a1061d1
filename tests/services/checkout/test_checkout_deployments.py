"""Startup deployment: reuse a deployed definition with identical XML, deploy only the rest."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest
import requests
from structlog.testing import capture_logs

from services.checkout.deployments import (
    DeployedDefinition,
    definition_of,
    deploy_missing,
    plan_deployment,
)
from services.checkout.engine import Deployed

pytestmark = pytest.mark.unit

V1_XML = b"<definitions>v1</definitions>"
V2_XML = b"<definitions>v2</definitions>"
FILES = {"checkout.bpmn": V1_XML, "checkout-fraud-check.bpmn": V2_XML}


def definition(key: int, version: int, xml: bytes | None) -> DeployedDefinition:
    """A deployed `checkout` definition."""
    return DeployedDefinition(
        process_definition_key=key, bpmn_process_id="checkout", version=version, xml=xml
    )


def keys(reuse: Mapping[str, Deployed]) -> dict[str, int]:
    """File name -> definition key."""
    return {name: deployed.process_definition_key for name, deployed in reuse.items()}


def test_nothing_deployed_deploys_every_file_in_order() -> None:
    """A fresh engine: both versions are deployed, v1 first (so v2 is the latest)."""
    plan = plan_deployment(FILES, [])

    assert plan.deploy == ("checkout.bpmn", "checkout-fraud-check.bpmn")
    assert dict(plan.reuse) == {}


def test_identical_deployed_versions_are_reused_and_nothing_is_deployed() -> None:
    """Spec Appendix B: Zeebe dedupes against the latest version only, so the API itself reuses
    any version whose XML is byte-identical to the file."""
    deployed = [definition(20, 4, V2_XML), definition(10, 3, V1_XML)]

    plan = plan_deployment(FILES, deployed)

    assert plan.deploy == ()
    assert keys(plan.reuse) == {"checkout.bpmn": 10, "checkout-fraud-check.bpmn": 20}
    assert plan.reuse["checkout.bpmn"].version == 3


def test_only_the_file_without_an_identical_version_is_deployed() -> None:
    """An edited v1 is deployed; the unchanged v2 keeps its deployed definition."""
    deployed = [definition(20, 2, V2_XML), definition(10, 1, b"<definitions>old v1</definitions>")]

    plan = plan_deployment(FILES, deployed)

    assert plan.deploy == ("checkout.bpmn",)
    assert keys(plan.reuse) == {"checkout-fraud-check.bpmn": 20}


def test_the_newest_identical_version_wins() -> None:
    """Several identical versions (restarts before this change): the first listed, i.e. newest."""
    deployed = [definition(40, 8, V1_XML), definition(30, 6, V1_XML), definition(20, 4, V2_XML)]

    plan = plan_deployment(FILES, deployed)

    assert keys(plan.reuse) == {"checkout.bpmn": 40, "checkout-fraud-check.bpmn": 20}


def test_a_definition_without_xml_never_matches() -> None:
    """REST answers 204 for a definition without XML: it cannot be proven identical."""
    plan = plan_deployment({"checkout.bpmn": b""}, [definition(10, 1, None)])

    assert plan.deploy == ("checkout.bpmn",)


def test_definitions_are_consumed_only_until_every_file_matched() -> None:
    """The adapter fetches one XML per listed definition: stop asking once all files matched."""
    listed: list[int] = []

    def newest_first() -> Iterator[DeployedDefinition]:
        for item in (definition(20, 4, V2_XML), definition(10, 3, V1_XML)):
            listed.append(item.process_definition_key)
            yield item
        raise AssertionError("listed past the last needed definition")

    plan = plan_deployment(FILES, newest_first())

    assert (plan.deploy, listed) == ((), [20, 10])


def test_search_items_of_8_8_and_8_6_shapes_are_read() -> None:
    """Keys are strings since 8.8 and numbers before; both give the same definition."""
    item_88 = {"processDefinitionKey": "2251799813685251", "processDefinitionId": "checkout"}
    item_86 = {"processDefinitionKey": 2251799813685251, "processDefinitionId": "checkout"}

    read = [definition_of({**item, "version": 2}, V1_XML) for item in (item_88, item_86)]

    assert read[0] == read[1] == definition(2251799813685251, 2, V1_XML)


class RecordingDeployer:
    """Deployer fake: hands out keys 500, 501, ... and records what it deployed."""

    def __init__(self) -> None:
        self.deployed: list[str] = []

    def deploy(self, files: Iterable[Path]) -> dict[str, Deployed]:
        result = {}
        for path in files:
            self.deployed.append(path.name)
            key = 500 + len(self.deployed)
            result[path.name] = Deployed(path.name, "checkout", len(self.deployed), key)
        return result


class ListedSource:
    """DefinitionSource fake over a fixed list."""

    def __init__(self, definitions: list[DeployedDefinition]) -> None:
        self.items = definitions

    def definitions(self, process_id: str) -> Iterator[DeployedDefinition]:
        return iter(self.items)


class UnreachableSource:
    """DefinitionSource whose REST API is down (or not enabled on the cluster)."""

    def definitions(self, process_id: str) -> Iterator[DeployedDefinition]:
        raise requests.ConnectionError("connection refused")


@pytest.fixture
def bpmn_files(tmp_path: Path) -> list[Path]:
    """The two version files, v1 first."""
    paths = []
    for name, content in FILES.items():
        path = tmp_path / name
        path.write_bytes(content)
        paths.append(path)
    return paths


def test_deploy_missing_deploys_only_the_changed_file_and_merges_keys(
    bpmn_files: list[Path],
) -> None:
    """The starter gets a key per version: reused ones and freshly deployed ones."""
    deployer = RecordingDeployer()
    source = ListedSource([definition(20, 2, V2_XML)])

    ready = deploy_missing(deployer, source, bpmn_files, process_id="checkout")

    assert deployer.deployed == ["checkout.bpmn"]
    assert keys(ready) == {"checkout.bpmn": 501, "checkout-fraud-check.bpmn": 20}


def test_an_unreachable_rest_api_falls_back_to_deploying_everything(
    bpmn_files: list[Path],
) -> None:
    """h23 brief: REST not reachable -> deploy as before (v1 then v2), and log it."""
    deployer = RecordingDeployer()

    with capture_logs() as logs:
        ready = deploy_missing(deployer, UnreachableSource(), bpmn_files, process_id="checkout")

    assert deployer.deployed == ["checkout.bpmn", "checkout-fraud-check.bpmn"]
    assert set(ready) == set(FILES)
    assert "checkout.definitions_lookup_failed" in [entry["event"] for entry in logs]


def test_without_a_rest_url_everything_is_deployed(bpmn_files: list[Path]) -> None:
    """No ZEEBE_REST_URL configured: nothing to look up, deploy as before, and log it."""
    deployer = RecordingDeployer()

    with capture_logs() as logs:
        deploy_missing(deployer, None, bpmn_files, process_id="checkout")

    assert deployer.deployed == ["checkout.bpmn", "checkout-fraud-check.bpmn"]
    assert "checkout.definitions_not_looked_up" in [entry["event"] for entry in logs]


def test_all_identical_means_no_deploy_request_at_all(bpmn_files: list[Path]) -> None:
    """A restart with unchanged files sends no DeployResource."""
    deployer = RecordingDeployer()
    source = ListedSource([definition(20, 2, V2_XML), definition(10, 1, V1_XML)])

    ready = deploy_missing(deployer, source, bpmn_files, process_id="checkout")

    assert deployer.deployed == []
    assert keys(ready) == {"checkout.bpmn": 10, "checkout-fraud-check.bpmn": 20}
