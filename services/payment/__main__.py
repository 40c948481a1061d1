"""`python -m services.payment`: serve the payment service (werkzeug, threaded)."""

from __future__ import annotations

from werkzeug.serving import run_simple

from services.payment.app import PaymentConfig, create_app


def main() -> None:
    """Run until interrupted.

    The outbox relay is a separate process: `python -m services.common.relay --service payment`.
    """
    config = PaymentConfig.from_env()
    run_simple(config.host, config.port, create_app(config), threaded=True)


if __name__ == "__main__":
    main()
