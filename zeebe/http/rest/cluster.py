"""Cluster and deployment endpoints: topology, status, deployments (spec 8.2)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from zeebe.engine.api import Command
from zeebe.gateway.errors import GatewayError
from zeebe.gateway.validation import check_tenant
from zeebe.http.rest.bridge import broker, execute
from zeebe.http.rest.problems import bad_request, gateway_problem
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


def _deployment_item(metadata: dict[str, Any]) -> dict[str, Any]:
    definition = {
        "processDefinitionId": metadata["bpmnProcessId"],
        "processDefinitionVersion": metadata["version"],
        "resourceName": metadata["resourceName"],
        "tenantId": metadata["tenantId"],
        "processDefinitionKey": str(metadata["processDefinitionKey"]),
    }
    return {
        "processDefinition": definition,
        "decisionDefinition": None,
        "decisionRequirements": None,
        "form": None,
        "resource": None,
    }


def deploy() -> Response:
    """multipart/form-data `resources` parts (file name = resource name), optional tenantId."""
    files = request.files.getlist("resources")
    if not files:
        raise bad_request("No resources provided: send one or more multipart parts 'resources'")
    resources = [
        {"resourceName": part.filename or f"resource-{index}.bpmn", "resource": part.read()}
        for index, part in enumerate(files)
    ]
    try:
        tenant = check_tenant("CreateDeployment", request.form.get("tenantId", ""))
    except GatewayError as error:
        raise gateway_problem(error) from error
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
