"""Requirements on static values that Zeebe's ZeebeRuntimeValidators check at deployment
(ZeebeExpressionValidator): output mapping sources must be expressions; a static user task due
or follow-up date must be a date-time and a static priority a number from 0 to 100. Messages are
Zeebe's: "Expected expression but found static value 'x'. ..." and "Expected static value to
<requirement>, but found 'x'."."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from zeebe.model.elements import Element, Expression, Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import ElementRule
from zeebe.model.timers import TimerFormatError, parse_date

DATE_TIME = "be a valid DateTime String, e.g. '2023-03-02T15:35+02:00'"
PRIORITY = "be a valid Number between 0 and 100"


def output_sources(element: Element, process: Process) -> list[ValidationEntry]:
    """An output mapping reads the element's result, so its source is always an expression."""
    return [
        ValidationEntry(
            element.id,
            f"Expected expression but found static value '{mapping.source.source}'. An "
            f"expression must start with '=' (e.g. '={mapping.source.source}').",
        )
        for mapping in element.outputs
        if not mapping.source.is_feel
    ]


def _is_date_time(text: str) -> bool:
    try:
        parse_date(text)
    except TimerFormatError:
        return False
    return True


def _is_priority(text: str) -> bool:
    return text.strip().lstrip("-").isdigit() and 0 <= int(text) <= 100


def _static_values(element: Element) -> Iterator[tuple[Expression, str, Callable[[str], bool]]]:
    properties = element.user_task_properties
    if properties is None:
        return
    for schedule in (properties.due_date, properties.follow_up_date):
        if schedule is not None:
            yield schedule, DATE_TIME, _is_date_time
    if properties.priority is not None:
        yield properties.priority, PRIORITY, _is_priority


def user_task_static_values(element: Element, process: Process) -> list[ValidationEntry]:
    """`zeebe:taskSchedule` dates and `zeebe:priorityDefinition` given as static values."""
    return [
        ValidationEntry(
            element.id, f"Expected static value to {requirement}, but found '{value.source}'."
        )
        for value, requirement, holds in _static_values(element)
        if not value.is_feel and not holds(value.source)
    ]


EVERY_ELEMENT: list[ElementRule] = [output_sources, user_task_static_values]
