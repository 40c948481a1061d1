"""PATCH /v2/jobs/{jobKey} (Update job, REST reference 8.8): `changeset {retries, timeout}`
applied together: 204, 404 for an unknown job, 409 when the job is in the wrong state, with
nothing changed by a refused request."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from rest_support import ONE_TASK, Rest

pytestmark = pytest.mark.e2e


def patch(rest: Rest, job_key: str, changeset: dict[str, Any]) -> Any:
    """PATCH the job with `changeset`."""
    url = f"{rest.base}/jobs/{job_key}"
    return rest.session.patch(url, json={"changeset": changeset}, timeout=10)


def deadline(rest: Rest, job_key: str) -> datetime:
    """The job's deadline as the job search reports it."""
    text = rest.get(f"/jobs/{job_key}").json()["deadline"]
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def created_job(rest: Rest) -> dict[str, Any]:
    """The (not activated) job of a new pay-order instance, from the job search."""
    rest.deploy(("pay.bpmn", ONE_TASK))
    created = rest.create("pay-order")
    filter_ = {"processInstanceKey": created["processInstanceKey"]}
    job: dict[str, Any] = rest.search("jobs", {"filter": filter_})["items"][0]
    return job


def test_retries_and_timeout_change_together(rest: Rest) -> None:
    """An activated job takes both: new retries and a deadline `timeout` ms from now."""
    job = created_job(rest)
    rest.activate("rest.pay", timeout=600_000)
    before = deadline(rest, job["jobKey"])
    response = patch(rest, job["jobKey"], {"retries": 7, "timeout": 1_000})
    assert response.status_code == 204, response.text
    assert rest.get(f"/jobs/{job['jobKey']}").json()["retries"] == 7
    assert deadline(rest, job["jobKey"]) < before - timedelta(minutes=9)


def test_a_timeout_for_a_job_not_activated_is_a_conflict_and_changes_nothing(rest: Rest) -> None:
    """The timeout needs an activated job (409); the retries of the same changeset stay as they
    were, as the changeset is one update."""
    job = created_job(rest)
    response = patch(rest, job["jobKey"], {"retries": 9, "timeout": 1_000})
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert rest.get(f"/jobs/{job['jobKey']}").json()["retries"] == job["retries"]


def test_retries_below_one_are_invalid_and_change_nothing(rest: Rest) -> None:
    """Retries must be positive (400), and the timeout of the same changeset is not applied."""
    job = created_job(rest)
    rest.activate("rest.pay", timeout=600_000)
    before = deadline(rest, job["jobKey"])
    response = patch(rest, job["jobKey"], {"retries": 0, "timeout": 1})
    assert response.status_code == 400, response.text
    assert rest.get(f"/jobs/{job['jobKey']}").json()["retries"] == job["retries"]
    assert deadline(rest, job["jobKey"]) == before


def test_an_unknown_job_is_not_found(rest: Rest) -> None:
    """404 "The job with the jobKey is not found"."""
    response = patch(rest, "2251799813685249", {"retries": 1, "timeout": 1_000})
    assert response.status_code == 404, response.text
