"""`python -m services.order`: serve the order service (werkzeug, threaded)."""

from __future__ import annotations

from werkzeug.serving import run_simple

from services.order.app import OrderConfig, create_app


def main() -> None:
    """Run until interrupted; the outbox relay is `python -m services.order.relay`."""
    config = OrderConfig.from_env()
    run_simple(config.host, config.port, create_app(config), threaded=True)


if __name__ == "__main__":
    main()
