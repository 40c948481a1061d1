"""`python -m services.pricing`: serve on $PRICING_PORT (default 8002)."""

from __future__ import annotations

import os

from services.common.serve import env_int, serve
from services.pricing.app import DEFAULT_TAX_RATE_BPS, create_app


def main() -> None:
    """Serve until interrupted; $PRICING_TAX_RATE_BPS sets the tax rate."""
    tax = env_int(os.environ, "PRICING_TAX_RATE_BPS", DEFAULT_TAX_RATE_BPS)
    serve("pricing", create_app, default_port=8002, extra={"TAX_RATE_BPS": tax})


if __name__ == "__main__":
    main()
