"""The /operate dashboard renders the read model over HTTP (server-side HTML)."""

from __future__ import annotations

import re

import pytest
from rest_support import ONE_TASK, Rest

pytestmark = pytest.mark.e2e


def page(rest: Rest, path: str) -> str:
    response = rest.session.get(rest.root + path, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def row_keys(html: str) -> list[str]:
    return re.findall(r'href="/operate/instances/(\d+)"', html)


def test_index_lists_definitions_and_instances(rest: Rest) -> None:
    """Definitions with name and version; instances link to their detail page."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    key = rest.create("pay-order")["processInstanceKey"]
    html = page(rest, "/operate/")
    assert "Pay order" in html and "pay.bpmn" in html
    assert row_keys(html) == [key]


def test_state_filter_shows_only_matching_instances(rest: Rest) -> None:
    """?state=TERMINATED lists cancelled instances only; ACTIVE the running ones."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    cancelled = rest.create("pay-order")["processInstanceKey"]
    running = rest.create("pay-order")["processInstanceKey"]
    rest.post(f"/process-instances/{cancelled}/cancellation")
    assert row_keys(page(rest, "/operate/?state=TERMINATED")) == [cancelled]
    assert row_keys(page(rest, "/operate/?state=active")) == [running]


def test_instance_page_shows_elements_variables_and_a_retry_button(rest: Rest) -> None:
    """The detail page lists element instances, escaped variable values and active incidents
    with a retry button carrying the incident and job keys the JS calls /v2 with."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    key = rest.create("pay-order", variables={"note": "<script>x</script>"})["processInstanceKey"]
    job = rest.activate("rest.pay")[0]
    rest.post(f"/jobs/{job['jobKey']}/failure", {"retries": 0, "errorMessage": "PSP down"})
    incident = rest.search("incidents")["items"][0]
    html = page(rest, f"/operate/instances/{key}")
    assert "Capture payment" in html and "SERVICE_TASK" in html
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "PSP down" in html
    assert f'data-incident="{incident["incidentKey"]}" data-job="{job["jobKey"]}"' in html
    assert f'id="cancel" data-key="{key}"' in html


def test_finished_instances_have_no_cancel_button(rest: Rest) -> None:
    """Only ACTIVE instances can be cancelled."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    key = rest.create("pay-order")["processInstanceKey"]
    rest.post(f"/process-instances/{key}/cancellation")
    assert 'id="cancel"' not in page(rest, f"/operate/instances/{key}")


def test_unknown_instance_is_404(rest: Rest) -> None:
    """An unknown (or evicted) key is a 404 page."""
    response = rest.session.get(rest.root + "/operate/instances/123", timeout=10)
    assert response.status_code == 404


def test_static_script_is_served(rest: Rest) -> None:
    """operate.js (the buttons' /v2 calls) is served from the package."""
    response = rest.session.get(rest.root + "/operate/static/operate.js", timeout=10)
    assert response.status_code == 200 and "/incidents/" in response.text
