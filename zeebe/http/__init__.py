"""HTTP side of the engine: metrics and health; REST /v2 and the dashboard join as blueprints."""

from __future__ import annotations

from zeebe.http.app import create_app
from zeebe.http.server import HttpServer, start_http_server

__all__ = ["HttpServer", "create_app", "start_http_server"]
