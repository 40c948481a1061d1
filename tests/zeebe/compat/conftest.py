"""Compatibility suites: real clients against the real embedded engine."""

from __future__ import annotations
