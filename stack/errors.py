"""Errors the stack manager reports to people: each message says what happened and what to do."""

from __future__ import annotations


class StackError(Exception):
    """A problem starting or stopping the local stack, with a message meant for the user."""


class ConfigError(StackError):
    """A bad setting (environment variable or flag)."""


class PortInUseError(StackError):
    """A port the stack needs is taken by a process the stack did not start."""


class MissingBinaryError(StackError):
    """A program or download the stack needs (java, initdb, ferretdb, Kafka jars) is absent."""


class ServerExitedError(StackError):
    """A server process exited while the stack waited for it to become healthy."""


class StartTimeoutError(StackError):
    """A server kept running but never passed its health check in time."""
