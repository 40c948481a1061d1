"""`python -m services.cart.relay`: relay the cart outbox to Kafka."""

from __future__ import annotations

import sys

from services.common.relay import main

if __name__ == "__main__":
    sys.exit(main(["--service", "cart", *sys.argv[1:]]))
