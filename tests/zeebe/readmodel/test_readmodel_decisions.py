"""Decision tables of the read model (zeebe/readmodel/decisions.py): definitions from DECISION /
DECISION_REQUIREMENTS records, instances from DECISION_EVALUATION records (REST 8.8 shapes)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from readmodel_records import element, event, process_created, started_instance

from zeebe.readmodel import ReadModel
from zeebe.readmodel.decisions import INDEX_BITS, instance_row_key
from zeebe.records import Record, ValueType

pytestmark = pytest.mark.unit

DRG_KEY, DECISION_KEY, EVALUATION_KEY = 10, 11, 50


def drg_created() -> Record:
    value = {
        "decisionRequirementsId": "rules",
        "decisionRequirementsName": "Rules",
        "decisionRequirementsVersion": 1,
        "decisionRequirementsKey": DRG_KEY,
        "resourceName": "rules.dmn",
        "resource": base64.b64encode(b"<definitions/>").decode(),
        "tenantId": "<default>",
    }
    return event(ValueType.DECISION_REQUIREMENTS, "CREATED", DRG_KEY, value)


def decision_created() -> Record:
    value = {
        "decisionId": "discount",
        "decisionName": "Discount",
        "version": 1,
        "decisionKey": DECISION_KEY,
        "decisionRequirementsId": "rules",
        "decisionRequirementsKey": DRG_KEY,
        "tenantId": "<default>",
    }
    return event(ValueType.DECISION, "CREATED", DECISION_KEY, value)


def evaluated(key: int, instance: int = -1, intent: str = "EVALUATED") -> Record:
    entry: dict[str, Any] = {
        "decisionId": "discount",
        "decisionName": "Discount",
        "decisionKey": DECISION_KEY,
        "decisionVersion": 1,
        "decisionType": "DECISION_TABLE",
        "decisionOutput": "10",
        "evaluatedInputs": [{"inputId": "i", "inputName": "Total", "inputValue": "150"}],
        "matchedRules": [],
    }
    value = {
        "decisionKey": DECISION_KEY,
        "processInstanceKey": instance,
        "processDefinitionKey": 100 if instance > 0 else -1,
        "elementInstanceKey": instance + 1 if instance > 0 else -1,
        "evaluatedDecisions": [entry],
        "failedDecisionId": "discount" if intent == "FAILED" else "",
        "evaluationFailureMessage": "boom" if intent == "FAILED" else "",
        "tenantId": "<default>",
    }
    return event(ValueType.DECISION_EVALUATION, intent, key, value)


def test_decision_definition_row_names_its_requirements() -> None:
    """DecisionDefinitionResult fields, with the DRG's name and version."""
    model = ReadModel()
    model.export([drg_created(), decision_created()])
    row = model.get("decisionDefinitions", DECISION_KEY)
    assert row == {
        "decisionDefinitionKey": str(DECISION_KEY),
        "decisionDefinitionId": "discount",
        "name": "Discount",
        "version": 1,
        "decisionRequirementsId": "rules",
        "decisionRequirementsKey": str(DRG_KEY),
        "decisionRequirementsName": "Rules",
        "decisionRequirementsVersion": 1,
        "tenantId": "<default>",
    }


def test_deleted_definitions_leave_the_tables() -> None:
    """DECISION DELETED and DECISION_REQUIREMENTS DELETED remove the rows and the XML."""
    model = ReadModel()
    model.export([drg_created(), decision_created()])
    model.export(
        [
            event(ValueType.DECISION, "DELETED", 12, decision_created().value),
            event(ValueType.DECISION_REQUIREMENTS, "DELETED", 13, drg_created().value),
        ]
    )
    assert model.get("decisionDefinitions", DECISION_KEY) is None
    assert model.get("decisionRequirements", DRG_KEY) is None
    assert model.get("decisionRequirementsXml", DRG_KEY) is None


def test_failed_evaluation_instance_is_failed_with_the_message() -> None:
    """Operate's rule: the decision named failedDecisionId of a FAILED evaluation is FAILED."""
    model = ReadModel()
    model.export([evaluated(EVALUATION_KEY, intent="FAILED")])
    row = model.get("decisionInstances", instance_row_key(f"{EVALUATION_KEY}-1") or -1)
    assert row is not None
    assert (row["state"], row["evaluationFailure"]) == ("FAILED", "boom")


def test_instance_key_text_round_trips_and_rejects_malformed_keys() -> None:
    """`<evaluation key>-<index>` maps to one internal row key; anything else is None."""
    assert instance_row_key("50-2") == (50 << INDEX_BITS) + 2
    assert instance_row_key("50") is None
    assert instance_row_key("50-0") is None
    assert instance_row_key("x-1") is None


def test_decision_instances_are_evicted_with_their_process_instance() -> None:
    """Retention: a business rule task's decision instances belong to its process instance and
    stay while it runs."""
    model = ReadModel(max_finished_instances=1)
    model.export([process_created(), started_instance(1_000)])
    model.export([evaluated(EVALUATION_KEY, instance=1_000), evaluated(EVALUATION_KEY + 1)])
    model.export([evaluated(EVALUATION_KEY + 2)])  # the older standalone one is evicted
    running = model.search("decisionInstances", {"filter": {"processInstanceKey": "1000"}})
    assert [row["decisionEvaluationKey"] for row in running["items"]] == [str(EVALUATION_KEY)]
    model.export([element("ELEMENT_COMPLETED", 1_000, "PROCESS", "order", instance=1_000)])
    finished = model.search("decisionInstances", {})["items"]  # the newer finished root stays
    assert [row["processInstanceKey"] for row in finished] == ["1000"]
    model.export([evaluated(EVALUATION_KEY + 3)])  # now the process instance goes, with its rows
    remaining = model.search("decisionInstances", {})["items"]
    assert [row["decisionEvaluationKey"] for row in remaining] == [str(EVALUATION_KEY + 3)]
    assert model.counts()["decisionInstanceDetails"] == 1


def test_standalone_evaluations_are_bounded_like_finished_instances() -> None:
    """EvaluateDecision calls have no process instance: each counts as one finished root, so a
    long-running engine keeps only the newest `max_finished_instances` of them."""
    model = ReadModel(max_finished_instances=2)
    model.export([evaluated(EVALUATION_KEY + offset) for offset in range(5)])
    remaining = model.search("decisionInstances", {})["items"]
    assert sorted(row["decisionEvaluationKey"] for row in remaining) == [
        str(EVALUATION_KEY + 3),
        str(EVALUATION_KEY + 4),
    ]
    assert model.counts()["decisionInstanceDetails"] == 2
