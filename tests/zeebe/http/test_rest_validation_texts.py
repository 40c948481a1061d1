"""Request validation of the /v2 API as Camunda's REST gateway answers it: the problem texts of
`RequestValidator` / `ErrorMessages` (violations joined with ". ", ending with a period), the
multi-tenancy texts of `MultiTenancyValidator` and Spring's "Bad Request" for unreadable bodies
(Orchestration Cluster REST API reference: 400 is `application/problem+json` ProblemDetail)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import ONE_TASK, Rest

pytestmark = pytest.mark.e2e


def problem(response: Any, status: int = 400) -> dict[str, Any]:
    """The RFC 9457 body of a problem answer with `status`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    return body


def test_a_missing_body_is_springs_bad_request(rest: Rest) -> None:
    """JobControllerTest.shouldRejectThrowErrorJobWithoutBody: title "Bad Request", detail
    "Required request body is missing"."""
    body = problem(rest.post("/jobs/1/error"))
    assert body["title"] == "Bad Request"
    assert body["detail"] == "Required request body is missing"
    assert body["instance"] == "/v2/jobs/1/error"


def test_a_body_that_is_not_json_is_springs_bad_request(rest: Rest) -> None:
    """An unreadable body is Spring's HttpMessageNotReadableException: "Failed to read request"."""
    response = rest.session.post(
        f"{rest.base}/messages/publication",
        data="{oops",
        headers={"content-type": "application/json"},
        timeout=10,
    )
    body = problem(response)
    assert (body["title"], body["detail"]) == ("Bad Request", "Failed to read request")


@pytest.mark.parametrize(
    ("path", "request_body", "detail"),
    [
        ("/jobs/1/error", {"errorCode": "  "}, "No errorCode provided."),
        ("/messages/publication", {"correlationKey": "c"}, "No name provided."),
        ("/messages/correlation", {"correlationKey": "c"}, "No messageName provided."),
        ("/signals/broadcast", {}, "No signalName provided."),
        ("/element-instances/1/variables", {}, "No variables provided."),
        ("/element-instances/1/variables", {"variables": {}}, "No variables provided."),
        (
            "/process-instances",
            {},
            "At least one of [processDefinitionId, processDefinitionKey] is required.",
        ),
    ],
)
def test_missing_required_fields_use_error_message_empty_attribute(
    rest: Rest, path: str, request_body: dict[str, Any], detail: str
) -> None:
    """ERROR_MESSAGE_EMPTY_ATTRIBUTE "No %s provided" / AT_LEAST_ONE_FIELD, as INVALID_ARGUMENT
    with the trailing period createProblemDetail adds (MessageControllerTest, JobControllerTest)."""
    method = rest.session.put if path.endswith("/variables") else rest.session.post
    body = problem(method(rest.base + path, json=request_body, timeout=10))
    assert (body["title"], body["detail"]) == ("INVALID_ARGUMENT", detail)


@pytest.mark.parametrize("request_body", [{}, {"assignee": " "}])
def test_an_assignment_without_assignee_is_rejected(rest: Rest, request_body: Any) -> None:
    """UserTaskControllerTest: "No assignee provided" (built without createProblemDetail, so
    without the trailing period)."""
    body = problem(rest.post("/user-tasks/1/assignment", request_body))
    assert (body["title"], body["detail"]) == ("INVALID_ARGUMENT", "No assignee provided")


def test_creation_by_id_and_key_at_once_is_rejected(rest: Rest) -> None:
    """ProcessInstanceRequestValidatorTest.shouldRejectWhenBothKeyAndIdProvided: "Only one of
    [processDefinitionId, processDefinitionKey] is allowed"."""
    deployed = rest.deploy(("one.bpmn", ONE_TASK))["deployments"][0]["processDefinition"]
    request = {
        "processDefinitionId": "pay-order",
        "processDefinitionKey": deployed["processDefinitionKey"],
    }
    body = problem(rest.post("/process-instances", request))
    assert body["detail"] == "Only one of [processDefinitionId, processDefinitionKey] is allowed."


