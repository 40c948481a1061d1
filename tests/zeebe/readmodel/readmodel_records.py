"""Hand-built records in the engine's exporter shape, for projection tests."""

from __future__ import annotations

import base64
import itertools
from typing import Any

from zeebe.records import Record, RecordType, ValueType

DEFINITION_KEY = 100
INSTANCE_KEY = 200
XML = (
    '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
    '<bpmn:process id="order" name="Order process"><bpmn:serviceTask id="pay" name="Pay"/>'
    "</bpmn:process></bpmn:definitions>"
)
_positions = itertools.count(1)


def event(
    value_type: ValueType, intent: str, key: int, value: dict[str, Any], at: int = 1_000
) -> Record:
    """An EVENT record at time `at` (epoch ms)."""
    return Record(
        position=next(_positions),
        key=key,
        record_type=RecordType.EVENT,
        value_type=value_type,
        intent=intent,
        timestamp=at,
        value=value,
    )


def process_created(key: int = DEFINITION_KEY, version: int = 1) -> Record:
    """PROCESS CREATED of the 'order' process (resource base64 encoded, as the engine writes)."""
    value = {
        "bpmnProcessId": "order",
        "version": version,
        "versionTag": "",
        "processDefinitionKey": key,
        "resourceName": "order.bpmn",
        "tenantId": "<default>",
        "resource": base64.b64encode(XML.encode()).decode(),
    }
    return event(ValueType.PROCESS, "CREATED", key, value)


def element(
    intent: str,
    key: int,
    element_type: str,
    element_id: str,
    *,
    instance: int = INSTANCE_KEY,
    parent: int = -1,
    at: int = 1_000,
) -> Record:
    """A PROCESS_INSTANCE lifecycle event of one element."""
    value = {
        "bpmnElementType": element_type,
        "elementId": element_id,
        "bpmnProcessId": "order",
        "version": 1,
        "processDefinitionKey": DEFINITION_KEY,
        "parentProcessInstanceKey": parent,
        "parentElementInstanceKey": -1,
        "tenantId": "<default>",
        "processInstanceKey": instance,
        "flowScopeKey": -1 if element_type == "PROCESS" else instance,
    }
    return event(ValueType.PROCESS_INSTANCE, intent, key, value, at)


def started_instance(instance: int = INSTANCE_KEY, at: int = 1_000, parent: int = -1) -> Record:
    """The PROCESS element of an instance starts activating."""
    return element(
        "ELEMENT_ACTIVATING", instance, "PROCESS", "order", instance=instance, parent=parent, at=at
    )


def incident(
    intent: str,
    key: int,
    *,
    element_key: int,
    job_key: int = -1,
    instance: int = INSTANCE_KEY,
    message: str = "boom",
) -> Record:
    """An INCIDENT event on element `element_key` of `instance` (default: the default one)."""
    value = {
        "errorType": "JOB_NO_RETRIES",
        "errorMessage": message,
        "bpmnProcessId": "order",
        "processDefinitionKey": DEFINITION_KEY,
        "processInstanceKey": instance,
        "elementId": "pay",
        "elementInstanceKey": element_key,
        "jobKey": job_key,
        "variableScopeKey": element_key,
        "tenantId": "<default>",
    }
    return event(ValueType.INCIDENT, intent, key, value)


def job(intent: str, key: int, **fields: Any) -> Record:
    """A JOB event of the 'pay' task of the default instance."""
    value = {
        "type": "payment.capture",
        "worker": "",
        "retries": 3,
        "deadline": -1,
        "errorMessage": "",
        "errorCode": "",
        "customHeaders": {"h": "1"},
        "elementId": "pay",
        "elementInstanceKey": 300,
        "processInstanceKey": INSTANCE_KEY,
        "bpmnProcessId": "order",
        "processDefinitionVersion": 1,
        "processDefinitionKey": DEFINITION_KEY,
        "tenantId": "<default>",
        **fields,
    }
    return event(ValueType.JOB, intent, key, value)


def variable(intent: str, key: int, name: str, value: str, instance: int = INSTANCE_KEY) -> Record:
    """A VARIABLE event in the root scope of `instance` (value is JSON text)."""
    body = {
        "name": name,
        "value": value,
        "scopeKey": instance,
        "processInstanceKey": instance,
        "processDefinitionKey": DEFINITION_KEY,
        "bpmnProcessId": "order",
        "tenantId": "<default>",
    }
    return event(ValueType.VARIABLE, intent, key, body)
