"""Messages and signals: publication, correlation, broadcast (spec 8.2, 5.5).

Correlation ("correlate without buffering") is a publish with time-to-live 0: the engine
correlates a published message to open subscriptions while processing the PUBLISH command and
buffers it for `timeToLive` ms, so with TTL 0 nothing is buffered. The instance it correlated with
is read from the CORRELATED records of that same command; none means 404 (no subscription matched).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from zeebe.engine.api import Command, CommandResult
from zeebe.http.rest.body import Body
from zeebe.http.rest.bridge import execute
from zeebe.http.rest.problems import ProblemError, bad_request
from zeebe.records import RecordType, ValueType

CORRELATE = "Correlate Message"
# in order of preference
CORRELATIONS = (ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, ValueType.PROCESS_MESSAGE_SUBSCRIPTION)


def _publish(body: Body, *, ttl: int, message_id: str, operation: str) -> CommandResult:
    name = body.string("name")
    if not name.strip():
        # MessageRequestValidator names the field "messageName" for correlations only
        label = "messageName" if operation == CORRELATE else "name"
        raise bad_request(f"No {label} provided")
    value = {
        "name": name,
        "correlationKey": body.string("correlationKey"),
        "timeToLive": ttl,
        "messageId": message_id,
        "variables": body.document("variables"),
        "tenantId": body.tenant(operation),
    }
    return execute(Command(ValueType.MESSAGE, "PUBLISH", value))


def publish() -> Response:
    """POST /v2/messages/publication -> {tenantId, messageKey}."""
    body = Body.read()
    ttl = body.integer("timeToLive")
    result = _publish(
        body, ttl=ttl, message_id=body.string("messageId"), operation="Publish Message"
    )
    response = result.response or {}
    return jsonify({"tenantId": response.get("tenantId"), "messageKey": str(response.get("key"))})


def first_correlated_instance(result: CommandResult) -> int | None:
    """The process instance the published message correlated with, if any. A new instance of a
    message start event wins over an existing instance: the endpoint "will always prioritize the
    creation of a new process instance (message start event) over correlation with an existing
    process instance" (spec 5.5)."""
    correlated = {
        record.value_type: int(record.value["processInstanceKey"])
        for record in reversed(result.records)
        if record.record_type is RecordType.EVENT
        and record.value_type in CORRELATIONS
        and record.intent == "CORRELATED"
    }
    return next((correlated[kind] for kind in CORRELATIONS if kind in correlated), None)


def correlate() -> Response:
    """POST /v2/messages/correlation -> {tenantId, messageKey, processInstanceKey} or 404."""
    body = Body.read()
    result = _publish(body, ttl=0, message_id="", operation=CORRELATE)
    instance = first_correlated_instance(result)
    if instance is None:
        raise ProblemError(
            404,
            "NOT_FOUND",
            f"Expected to find subscription for message with name '{body.string('name')}' and "
            f"correlation key '{body.string('correlationKey')}', but none was found.",
        )
    response = result.response or {}
    return jsonify(
        {
            "tenantId": response.get("tenantId"),
            "messageKey": str(response.get("key")),
            "processInstanceKey": str(instance),
        }
    )


def broadcast() -> Response:
    """POST /v2/signals/broadcast -> {tenantId, signalKey}."""
    body = Body.read()
    value = {
        "signalName": body.string("signalName", required=True),
        "variables": body.document("variables"),
        "tenantId": body.tenant("Broadcast Signal"),
    }
    response = execute(Command(ValueType.SIGNAL, "BROADCAST", value)).response or {}
    return jsonify({"tenantId": response.get("tenantId"), "signalKey": str(response.get("key"))})


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule("/messages/publication", view_func=publish, methods=["POST"])
    blueprint.add_url_rule("/messages/correlation", view_func=correlate, methods=["POST"])
    blueprint.add_url_rule("/signals/broadcast", view_func=broadcast, methods=["POST"])
