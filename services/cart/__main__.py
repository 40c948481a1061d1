"""`python -m services.cart`: serve on $CART_PORT (default 8001)."""

from __future__ import annotations

from services.cart.app import create_app
from services.common.serve import serve


def main() -> None:
    """Serve until interrupted."""
    serve("cart", create_app, default_port=8001)


if __name__ == "__main__":
    main()
