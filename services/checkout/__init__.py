"""Checkout API: the shop-facing entry point that starts checkout sagas and reports their status."""
