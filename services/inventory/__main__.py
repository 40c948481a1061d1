"""`python -m services.inventory`: serve on $INVENTORY_PORT (default 8004)."""

from __future__ import annotations

from services.common.serve import serve
from services.inventory.app import create_app


def main() -> None:
    """Serve until interrupted."""
    serve("inventory", create_app, default_port=8004)


if __name__ == "__main__":
    main()
