"""Zeebe gRPC gateway protocol (8.7) served on top of the broker."""
