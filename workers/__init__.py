"""pyzeebe job workers for the checkout saga: one router per service, built from the contract."""
