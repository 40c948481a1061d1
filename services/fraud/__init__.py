"""Fraud check service: deterministic rules behind the idempotent operation contract."""
