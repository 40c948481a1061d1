"""Typed access to a JSON request body: wrong types are 400 problems naming the field."""

from __future__ import annotations

import re
from typing import Any

from flask import request

from zeebe.http.rest.problems import ProblemError, bad_request, unreadable_body

_KEY = re.compile(r"^-?[0-9]+$")
_MISSING = object()
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1  # keys are Java longs
DEFAULT_TENANT = "<default>"


def parse_key(text: Any, name: str) -> int:
    """A key from JSON or the path: a string of digits or an integer within a Java long (spec
    8.1); anything else is Camunda's ERROR_MESSAGE_INVALID_KEY_FORMAT."""
    value: int | None = None
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    elif isinstance(text, str) and _KEY.match(text):
        value = int(text)
    if value is None or not LONG_MIN <= value <= LONG_MAX:
        raise bad_request(
            f"The provided {name} '{text}' is not a valid key. Expected a numeric value. "
            "Did you pass an entity id instead of an entity key?"
        )
    return value


def check_rest_tenants(operation: str, tenant_ids: list[str]) -> str:
    """MultiTenancyValidator with multi-tenancy disabled: a blank tenant or `<default>` only;
    `operation` is the REST command name ("Create Process Instance")."""
    foreign = [tenant for tenant in tenant_ids if tenant.strip() and tenant != DEFAULT_TENANT]
    if not foreign:
        return DEFAULT_TENANT
    which = (
        f"identifier '{tenant_ids[0]}'"
        if len(tenant_ids) == 1
        else f"identifiers [{', '.join(tenant_ids)}]"
    )
    # no trailing period: the REST gateway builds this problem without createProblemDetail
    raise ProblemError(
        400,
        "INVALID_ARGUMENT",
        f"Expected to handle request {operation} with tenant {which}, "
        "but multi-tenancy is disabled",
    )


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
            raise unreadable_body("Required request body is missing")
        try:
            data = request.get_json(force=True, silent=False)
        except Exception as error:  # werkzeug raises BadRequest subclasses for bad JSON
            raise unreadable_body("Failed to read request") from error
        if not isinstance(data, dict):
            raise unreadable_body("Failed to read request")
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

    def operation_reference(self) -> int | None:
        """`operationReference` (optional, > 0), as RequestValidator.validateOperationReference."""
        value = self._get("operationReference", False)
        if value is _MISSING:
            return None
        reference = self.integer("operationReference")
        if reference < 1:
            raise bad_request(f"The value for operationReference is '{reference}' but must be > 0")
        return reference

    def tenant(self, operation: str) -> str:
        """`tenantId` (multi-tenancy disabled: blank or `<default>`); `operation` is the REST
        command name used in the problem ("Publish Message")."""
        return check_rest_tenants(operation, [self.string("tenantId")])

    def tenants(self, operation: str) -> list[str]:
        """`tenantIds` of job activation, checked as `tenant`."""
        return [check_rest_tenants(operation, self.strings("tenantIds"))]
