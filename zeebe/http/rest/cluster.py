"""Cluster and deployment endpoints: topology, status, deployments (spec 8.2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from zeebe.engine.api import Command
from zeebe.http.rest.body import check_rest_tenants
from zeebe.http.rest.bridge import broker, execute
from zeebe.http.rest.problems import unreadable_body
from zeebe.records import BROKER_VERSION, ValueType

# The broker's internal command port in Zeebe; a single embedded node has none, clients ignore it.
BROKER_PORT = 26501


def topology() -> Response:
    """One broker, node 0, leader of the single healthy partition."""
    partition = {"partitionId": 1, "role": "leader", "health": "healthy"}
    body = {
        "brokers": [
            {
                "nodeId": 0,
                "host": request.host.rsplit(":", 1)[0],
                "port": BROKER_PORT,
                "partitions": [partition],
                "version": BROKER_VERSION,
            }
        ],
        "clusterSize": 1,
        "partitionsCount": 1,
        "replicationFactor": 1,
        "gatewayVersion": BROKER_VERSION,
        "lastCompletedChangeId": "-1",
    }
    return jsonify(body)


def status() -> Response:
    """204 while the partition's leader (the broker) accepts requests, else 503."""
    return Response(status=204 if broker().running else 503)


def _process(metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "processDefinitionId": metadata["bpmnProcessId"],
        "processDefinitionVersion": metadata["version"],
        "resourceName": metadata["resourceName"],
        "tenantId": metadata["tenantId"],
        "processDefinitionKey": str(metadata["processDefinitionKey"]),
    }


def _decision(metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "decisionDefinitionId": metadata["dmnDecisionId"],
        "version": metadata["version"],
        "name": metadata["dmnDecisionName"],
        "tenantId": metadata["tenantId"],
        "decisionRequirementsId": metadata["dmnDecisionRequirementsId"],
        "decisionDefinitionKey": str(metadata["decisionKey"]),
        "decisionRequirementsKey": str(metadata["decisionRequirementsKey"]),
    }


def _decision_requirements(metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "decisionRequirementsId": metadata["dmnDecisionRequirementsId"],
        "decisionRequirementsName": metadata["dmnDecisionRequirementsName"],
        "version": metadata["version"],
        "resourceName": metadata["resourceName"],
        "tenantId": metadata["tenantId"],
        "decisionRequirementsKey": str(metadata["decisionRequirementsKey"]),
    }


def _form(metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "formId": metadata["formId"],
        "version": metadata["version"],
        "resourceName": metadata["resourceName"],
        "tenantId": metadata["tenantId"],
        "formKey": str(metadata["formKey"]),
    }


# engine deployment entry (the gRPC `Deployment` oneof) -> REST item key and its shape (spec 8.2)
_ITEM_SHAPES: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "process": ("processDefinition", _process),
    "decision": ("decisionDefinition", _decision),
    "decisionRequirements": ("decisionRequirements", _decision_requirements),
    "form": ("form", _form),
}
_ITEM_KEYS = ("processDefinition", "decisionDefinition", "decisionRequirements", "form", "resource")


def _deployment_item(entry: dict[str, Any]) -> dict[str, Any]:
    """One populated key per item, the others null; a bare dict is process metadata."""
    kind = next((k for k in _ITEM_SHAPES if k in entry), None)
    item: dict[str, Any] = dict.fromkeys(_ITEM_KEYS)
    if kind is None:
        item["processDefinition"] = _process(entry)
    else:
        key, shape = _ITEM_SHAPES[kind]
        item[key] = shape(entry[kind])
    return item


def deploy() -> Response:
    """multipart/form-data `resources` parts (file name = resource name), optional tenantId."""
    files = request.files.getlist("resources")
    if not files:
        # Spring's MissingServletRequestPartException for the required @RequestPart
        raise unreadable_body("Required part 'resources' is not present.")
    resources = [
        {"resourceName": part.filename or f"resource-{index}.bpmn", "resource": part.read()}
        for index, part in enumerate(files)
    ]
    tenant = check_rest_tenants("Deploy Resources", [request.form.get("tenantId", "")])
    command = Command(ValueType.DEPLOYMENT, "CREATE", {"resources": resources, "tenantId": tenant})
    response = execute(command).response or {}
    return jsonify(
        {
            "deploymentKey": str(response.get("key", -1)),
            "tenantId": response.get("tenantId", tenant),
            "deployments": [_deployment_item(d) for d in response.get("deployments", [])],
        }
    )


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule("/topology", view_func=topology, methods=["GET"])
    blueprint.add_url_rule("/status", view_func=status, methods=["GET"])
    blueprint.add_url_rule("/deployments", view_func=deploy, methods=["POST"])
