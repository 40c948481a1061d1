"""The HTTP transport of a ``ServiceClient``: one urllib3 keep-alive pool per service.

Why urllib3 and not a ``requests.Session``: requests is a layer over urllib3 whose per-call work
(proxy and ``.netrc`` lookups in the environment, cookie jar, hooks, adapter selection) cost
~0.4-0.6 ms of client CPU per call on this machine (`benchmarks/bench_http_client.py`), and a
checkout makes seven service calls from the workers; here there is nothing to merge from the
environment: the services are reached directly, on one origin each.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import urllib3
from urllib3.exceptions import HTTPError

__all__ = ["OriginTransport", "Reply", "TransportError"]


class TransportError(Exception):
    """The call did not get an HTTP answer (connect, timeout, protocol): a transient fault."""


@dataclass(frozen=True)
class Reply:
    """A whole HTTP answer: status and body (read before the connection went back to the pool)."""

    status_code: int
    body: bytes

    def json(self) -> Any:
        """The decoded JSON body; ``ValueError`` when it is not JSON."""
        return jsonlib.loads(self.body)


class OriginTransport:
    """POSTs JSON to one origin (``scheme://host:port``) over `pool_size` kept-alive connections.

    Connections beyond `pool_size` are opened when all are busy and closed after their call
    (``block=False``); urllib3 does not retry or follow redirects here: the client's tenacity
    policy owns retries, and a redirect from a saga service would be a bug to surface.
    """

    def __init__(self, base_url: str, pool_size: int) -> None:
        self._origin = base_url.rstrip("/")
        self._pool = urllib3.connection_from_url(
            self._origin, maxsize=pool_size, block=False, retries=False
        )

    def post(self, url: str, *, json: Any, headers: Mapping[str, str], timeout: float) -> Reply:
        """POST `json` to `url` (on this origin) with `headers`; `timeout` for connect and read."""
        if not url.startswith(self._origin + "/"):
            raise ValueError(f"{url} is not on {self._origin}")
        body = jsonlib.dumps(json).encode()
        try:
            response = self._pool.urlopen(
                "POST",
                url[len(self._origin) :],
                body=body,
                headers={"Content-Type": "application/json", **headers},
                timeout=timeout,
                retries=False,
                redirect=False,
            )
        except HTTPError as error:
            raise TransportError(f"{type(error).__name__}: {error}") from error
        return Reply(response.status, response.data)

    def close(self) -> None:
        """Close the pooled connections."""
        self._pool.close()
