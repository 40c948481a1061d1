"""Inventory service: stock levels and all-or-nothing allocations."""
