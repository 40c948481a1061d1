"""Cart service: carts and their checkout reservations."""
