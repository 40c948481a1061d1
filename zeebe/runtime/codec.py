"""Serialisation of records for the durable log.

Record values are JSON-shaped except for deployment resources, which are raw bytes; those are
tagged as `{"$bytes": base64}` so a log written here round-trips exactly.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

from zeebe.records import Record

_BYTES_TAG = "$bytes"


def _encode_default(obj: object) -> object:
    if isinstance(obj, bytes | bytearray):
        return {_BYTES_TAG: base64.b64encode(bytes(obj)).decode("ascii")}
    raise TypeError(f"cannot serialise {type(obj).__name__} in a record value")


def _decode_hook(obj: dict[str, Any]) -> object:
    if len(obj) == 1 and _BYTES_TAG in obj:
        return base64.b64decode(obj[_BYTES_TAG])
    return obj


def encode_record(record: Record) -> str:
    """The record as one compact JSON document (exporter shape plus `extra`)."""
    data = record.to_json()
    if record.extra:
        data["extra"] = record.extra
    return json.dumps(data, separators=(",", ":"), default=_encode_default)


def decode_record(text: str) -> Record:
    """Inverse of `encode_record`."""
    data = json.loads(text, object_hook=_decode_hook)
    record = Record.from_json(data)
    extra = data.get("extra")
    # from_json knows nothing of `extra`: restore it without mutating the frozen record
    return dataclasses.replace(record, extra=dict(extra)) if extra else record