@pytest.mark.parametrize("key", ["abc", "12.34", "12abc", " ", "99999999999999999999999999999"])
def test_a_malformed_or_too_large_key_is_invalid_key_format(rest: Rest, key: str) -> None:
    """ProcessInstanceRequestValidatorTest.shouldRejectInvalidProcessDefinitionKey /
    shouldRejectLongValuesTooLarge: keys are Java longs given as numeric strings. The detail
    ends "?." because createProblemDetail appends a period to any text not ending in one."""
    body = problem(rest.post("/process-instances", {"processDefinitionKey": key}))
    assert body["detail"] == (
        f"The provided processDefinitionKey '{key}' is not a valid key. Expected a numeric "
        "value. Did you pass an entity id instead of an entity key?."
    )


def test_job_activation_reports_every_violation_at_once(rest: Rest) -> None:
    """JobRequestValidator.validateJobActivationRequest collects all violations."""
    body = problem(rest.post("/jobs/activation", {"type": "", "timeout": 0}))
    assert body["detail"] == (
        "No type provided. The value for timeout is '0' but must be greater than 0. "
        "No maxJobsToActivate provided."
    )


@pytest.mark.parametrize("request_body", [{"changeset": {}}, {}])
def test_job_update_without_a_change_is_rejected(rest: Rest, request_body: Any) -> None:
    """JobControllerTest.shouldRejectUpdateJob: "At least one of [retries, timeout] is
    required."."""
    response = rest.session.patch(f"{rest.base}/jobs/1", json=request_body, timeout=10)
    assert problem(response)["detail"] == "At least one of [retries, timeout] is required."


def test_operation_reference_must_be_positive(rest: Rest) -> None:
    """RequestValidator.validateOperationReference: "... but must be > 0"."""
    response = rest.post("/process-instances/1/cancellation", {"operationReference": 0})
    assert problem(response)["detail"] == (
        "The value for operationReference is '0' but must be > 0."
    )


def test_user_task_update_without_data_is_rejected(rest: Rest) -> None:
    """UserTaskRequestValidator.validateUpdateRequest: ERROR_MESSAGE_EMPTY_UPDATE_CHANGESET."""
    response = rest.session.patch(f"{rest.base}/user-tasks/1", json={"changeset": {}}, timeout=10)
    assert problem(response)["detail"] == (
        'No update data provided. Provide at least an "action" or a non-null value for a '
        'supported attribute in the "changeset".'
    )


@pytest.mark.parametrize(
    ("changeset", "detail"),
    [
        (
            {"dueDate": "tomorrow"},
            "The provided due date 'tomorrow' cannot be parsed as a date according to RFC "
            "3339, section 5.6.",
        ),
        (
            {"followUpDate": "2025-01-01T10:00:00"},
            "The provided follow-up date '2025-01-01T10:00:00' cannot be parsed as a date "
            "according to RFC 3339, section 5.6.",
        ),
        (
            {"priority": 101},
            "The value for priority is '101' but must be within the [0,100] range.",
        ),
        ({"priority": -1}, "The value for priority is '-1' but must be within the [0,100] range."),
        (
            {"followUpDate": "2023-11-11T12:12:12.1234+0100", "dueDate": "bar"},
            "The provided due date 'bar' cannot be parsed as a date according to RFC 3339, "
            "section 5.6. The provided follow-up date '2023-11-11T12:12:12.1234+0100' cannot be "
            "parsed as a date according to RFC 3339, section 5.6.",
        ),
        (
            {"dueDate": "2023-11-11T10:10:10.1010+01:00[Europe/Paris]"},
            "The provided due date '2023-11-11T10:10:10.1010+01:00[Europe/Paris]' cannot be "
            "parsed as a date according to RFC 3339, section 5.6.",
        ),
        (
            {"elementInstanceKey": 12345},
            'No update data provided. Provide at least an "action" or a non-null value for a '
            'supported attribute in the "changeset".',
        ),
    ],
)
def test_user_task_changeset_values_are_checked(
    rest: Rest, changeset: dict[str, Any], detail: str
) -> None:
    """UserTaskControllerTest: dates must be RFC 3339 with an offset (OffsetDateTime.parse),
    priority within [0,100], every violation reported; unknown changeset fields are ignored."""
    response = rest.session.patch(
        f"{rest.base}/user-tasks/1", json={"changeset": changeset}, timeout=10
    )
    assert problem(response)["detail"] == detail


