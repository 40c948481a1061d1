"""Process instance migration with escalation catch events (Camunda 8.8 docs, process instance
migration, "Supported BPMN elements": escalation event subprocesses (interrupting and not) and
escalation boundary events (interrupting and not) are migrated; camunda/camunda
`MigrateEscalationEventTest`, `MigrateEscalationEventSubprocessTest`).

An escalation catch event holds no subscription: the instance waits at its activity, and after
the migration a thrown escalation is caught by the target definition's catch events (the
escalation code is a static value of the target element). Mapping an escalation boundary event
or not makes no difference, but the catch event mapping rules still apply (attached to the
same element, no merging, same event type).
"""

from __future__ import annotations

import pytest
from test_engine_migration import PREFIX, migrate, rejected, started

from zeebe.records import RejectionType, ValueType
from zeebe.testing.bpmn_builder import Escalation, ProcessBuilder, Timer

pytestmark = pytest.mark.unit


def escalating(
    process_id: str, code: str, *, boundaries: tuple[tuple[str, str], ...] = ()
) -> bytes:
    """start -> sub [A (type "a") -> throw escalation `code` -> end] -> end; each boundary
    (id, code) on `sub` leads to an end event "<id>_end"."""
    builder = ProcessBuilder(process_id).start().sub_process("sub").start("sub_start")
    builder.service_task("A", type="a").intermediate_throw("up", event=Escalation(code))
    builder.end("sub_end").sub_process_end().end("done")
    for boundary_id, boundary_code in boundaries:
        builder.boundary(boundary_id, attached_to="sub", event=Escalation(boundary_code))
        builder.end(f"{boundary_id}_end")
    return builder.to_xml()


def ended_at(driver_records: list[tuple[str, str]], element_id: str) -> bool:
    return (element_id, "ELEMENT_COMPLETED") in driver_records


def test_mapped_escalation_boundary_event_is_migrated_and_the_target_catches() -> None:
    """8.8 "Escalation boundary event: supported": sub -> sub, A -> A and b1 -> b2 (another
    escalation code) are accepted; the target throw is caught by the target boundary event."""
    source = escalating("order", "404", boundaries=(("b1", "404"),))
    target = escalating("order2", "405", boundaries=(("b2", "405"),))
    driver, pi, target_key = started(source, target)
    result = migrate(driver, pi, target_key, ("sub", "sub"), ("A", "A"), ("b1", "b2"))
    assert result.rejection is None
    migrated = [r.value["elementId"] for r in result.records if r.intent == "ELEMENT_MIGRATED"]
    assert migrated == ["order2", "sub", "A"]
    driver.complete(driver.job("a")["key"])
    assert ended_at(driver.element_events(pi), "b2_end")
    assert driver.is_completed(pi)


def test_unmapped_escalation_boundary_event_is_migrated() -> None:
    """Without a mapping for the boundary event (Zeebe's "WithoutMapping" case) the migration
    is accepted too, and the target boundary event catches."""
    source = escalating("order", "404", boundaries=(("b1", "404"),))
    target = escalating("order2", "405", boundaries=(("b2", "405"),))
    driver, pi, target_key = started(source, target)
    assert migrate(driver, pi, target_key, ("sub", "sub"), ("A", "A")).rejection is None
    driver.complete(driver.job("a")["key"])
    assert ended_at(driver.element_events(pi), "b2_end")


def test_escalation_boundary_event_added_by_the_target_catches() -> None:
    """A target escalation boundary event the source did not have catches after migration
    (Zeebe's shouldCreateEscalationBoundaryEvent)."""
    source = escalating("order", "404")
    target = escalating("order2", "405", boundaries=(("b2", "405"),))
    driver, pi, target_key = started(source, target)
    assert migrate(driver, pi, target_key, ("sub", "sub"), ("A", "A")).rejection is None
    driver.complete(driver.job("a")["key"])
    assert ended_at(driver.element_events(pi), "b2_end")


