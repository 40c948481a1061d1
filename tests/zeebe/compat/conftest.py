"""Compatibility suites: real clients against the real embedded engine."""

from __future__ import annotations

from zeebe.testing.plugin import embedded_zeebe, zeebe_client, zeebe_engine, zeebe_engine_factory

__all__ = ["embedded_zeebe", "zeebe_client", "zeebe_engine", "zeebe_engine_factory"]
