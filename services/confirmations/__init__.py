"""Payment-confirmation bridge: `payment.events` on Kafka -> Zeebe message `payment-confirmed`."""