def test_escalation_boundary_events_of_the_source_are_dropped() -> None:
    """A source escalation boundary event missing in the target no longer catches: the
    escalation thrown in the target subprocess is uncaught and the instance goes on."""
    source = escalating("order", "404", boundaries=(("b1", "404"),))
    driver, pi, target_key = started(source, escalating("order2", "404"))
    assert migrate(driver, pi, target_key, ("sub", "sub"), ("A", "A")).rejection is None
    driver.complete(driver.job("a")["key"])
    assert ("b1", "ELEMENT_ACTIVATED") not in driver.element_events(pi)
    assert ended_at(driver.element_events(pi), "done")


def with_escalation_subprocess(process_id: str, code: str, *, interrupting: bool) -> bytes:
    """start -> A (type "a") -> throw escalation `code` -> B (type "b") -> end, with an
    escalation event subprocess "E" (start "e_start" catching `code`) -> task "on_e"."""
    builder = ProcessBuilder(process_id).start().service_task("A", type="a")
    builder.intermediate_throw("up", event=Escalation(code))
    builder.service_task("B", type="b").end()
    builder.event_sub_process("E")
    builder.start("e_start", event=Escalation(code), interrupting=interrupting)
    return builder.service_task("on_e", type="on_e").end("e_end").sub_process_end().to_xml()


@pytest.mark.parametrize("interrupting", [True, False])
def test_escalation_event_subprocess_is_migrated(interrupting: bool) -> None:
    """8.8 "Escalation event subprocess (non-interrupting too): supported": a target event
    subprocess with an escalation start is accepted and triggered by the target's throw."""
    source = with_escalation_subprocess("order", "404", interrupting=interrupting)
    target = with_escalation_subprocess("order2", "405", interrupting=interrupting)
    driver, pi, target_key = started(source, target)
    assert migrate(driver, pi, target_key, ("A", "A")).rejection is None
    driver.complete(driver.job("a")["key"])
    handler = driver.job("on_e")
    assert handler["processDefinitionKey"] == target_key
    assert (driver.activate("b") != []) is not interrupting


def test_escalation_boundary_mapped_to_a_timer_boundary_is_rejected() -> None:
    """INVALID_STATE (Zeebe 8.8 requireNoCatchEventMappingToChangeEventType): "The event type
    of a catch event cannot be changed by process instance migration"."""
    source = escalating("order", "404", boundaries=(("b1", "404"),))
    builder = ProcessBuilder("order2").start().sub_process("sub").start("sub_start")
    builder.service_task("A", type="a").end("sub_end").sub_process_end().end("done")
    builder.boundary("t2", attached_to="sub", event=Timer.duration("PT1H")).end("t2_end")
    driver, pi, target_key = started(source, builder.to_xml())
    rejection = rejected(migrate(driver, pi, target_key, ("sub", "sub"), ("A", "A"), ("b1", "t2")))
    assert rejection.type is RejectionType.INVALID_STATE
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'sub' has a catch event with id 'b1' that "
        "is mapped to a catch event with id 't2'. These catch events have different event "
        "types: 'ESCALATION' and 'TIMER'. The event type of a catch event cannot be changed by "
        "process instance migration. Please ensure the event type of the catch event remains "
        "the same or remove the mapping instruction for these catch events."
    )
    assert driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED") == []


def test_two_escalation_boundaries_mapped_to_one_target_are_rejected() -> None:
    """INVALID_STATE (Zeebe 8.8 requireNoDuplicateTargetsInCatchEventMappings): "Catch events
    cannot be merged by process instance migration"; the sources are listed sorted."""
    source = escalating("order", "404", boundaries=(("b2", "404"), ("b1", "405")))
    target = escalating("order2", "404", boundaries=(("t1", "404"),))
    driver, pi, target_key = started(source, target)
    mapping = (("sub", "sub"), ("A", "A"), ("b2", "t1"), ("b1", "t1"))
    rejection = rejected(migrate(driver, pi, target_key, *mapping))
    assert rejection.type is RejectionType.INVALID_STATE
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'sub' has a catch event attached that is "
        "mapped to a catch event with id 't1'. There are multiple mapping instructions that "
        "target this catch event: 'b1', 'b2'. Catch events cannot be merged by process instance "
        "migration. Please ensure the mapping instructions target a catch event only once."
    )
