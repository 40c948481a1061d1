"""`python -m services.order`: serve the order service (werkzeug, threaded)."""

from __future__ import annotations

from services.common.serve import serve_wsgi
from services.order.app import OrderConfig, create_app


def main() -> None:
    """Run until interrupted; the outbox relay is `python -m services.order.relay`."""
    config = OrderConfig.from_env()
    serve_wsgi(create_app(config), config.host, config.port)


if __name__ == "__main__":
    main()
