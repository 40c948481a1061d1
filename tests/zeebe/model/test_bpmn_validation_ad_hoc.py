"""Deploy-time rules of ad-hoc subprocesses (zeebe-spec §4.2 "ad-hoc subprocess (marker shown
as implemented in 8.7)", §6 `zeebe:adHoc`; Zeebe's AdHocSubProcessValidator: "Must have at least
one activity.", "Must not contain a start event.", "Must not contain an end event.")."""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, entry, parse_one, rejection, service

pytestmark = pytest.mark.unit

AROUND = '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />' + chain("start", "tools", "end")


def _ad_hoc(inner: str) -> str:
    return f'<bpmn:adHocSubProcess id="tools">{inner}</bpmn:adHocSubProcess>' + AROUND


def test_ad_hoc_subprocess_with_activities_is_accepted() -> None:
    """Inner activities without a start event are the normal shape: they are activated by
    `activeElementsCollection`, so no start or end event is needed."""
    process = parse_one(_ad_hoc(service("a") + service("b")))
    assert set(process.elements["tools"].children) == {"a", "b"}


def test_empty_ad_hoc_subprocess_is_rejected() -> None:
    """AdHocSubProcessValidator: "Must have at least one activity." (Zeebe's own validation
    fixture is an empty ad-hoc subprocess between a start and an end event)."""
    assert rejection(_ad_hoc("")) == (
        "'test.bpmn': " + entry("tools", "Must have at least one activity.")
    )


def test_ad_hoc_subprocess_with_a_start_event_is_rejected() -> None:
    """AdHocSubProcessValidator: "Must not contain a start event."."""
    body = _ad_hoc('<bpmn:startEvent id="inner" />' + service("a") + chain("inner", "a"))
    assert rejection(body) == "'test.bpmn': " + entry("tools", "Must not contain a start event.")


def test_ad_hoc_subprocess_with_an_end_event_is_rejected() -> None:
    """AdHocSubProcessValidator: "Must not contain an end event."."""
    body = _ad_hoc(service("a") + '<bpmn:endEvent id="done" />' + chain("a", "done"))
    assert rejection(body) == "'test.bpmn': " + entry("tools", "Must not contain an end event.")
