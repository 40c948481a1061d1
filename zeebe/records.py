"""Records: the unit of the engine's log, in the shape of Zeebe's exporter JSON.

Every request becomes a COMMAND record; processing a command writes EVENT records (state changes,
applied by event appliers) or one COMMAND_REJECTION. The log is the source of truth: replaying
its EVENT records through the appliers rebuilds the engine state.

`value` dicts use Zeebe's camelCase field names (e.g. `bpmnProcessId`, `processInstanceKey`), so
`Record.to_json()` is exactly what Zeebe's JSON/Kafka exporters publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

BROKER_VERSION = "8.7.0"
PARTITION_ID = 1
KEY_BITS = 51
DEFAULT_TENANT = "<default>"


def encode_key(partition_id: int, counter: int) -> int:
    """Zeebe keys carry the partition id in the high bits: (partition << 51) + counter."""
    return (partition_id << KEY_BITS) + counter


class RecordType(StrEnum):
    COMMAND = "COMMAND"
    EVENT = "EVENT"
    COMMAND_REJECTION = "COMMAND_REJECTION"


class ValueType(StrEnum):
    DEPLOYMENT = "DEPLOYMENT"
    PROCESS = "PROCESS"
    PROCESS_INSTANCE = "PROCESS_INSTANCE"
    PROCESS_INSTANCE_CREATION = "PROCESS_INSTANCE_CREATION"
    PROCESS_INSTANCE_RESULT = "PROCESS_INSTANCE_RESULT"
    PROCESS_INSTANCE_MODIFICATION = "PROCESS_INSTANCE_MODIFICATION"
    # intents: MIGRATE (command), MIGRATED (event)
    PROCESS_INSTANCE_MIGRATION = "PROCESS_INSTANCE_MIGRATION"
    PROCESS_EVENT = "PROCESS_EVENT"
    JOB = "JOB"
    JOB_BATCH = "JOB_BATCH"
    INCIDENT = "INCIDENT"
    VARIABLE = "VARIABLE"
    VARIABLE_DOCUMENT = "VARIABLE_DOCUMENT"
    MESSAGE = "MESSAGE"
    MESSAGE_SUBSCRIPTION = "MESSAGE_SUBSCRIPTION"
    PROCESS_MESSAGE_SUBSCRIPTION = "PROCESS_MESSAGE_SUBSCRIPTION"
    MESSAGE_START_EVENT_SUBSCRIPTION = "MESSAGE_START_EVENT_SUBSCRIPTION"
    TIMER = "TIMER"
    ERROR = "ERROR"
    SIGNAL = "SIGNAL"
    SIGNAL_SUBSCRIPTION = "SIGNAL_SUBSCRIPTION"
    ESCALATION = "ESCALATION"
    COMPENSATION_SUBSCRIPTION = "COMPENSATION_SUBSCRIPTION"
    RESOURCE_DELETION = "RESOURCE_DELETION"
    USER_TASK = "USER_TASK"
    # intents: PIN -> PINNED, RESET -> RESETTED (the engine clock, 8.6+)
    CLOCK = "CLOCK"
    # intents: CREATED, DELETED (written by deployment and resource deletion)
    DECISION = "DECISION"
    DECISION_REQUIREMENTS = "DECISION_REQUIREMENTS"
    FORM = "FORM"
    # intents: EVALUATE (command), EVALUATED / FAILED (events)
    DECISION_EVALUATION = "DECISION_EVALUATION"
    # intents: ACTIVATE (command) -> ACTIVATED (event) (8.8 ad-hoc sub-process activation)
    AD_HOC_SUB_PROCESS_INSTRUCTION = "AD_HOC_SUB_PROCESS_INSTRUCTION"


class RejectionType(StrEnum):
    NULL_VAL = "NULL_VAL"
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    INVALID_STATE = "INVALID_STATE"
    PROCESSING_ERROR = "PROCESSING_ERROR"
    EXCEEDED_BATCH_RECORD_SIZE = "EXCEEDED_BATCH_RECORD_SIZE"
    UNAUTHORIZED = "UNAUTHORIZED"
    FORBIDDEN = "FORBIDDEN"


@dataclass(frozen=True, slots=True)
class Record:
    """One log entry. Immutable; `value` must be treated as read-only by every consumer."""

    position: int
    key: int
    record_type: RecordType
    value_type: ValueType
    intent: str
    timestamp: int
    value: dict[str, Any]
    source_record_position: int = -1
    rejection_type: RejectionType = RejectionType.NULL_VAL
    rejection_reason: str = ""
    partition_id: int = PARTITION_ID
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The record as Zeebe's JSON exporter writes it."""
        return {
            "partitionId": self.partition_id,
            "value": self.value,
            "key": self.key,
            "position": self.position,
            "timestamp": self.timestamp,
            "recordType": self.record_type.value,
            "valueType": self.value_type.value,
            "intent": self.intent,
            "rejectionType": self.rejection_type.value,
            "rejectionReason": self.rejection_reason,
            "brokerVersion": BROKER_VERSION,
            "sourceRecordPosition": self.source_record_position,
            "recordVersion": 1,
            "operationReference": -1,
            "authorizations": {},
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Record:
        """Inverse of `to_json` (used by the log store when reading records back)."""
        return Record(
            position=int(data["position"]),
            key=int(data["key"]),
            record_type=RecordType(data["recordType"]),
            value_type=ValueType(data["valueType"]),
            intent=str(data["intent"]),
            timestamp=int(data["timestamp"]),
            value=dict(data["value"]),
            source_record_position=int(data.get("sourceRecordPosition", -1)),
            rejection_type=RejectionType(data.get("rejectionType", "NULL_VAL")),
            rejection_reason=str(data.get("rejectionReason", "")),
            partition_id=int(data.get("partitionId", PARTITION_ID)),
        )
