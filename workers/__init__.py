"""pyzeebe job workers for the checkout saga: one router per service, built from the contract."""

from __future__ import annotations

from workers.app import WorkerApp, create_worker
from workers.config import WorkerConfig

__all__ = ["WorkerApp", "WorkerConfig", "create_worker"]
