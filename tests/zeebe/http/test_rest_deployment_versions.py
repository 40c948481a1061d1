"""POST /v2/deployments versions and the process definition `versionTag` read back over REST, on
the real engine (Zeebe 8.7/8.8: duplicates are "versioned together" with a changed resource of
the same deployment; ProcessMetadata/ProcessRecord `versionTag` from `zeebe:versionTag`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_support import ONE_TASK, Rest

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.integration

DMN = (Path(__file__).parent.parent / "dmn" / "fixtures" / "checkout_discount.dmn").read_bytes()


def tagged(tag: str, job_type: str = "rest.tagged") -> bytes:
    """A one-task process `tagged` with `zeebe:versionTag value=tag`."""
    builder = ProcessBuilder("tagged", version_tag=tag)
    return builder.start().service_task("work", type=job_type).end().to_xml()


def versions(body: dict[str, Any]) -> dict[str, int]:
    """Definition id -> version of the process and decision items of a deployment response."""
    found: dict[str, int] = {}
    for item in body["deployments"]:
        if item["processDefinition"]:
            process = item["processDefinition"]
            found[process["processDefinitionId"]] = process["processDefinitionVersion"]
        if item["decisionDefinition"]:
            decision = item["decisionDefinition"]
            found[decision["decisionDefinitionId"]] = decision["version"]
    return found


def test_unchanged_resources_are_versioned_with_a_changed_one(rest: Rest) -> None:
    """Zeebe writeRecords: the unchanged process and DMN get version 2 next to a changed
    process; the response items (from the metadata) say so."""
    rest.deploy(("pay.bpmn", ONE_TASK), ("d.dmn", DMN), ("t.bpmn", tagged("v1")))
    body = rest.deploy(("pay.bpmn", ONE_TASK), ("d.dmn", DMN), ("t.bpmn", tagged("v2", "other")))
    assert set(versions(body).values()) == {2}
    found = rest.search("decision-definitions", {"filter": {"decisionDefinitionId": "discount"}})
    assert sorted(d["version"] for d in found["items"]) == [1, 2]


def test_identical_deployment_answers_the_existing_versions(rest: Rest) -> None:
    """Appendix B: only duplicates -> the same keys and versions as the first deployment."""
    first = rest.deploy(("pay.bpmn", ONE_TASK), ("d.dmn", DMN))
    again = rest.deploy(("pay.bpmn", ONE_TASK), ("d.dmn", DMN))
    assert again["deployments"] == first["deployments"]


def test_process_definition_version_tag_is_read_back(rest: Rest) -> None:
    """ProcessDefinitionResult `versionTag` comes from the process's `zeebe:versionTag`."""
    rest.deploy(("t.bpmn", tagged("release-1.4")))
    found = rest.search("process-definitions", {"filter": {"processDefinitionId": "tagged"}})
    (definition,) = found["items"]
    assert definition["versionTag"] == "release-1.4"
