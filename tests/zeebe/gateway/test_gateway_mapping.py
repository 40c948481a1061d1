"""Pure gateway mappings: rejection -> status table, document validation, response shaping."""

from __future__ import annotations

import json
from decimal import Decimal

import grpc
import pytest
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.engine.api import Rejection
from zeebe.gateway.convert import (
    creation_value,
    deploy_process_response,
    deploy_resource_response,
    evaluate_decision_response,
)
from zeebe.gateway.errors import internal_error, rejection_error
from zeebe.gateway.servicer import _unsupported
from zeebe.gateway.validation import check_tenants, parse_document
from zeebe.records import RejectionType

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("rejection_type", "code"),
    [
        (RejectionType.INVALID_ARGUMENT, grpc.StatusCode.INVALID_ARGUMENT),
        (RejectionType.NOT_FOUND, grpc.StatusCode.NOT_FOUND),
        (RejectionType.ALREADY_EXISTS, grpc.StatusCode.ALREADY_EXISTS),
        (RejectionType.INVALID_STATE, grpc.StatusCode.FAILED_PRECONDITION),
        (RejectionType.PROCESSING_ERROR, grpc.StatusCode.INTERNAL),
        (RejectionType.EXCEEDED_BATCH_RECORD_SIZE, grpc.StatusCode.UNKNOWN),
    ],
)
def test_rejections_map_to_the_spec_table(
    rejection_type: RejectionType, code: grpc.StatusCode
) -> None:
    """Spec 1.1 GrpcErrorMapper table; other/unknown rejection types -> UNKNOWN."""
    error = rejection_error(Rejection(rejection_type, "why", "COMPLETE"))
    assert error.code == code
    assert error.message == f"Command 'COMPLETE' rejected with code '{rejection_type.value}': why"


def test_unexpected_failures_are_internal_with_zeebes_prefix() -> None:
    """Spec 1.1: anything else -> INTERNAL 'Unexpected error occurred during the request ...'."""
    error = internal_error("KeyError: 'x'")
    assert error.code == grpc.StatusCode.INTERNAL
    assert error.message.startswith("Unexpected error occurred during the request processing: ")


def test_empty_variables_mean_no_variables() -> None:
    """Clients send '' for 'no variables'; that is an empty document, not an error."""
    assert parse_document("") == {}
    assert parse_document(' {"a": [1, {"b": null}]} ') == {"a": [1, {"b": None}]}


def test_boolean_and_null_documents_name_their_kind() -> None:
    """The message names the JSON kind like Zeebe's msgpack check (BOOLEAN, NIL)."""
    for text, kind in (("true", "BOOLEAN"), ("null", "NIL"), ("1.5", "FLOAT")):
        with pytest.raises(Exception, match=f"but was '{kind}'"):
            parse_document(text)


def test_activation_tenants_default_and_foreign() -> None:
    """tenantIds: empty, blank or '<default>' accepted; otherwise each id is checked on its own
    (Zeebe's `ensureTenantIdsSet` calls `ensureTenantIdSet` per id), so the first foreign one is
    named in the singular message."""
    assert check_tenants("ActivateJobs", []) == ["<default>"]
    assert check_tenants("ActivateJobs", ["<default>", " "]) == ["<default>"]
    with pytest.raises(Exception, match=r"with tenant identifier 'a', but multi-tenancy"):
        check_tenants("ActivateJobs", ["<default>", "a", "b"])


def test_bare_process_metadata_is_wrapped_in_the_deployment_oneof() -> None:
    """DeployResource `deployments` is a oneof; DeployProcess lists `processes`."""
    meta = {"bpmnProcessId": "p", "version": 1, "processDefinitionKey": 5}
    response = {"key": 9, "deployments": [meta], "tenantId": "<default>"}
    assert deploy_resource_response(response)["deployments"] == [{"process": meta}]
    assert deploy_process_response(response) == {"key": 9, "processes": [meta]}


def test_create_without_id_or_key_asks_for_key_zero() -> None:
    """Appendix B: without a bpmnProcessId the key is used when it is "greater than -1"; proto3
    sends an unset `processDefinitionKey` as 0, so Zeebe looks up key 0 (NOT_FOUND) instead of
    answering 'Expected at least a bpmnProcessId or a key greater than -1'."""
    value = creation_value(pb.CreateProcessInstanceRequest(version=-1), "CreateProcessInstance")
    assert value["bpmnProcessId"] == ""
    assert value["processDefinitionKey"] == 0


def test_decision_values_are_json_documents_on_the_wire() -> None:
    """Appendix A EvaluateDecisionResponse: `decisionOutput`, `inputValue` and `outputValue` are
    strings holding JSON; FEEL decimals are written as JSON numbers."""
    rule = {"ruleId": "r", "ruleIndex": 1, "evaluatedOutputs": [{"outputValue": Decimal("0.5")}]}
    evaluated = {"decisionOutput": "x", "evaluatedInputs": [{"inputValue": [1]}]}
    response = evaluate_decision_response(
        {
            "decisionOutput": {"rate": Decimal("0.15")},
            "evaluatedDecisions": [{**evaluated, "matchedRules": [rule]}],
        }
    )
    assert json.loads(response["decisionOutput"]) == {"rate": 0.15}
    (entry,) = response["evaluatedDecisions"]
    assert entry["decisionOutput"] == '"x"'
    assert entry["evaluatedInputs"][0]["inputValue"] == "[1]"
    assert entry["matchedRules"][0]["evaluatedOutputs"][0]["outputValue"] == "0.5"


def test_only_an_unknown_command_is_unimplemented() -> None:
    """MigrateProcessInstance, GRPC_STATUS_FAILED_PRECONDITION: "A mapping instruction refers to an
    unsupported element"; only the engine's "Command ... is not supported" (an engine without the
    command) becomes UNIMPLEMENTED, whatever else a migration reason ends with."""
    unsupported_element = Rejection(
        RejectionType.INVALID_STATE,
        "Expected to migrate process instance '1' but active element with id 'a' has an "
        "unsupported type. The migration of a X is not supported",
        "MIGRATE",
    )
    missing = Rejection(
        RejectionType.INVALID_ARGUMENT,
        "Command 'MIGRATE' for 'PROCESS_INSTANCE_MIGRATION' is not supported",
        "MIGRATE",
    )
    assert _unsupported("MigrateProcessInstance", unsupported_element) is None
    error = _unsupported("MigrateProcessInstance", missing)
    assert error is not None and error.code == grpc.StatusCode.UNIMPLEMENTED
