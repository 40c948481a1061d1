"""Shared by the /v2 and dashboard tests: BPMN fixtures and a small plain-HTTP client."""

from __future__ import annotations

from typing import Any

import requests

from zeebe.testing.bpmn_builder import Error, Message, ProcessBuilder, Signal

ONE_TASK = (
    ProcessBuilder("pay-order", name="Pay order")
    .start()
    .service_task("pay", type="rest.pay", name="Capture payment")
    .end()
    .to_xml()
)
MESSAGE_CATCH = (
    ProcessBuilder("await-confirmation")
    .start()
    .intermediate_catch("confirmed", event=Message("payment-confirmed", "= orderId"))
    .end()
    .to_xml()
)
ERROR_BOUNDARY = (
    ProcessBuilder("charge")
    .start()
    .service_task("capture", type="rest.capture")
    .end("charged")
    .boundary("declined", attached_to="capture", event=Error("DECLINED"))
    .end("failed")
    .to_xml()
)
SIGNAL_START = ProcessBuilder("on-signal").start(event=Signal("go")).end().to_xml()


class Rest:
    """Plain HTTP against one engine's /v2 API (requests, no SDK)."""

    def __init__(self, port: int) -> None:
        self.root = f"http://127.0.0.1:{port}"
        self.base = f"{self.root}/v2"
        self.session = requests.Session()

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        """POST a JSON body (None sends no body)."""
        return self.session.post(self.base + path, json=body, timeout=30, **kwargs)

    def get(self, path: str) -> requests.Response:
        """GET under /v2."""
        return self.session.get(self.base + path, timeout=30)

    def deploy(self, *resources: tuple[str, bytes]) -> dict[str, Any]:
        """multipart deployment of (file name, content) resources; asserts 200."""
        files = [("resources", (name, content, "application/xml")) for name, content in resources]
        response = self.session.post(self.base + "/deployments", files=files, timeout=30)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def create(self, process_id: str, **fields: Any) -> dict[str, Any]:
        """Create an instance of the latest version; asserts 200."""
        response = self.post("/process-instances", {"processDefinitionId": process_id, **fields})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def create_raw(self, process_id: str) -> requests.Response:
        """Create without asserting the outcome."""
        return self.post("/process-instances", {"processDefinitionId": process_id})

    def activate(self, job_type: str, **fields: Any) -> list[dict[str, Any]]:
        """Activate jobs without long polling; asserts 200."""
        request = {
            "type": job_type,
            "timeout": 60_000,
            "maxJobsToActivate": 10,
            "requestTimeout": -1,
            **fields,
        }
        response = self.post("/jobs/activation", request)
        assert response.status_code == 200, response.text
        jobs: list[dict[str, Any]] = response.json()["jobs"]
        return jobs

    def search(self, what: str, body: Any = None) -> dict[str, Any]:
        """POST /v2/{what}/search; asserts 200."""
        response = self.post(f"/{what}/search", body or {})
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result
