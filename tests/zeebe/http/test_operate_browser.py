"""The dashboard's buttons in a real browser (headless Debian Chromium via Playwright).

Skipped when Playwright or /usr/bin/chromium is missing (see reference/infra.md, browser tests).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from rest_support import ONE_TASK, Rest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser_page() -> Iterator[Any]:
    """A fresh page in headless Chromium."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def incident_instance(rest: Rest) -> tuple[str, dict[str, Any]]:
    rest.deploy(("pay.bpmn", ONE_TASK))
    key = rest.create("pay-order")["processInstanceKey"]
    job = rest.activate("rest.pay")[0]
    rest.post(f"/jobs/{job['jobKey']}/failure", {"retries": 0, "errorMessage": "PSP down"})
    return key, job


def test_retry_button_updates_retries_and_resolves_the_incident(
    rest: Rest, browser_page: Any
) -> None:
    """Operate's retry: PATCH retries 1, then resolve (spec 2.5); the job is activatable again."""
    key, job = incident_instance(rest)
    browser_page.goto(f"{rest.root}/operate/instances/{key}")
    browser_page.click("button.retry")
    browser_page.wait_for_selector("text=No active incidents.", timeout=10_000)
    assert rest.search("incidents")["items"][0]["state"] == "RESOLVED"
    assert [j["jobKey"] for j in rest.activate("rest.pay")] == [job["jobKey"]]


def test_cancel_button_terminates_the_instance(rest: Rest, browser_page: Any) -> None:
    """The cancel button calls POST /v2/process-instances/{key}/cancellation."""
    key, _ = incident_instance(rest)
    browser_page.goto(f"{rest.root}/operate/instances/{key}")
    browser_page.click("button#cancel")
    browser_page.wait_for_selector("#instance-state.state-terminated", timeout=10_000)
    assert rest.get(f"/process-instances/{key}").json()["state"] == "TERMINATED"


def test_a_failed_action_is_shown_on_the_page(rest: Rest, browser_page: Any) -> None:
    """A /v2 problem is shown on the page (title and detail), not swallowed."""
    key, _ = incident_instance(rest)
    browser_page.goto(f"{rest.root}/operate/instances/{key}")
    rest.post(f"/process-instances/{key}/cancellation")  # someone else cancels first
    browser_page.click("button#cancel")
    browser_page.wait_for_selector("#message:has-text('NOT_FOUND')", timeout=10_000)


def test_the_diagram_marks_the_waiting_element(rest: Rest, browser_page: Any) -> None:
    """With bpmn-js installed the instance page draws the BPMN and marks the active task."""
    from zeebe.http.operate import viewer_script

    if viewer_script() is None:
        pytest.skip("bpmn-js is not installed in node_modules")
    rest.deploy(("pay.bpmn", ONE_TASK))
    key = rest.create("pay-order")["processInstanceKey"]
    browser_page.goto(f"{rest.root}/operate/instances/{key}")
    marked = browser_page.wait_for_selector(
        "#diagram .djs-element.highlight-active[data-element-id='pay']", timeout=10_000
    )
    assert marked is not None
    assert browser_page.inner_text("#message") == ""
