"""Payment provider simulator: stands in for an external PSP with failure and latency knobs."""

from __future__ import annotations

from services.psp.app import PspConfig, PspRuntime, create_app

__all__ = ["PspConfig", "PspRuntime", "create_app"]
