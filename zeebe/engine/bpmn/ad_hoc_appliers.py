"""Event appliers of AD_HOC_SUB_PROCESS_INSTRUCTION (8.8 ad-hoc sub-processes).

COMPLETED marks the ad-hoc subprocess instance whose completion condition a job worker
fulfilled, so that later inner path ends complete it instead of creating new jobs (Zeebe keeps
the same flag on its element instance). ACTIVATED changes no state (the activated elements
have their own records).
"""

from __future__ import annotations

from collections.abc import Callable

from zeebe.records import Record, ValueType
from zeebe.state import EngineState

Applier = Callable[[EngineState, Record], None]


def _completed(state: EngineState, record: Record) -> None:
    instance = state.instances.get(record.key)
    if instance is not None:
        instance.completion_condition_fulfilled = True


APPLIERS: dict[tuple[ValueType, str], Applier] = {
    (ValueType.AD_HOC_SUB_PROCESS_INSTRUCTION, "COMPLETED"): _completed,
}
