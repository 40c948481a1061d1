"""Flask microservices of the checkout saga; `services.kit` holds shared logging and config."""
