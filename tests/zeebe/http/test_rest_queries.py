"""REST /v2 searches and gets, answered from the read model (spec 8.2, grammar 8.3)."""

from __future__ import annotations

import pytest
from rest_support import MESSAGE_CATCH, ONE_TASK, Rest

pytestmark = pytest.mark.e2e


def test_process_definition_search_get_and_xml(rest: Rest) -> None:
    """Definitions are searchable by id; GET .../xml returns the deployed BPMN as text/xml."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    rest.deploy(("pay.bpmn", ONE_TASK.replace(b"Capture payment", b"Capture payment v2")))
    found = rest.search(
        "process-definitions",
        {
            "filter": {"processDefinitionId": "pay-order"},
            "sort": [{"field": "version", "order": "DESC"}],
        },
    )
    assert [d["version"] for d in found["items"]] == [2, 1]
    latest = found["items"][0]
    assert latest["name"] == "Pay order"
    assert rest.get(f"/process-definitions/{latest['processDefinitionKey']}").status_code == 200
    xml = rest.get(f"/process-definitions/{latest['processDefinitionKey']}/xml")
    assert xml.headers["content-type"].startswith("text/xml")
    assert b"Capture payment v2" in xml.content


def test_instance_search_filters_sorts_and_pages(rest: Rest) -> None:
    """filter by state, sort by key DESC, offset page and the totals of spec 8.3."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    keys = [rest.create("pay-order")["processInstanceKey"] for _ in range(5)]
    rest.post(f"/process-instances/{keys[0]}/cancellation")
    request = {
        "filter": {"state": "ACTIVE", "processDefinitionId": "pay-order"},
        "sort": [{"field": "processInstanceKey", "order": "DESC"}],
        "page": {"from": 0, "limit": 2},
    }
    page = rest.search("process-instances", request)
    assert [i["processInstanceKey"] for i in page["items"]] == [keys[4], keys[3]]
    assert page["page"]["totalItems"] == 4 and page["page"]["hasMoreTotalItems"] is False


def test_cursor_paging_walks_all_instances_once(rest: Rest) -> None:
    """page.after = the previous endCursor continues exactly where the last page ended."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    keys = {rest.create("pay-order")["processInstanceKey"] for _ in range(5)}
    seen: list[str] = []
    page: dict[str, object] = {"limit": 2}
    while True:
        result = rest.search("process-instances", {"page": page})
        if not result["items"]:
            break
        seen += [i["processInstanceKey"] for i in result["items"]]
        page = {"limit": 2, "after": result["page"]["endCursor"]}
    assert sorted(seen) == sorted(keys) and len(seen) == 5


def test_instance_search_by_variable_value(rest: Rest) -> None:
    """filter.variables [{name, value}] with the value as serialized JSON (spec 8.3)."""
    rest.deploy(("confirm.bpmn", MESSAGE_CATCH))
    wanted = rest.create("await-confirmation", variables={"orderId": "o-7"})
    rest.create("await-confirmation", variables={"orderId": "o-8"})
    found = rest.search(
        "process-instances", {"filter": {"variables": [{"name": "orderId", "value": '"o-7"'}]}}
    )
    assert [i["processInstanceKey"] for i in found["items"]] == [wanted["processInstanceKey"]]


def test_element_instances_of_an_instance_in_start_order(rest: Rest) -> None:
    """Element instances show where the instance waits (Operate's flow node instances)."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    key = rest.create("pay-order")["processInstanceKey"]
    found = rest.search(
        "element-instances",
        {"filter": {"processInstanceKey": key, "type": {"$neq": "PROCESS"}}},
    )
    rows = [(e["elementId"], e["state"]) for e in found["items"]]
    assert rows == [("start", "COMPLETED"), ("pay", "ACTIVE")]
    assert found["items"][1]["elementName"] == "Capture payment"


def test_job_search_by_type_and_state(rest: Rest) -> None:
    """POST /v2/jobs/search: filter type/state; a completed job has state COMPLETED."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    rest.create("pay-order")
    rest.create("pay-order")
    job = rest.activate("rest.pay", maxJobsToActivate=1, worker="w7")[0]
    rest.post(f"/jobs/{job['jobKey']}/completion")
    completed = rest.search("jobs", {"filter": {"type": "rest.pay", "state": "COMPLETED"}})
    assert [(j["jobKey"], j["worker"]) for j in completed["items"]] == [(job["jobKey"], "w7")]
    created = rest.search("jobs", {"filter": {"state": "CREATED"}})
    assert created["page"]["totalItems"] == 1


def test_incidents_of_one_instance(rest: Rest) -> None:
    """POST /v2/process-instances/{key}/incidents/search lists only that instance's incidents."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    first = rest.create("pay-order")["processInstanceKey"]
    rest.create("pay-order")
    for job in rest.activate("rest.pay"):
        rest.post(f"/jobs/{job['jobKey']}/failure", {"retries": 0})
    assert rest.search("incidents")["page"]["totalItems"] == 2
    own = rest.search(f"process-instances/{first}/incidents")
    assert [i["processInstanceKey"] for i in own["items"]] == [first]
    assert own["items"][0]["errorMessage"] == "No more retries left."
    assert rest.get(f"/process-instances/{first}").json()["hasIncident"] is True
