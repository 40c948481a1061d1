"""Typed access to a JSON request body: wrong types are 400 problems naming the field."""

from __future__ import annotations

import re
from typing import Any

from flask import request

from zeebe.gateway.errors import GatewayError
from zeebe.gateway.validation import check_tenant, check_tenants
from zeebe.http.rest.problems import bad_request, gateway_problem

_KEY = re.compile(r"^-?[0-9]+$")
_MISSING = object()


def parse_key(text: Any, name: str) -> int:
    """A key from JSON or the path: a string matching ^-?[0-9]+$ or an integer (spec 8.1)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if isinstance(text, str) and _KEY.match(text):
        return int(text)
    raise bad_request(f"The value for {name} is '{text}' but must be a numeric key (a string)")


class Body:
    """The request's JSON object; accessors validate one field each."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @staticmethod
    def read(*, optional: bool = False) -> Body:
        """Parse the body; empty is `{}` when `optional`; anything but an object is a 400."""
        raw = request.get_data(cache=True)
        if not raw.strip():
            if optional:
                return Body({})
            raise bad_request("Required request body is missing")
        try:
            data = request.get_json(force=True, silent=False)
        except Exception as error:  # werkzeug raises BadRequest subclasses for bad JSON
            raise bad_request(f"Request body is not valid JSON: {error}") from error
        if not isinstance(data, dict):
            raise bad_request("Request body must be a JSON object")
        return Body(data)

    def _get(self, name: str, required: bool) -> Any:
        value = self.data.get(name, _MISSING)
        if value is None:
            value = _MISSING
        if value is _MISSING and required:
            raise bad_request(f"No {name} provided")
        return value

    def string(self, name: str, *, required: bool = False, default: str = "") -> str:
        """A string field (required ones must not be blank)."""
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            raise bad_request(f"The value for {name} is '{value}' but must be a string")
        if required and not value.strip():
            raise bad_request(f"No {name} provided")
        return value

    def integer(self, name: str, *, required: bool = False, default: int = 0) -> int:
        """An integer field (int64 in the spec)."""
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(f"The value for {name} is '{value}' but must be an integer")
        return value

    def boolean(self, name: str, *, default: bool = False) -> bool:
        """A boolean field."""
        value = self._get(name, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            raise bad_request(f"The value for {name} is '{value}' but must be a boolean")
        return value

    def key(self, name: str, *, required: bool = False) -> int | None:
        """A key field: string (or number) of digits."""
        value = self._get(name, required)
        return None if value is _MISSING else parse_key(value, name)

    def document(self, name: str, *, required: bool = False) -> dict[str, Any]:
        """A JSON object field such as `variables` (spec 8.1: objects, not strings)."""
        value = self._get(name, required)
        if value is _MISSING:
            return {}
        if not isinstance(value, dict):
            raise bad_request(f"The value for {name} must be a JSON object")
        return value

    def strings(self, name: str) -> list[str]:
        """A list of strings (fetchVariable, tenantIds, ...)."""
        value = self._get(name, False)
        if value is _MISSING:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad_request(f"The value for {name} must be a list of strings")
        return value

    def tenant(self, operation: str) -> str:
        """`tenantId`, checked as the gRPC gateway does (multi-tenancy disabled)."""
        try:
            return check_tenant(operation, self.string("tenantId"))
        except GatewayError as error:
            raise gateway_problem(error) from error

    def tenants(self, operation: str) -> list[str]:
        """`tenantIds` of job activation, checked as the gRPC gateway does."""
        try:
            return check_tenants(operation, self.strings("tenantIds"))
        except GatewayError as error:
            raise gateway_problem(error) from error
