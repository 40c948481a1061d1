"""The catch event preconditions of a process instance migration, in Zeebe 8.8's order
(`ProcessInstanceMigrationPreconditions`: requireMappedCatchEventsToStayAttachedToSameElement,
requireNoDuplicateTargetsInCatchEventMappings, requireNoCatchEventMappingToChangeEventType).

The catch events of an element are those an instance of it may wait for: itself (intermediate
catch event, receive task), the events after an event-based gateway, its boundary events and the
start events of the event subprocesses it contains (`migration_events.catch_events`), of every
event type (escalation and error ones hold no subscription but are checked alike).
"""

from __future__ import annotations

from zeebe.engine.processors.migration_events import catch_events
from zeebe.engine.processors.migration_plan import Failure, Plan
from zeebe.engine.processors.migration_texts import (
    CATCH_EVENT_DETACHED,
    CATCH_EVENT_TYPE_CHANGED,
    CATCH_EVENTS_MERGED,
)
from zeebe.model.elements import Element
from zeebe.state import ElementInstance, EngineState


def catch_event_failure(
    state: EngineState, plan: Plan, instance: ElementInstance, source: Element, target: Element
) -> Failure | None:
    """The first failing catch event precondition of an element instance mapped to `target`."""
    own = catch_events(state, plan.source.process, source, instance, subscribed_only=False)
    kept = catch_events(state, plan.target.process, target, instance, subscribed_only=False)
    return (
        _detached(plan, own, kept, source, target)
        or _merged(plan, own, source)
        or _type_changed(plan, own, source)
    )


def _detached(
    plan: Plan, own: list[Element], kept: list[Element], source: Element, target: Element
) -> Failure | None:
    """A mapped catch event must map to a catch event of the element's target (its
    subscription stays with the same element instance)."""
    targets = plan.targets()
    kept_ids = {e.id for e in kept}
    for event in own:
        mapped = targets.get(event.id)
        if mapped is not None and mapped not in kept_ids:
            return plan.failure(CATCH_EVENT_DETACHED, source.id, target.id, event.id, mapped)
    return None


def _merged(plan: Plan, own: list[Element], source: Element) -> Failure | None:
    """Two catch events of the element must not be mapped to the same target catch event."""
    targets = plan.targets()
    sources_by_target: dict[str, list[str]] = {}
    for event in own:
        mapped = targets.get(event.id)
        if mapped is not None:
            sources_by_target.setdefault(mapped, []).append(event.id)
    for mapped, sources in sources_by_target.items():
        if len(sources) > 1:
            listed = "', '".join(sorted(sources))
            return plan.failure(CATCH_EVENTS_MERGED, source.id, mapped, listed)
    return None


def _type_changed(plan: Plan, own: list[Element], source: Element) -> Failure | None:
    """A mapped catch event keeps its subscription, so its event type cannot change."""
    targets = plan.targets()
    for event in own:
        mapped = targets.get(event.id)
        other = plan.target.process.elements.get(mapped) if mapped is not None else None
        if other is not None and other.event_type is not event.event_type:
            kinds = (event.event_type.value, other.event_type.value)
            return plan.failure(CATCH_EVENT_TYPE_CHANGED, source.id, event.id, mapped, *kinds)
    return None
