"""Pricing service: catalog prices, coupons, tax and quotes."""