@pytest.mark.parametrize(
    ("path", "request_body", "operation"),
    [
        ("/process-instances", {"processDefinitionId": "p"}, "Create Process Instance"),
        ("/messages/publication", {"name": "m"}, "Publish Message"),
        ("/messages/correlation", {"name": "m"}, "Correlate Message"),
        ("/signals/broadcast", {"signalName": "s"}, "Broadcast Signal"),
    ],
)
def test_a_tenant_is_rejected_while_multi_tenancy_is_disabled(
    rest: Rest, path: str, request_body: dict[str, Any], operation: str
) -> None:
    """MultiTenancyValidator.validateTenantId: a tenant other than `<default>` is a 400 naming
    the REST command."""
    body = problem(rest.post(path, {**request_body, "tenantId": "acme"}))
    assert body["detail"] == (
        f"Expected to handle request {operation} with tenant identifier 'acme', "
        "but multi-tenancy is disabled"
    )


def test_job_activation_names_every_foreign_tenant(rest: Rest) -> None:
    """JobControllerTest: several tenants are listed as `identifiers [a, b]`."""
    request = {"type": "t", "timeout": 1, "maxJobsToActivate": 1, "tenantIds": ["a", "b"]}
    assert problem(rest.post("/jobs/activation", request))["detail"] == (
        "Expected to handle request Activate Jobs with tenant identifiers [a, b], "
        "but multi-tenancy is disabled"
    )


def test_the_default_tenant_is_accepted(rest: Rest) -> None:
    """With multi-tenancy disabled `<default>` (or no tenant) is the tenant of every resource."""
    response = rest.post("/messages/publication", {"name": "m", "tenantId": "<default>"})
    assert response.status_code == 200 and response.json()["tenantId"] == "<default>"


def test_no_content_answers_carry_no_content_type(rest: Rest) -> None:
    """204 answers have no body and so no media type."""
    rest.deploy(("one.bpmn", ONE_TASK))
    created = rest.create("pay-order")
    response = rest.post(f"/process-instances/{created['processInstanceKey']}/cancellation")
    assert response.status_code == 204 and response.content == b""
    assert "content-type" not in response.headers


@pytest.mark.parametrize(
    ("page", "detail"),
    [
        ({"after": "a", "before": "b"}, "Both after and before cannot be set at the same time."),
        ({"from": 1, "after": "a"}, "Both after/before and from cannot be set at the same time."),
    ],
)
def test_conflicting_page_cursors_are_rejected(
    rest: Rest, page: dict[str, Any], detail: str
) -> None:
    """SearchQueryPage: offset (`from`) or one cursor (`after` | `before`), never two."""
    response = rest.post("/process-instances/search", {"page": page})
    assert problem(response)["detail"] == detail


def test_a_deployment_without_resources_is_a_missing_part(rest: Rest) -> None:
    """`resources` is a required multipart part: Spring's MissingServletRequestPartException."""
    files = [("other", ("x.bpmn", b"x", "application/xml"))]
    body = problem(rest.session.post(f"{rest.base}/deployments", files=files, timeout=10))
    assert (body["title"], body["detail"]) == (
        "Bad Request",
        "Required part 'resources' is not present.",
    )


def test_unknown_routes_and_methods_are_springs_problems(rest: Rest) -> None:
    """Spring answers unknown paths 404 "Not Found" and wrong methods 405 "Method Not
    Allowed", both as problem+json."""
    missing = problem(rest.get("/no/such/route"), 404)
    assert (missing["title"], missing["detail"]) == (
        "Not Found",
        "No static resource v2/no/such/route.",
    )
    wrong = problem(rest.session.delete(f"{rest.base}/topology", timeout=10), 405)
    assert (wrong["title"], wrong["detail"]) == (
        "Method Not Allowed",
        "Method 'DELETE' is not supported.",
    )


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/process-instances/abc", "processInstanceKey"),
        ("/process-definitions/abc/xml", "processDefinitionKey"),
        ("/element-instances/abc", "elementInstanceKey"),
        ("/incidents/abc", "incidentKey"),
        ("/jobs/abc", "jobKey"),
        ("/variables/abc", "variableKey"),
        ("/decision-definitions/abc", "decisionDefinitionKey"),
        ("/decision-requirements/abc/xml", "decisionRequirementsKey"),
    ],
)
def test_a_malformed_path_key_names_its_parameter(rest: Rest, path: str, name: str) -> None:
    """Path keys are numeric; the 400 names the path parameter as the reference does."""
    body = problem(rest.get(path))
    assert body["detail"].startswith(f"The provided {name} 'abc' is not a valid key.")
