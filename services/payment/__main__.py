"""`python -m services.payment`: serve the payment service (werkzeug, threaded)."""

from __future__ import annotations

from services.common.serve import serve_wsgi
from services.payment.app import PaymentConfig, create_app


def main() -> None:
    """Run until interrupted.

    The outbox relay is a separate process: `python -m services.common.relay --service payment`.
    """
    config = PaymentConfig.from_env()
    serve_wsgi(create_app(config), config.host, config.port)


if __name__ == "__main__":
    main()
