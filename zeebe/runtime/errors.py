"""Errors the broker hands to its callers."""

from __future__ import annotations


class BrokerStoppedError(RuntimeError):
    """The broker is shutting down and accepts no more requests."""


class EngineFailureError(RuntimeError):
    """The engine raised while processing a command (a bug, reported as INTERNAL)."""
