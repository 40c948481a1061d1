"""HTTP client of the payment provider (the simulator in services/psp, or a real PSP adapter)."""

from __future__ import annotations

from typing import Any, Protocol

import requests


class PspUnavailableError(Exception):
    """The PSP did not answer in time or failed technically: the outcome is unknown."""


class PspPort(Protocol):
    """What the payment service needs from a PSP."""

    def charge(
        self, *, reference: str, amount: int, currency: str, card_token: str, callback_url: str
    ) -> dict[str, Any]:
        """Charge once per reference; return the charge (status approved|pending|declined)."""
        ...

    def refund(self, reference: str) -> dict[str, Any] | None:
        """Refund the reference's charge once; None if the PSP has no charge under it."""
        ...


class HttpPsp:
    """PspPort over HTTP with a hard timeout: a slow PSP is an unknown outcome, not a wait."""

    def __init__(self, base_url: str, *, timeout_s: float) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s
        self._session = requests.Session()

    def charge(
        self, *, reference: str, amount: int, currency: str, card_token: str, callback_url: str
    ) -> dict[str, Any]:
        """POST /charges with the idempotency key as reference."""
        body = {
            "reference": reference,
            "amount": amount,
            "currency": currency,
            "card_token": card_token,
            "callback_url": callback_url,
        }
        response = self._post("/charges", body)
        if response.status_code not in (200, 201):
            raise PspUnavailableError(f"PSP charge answered {response.status_code}")
        return dict(response.json())

    def refund(self, reference: str) -> dict[str, Any] | None:
        """POST /refunds by reference."""
        response = self._post("/refunds", {"reference": reference})
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise PspUnavailableError(f"PSP refund answered {response.status_code}")
        return dict(response.json())

    def _post(self, path: str, body: dict[str, Any]) -> requests.Response:
        try:
            return self._session.post(self._base_url + path, json=body, timeout=self._timeout_s)
        except requests.RequestException as error:
            raise PspUnavailableError(f"PSP {path} failed: {error}") from error
