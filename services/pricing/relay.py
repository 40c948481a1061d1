"""`python -m services.pricing.relay`: relay the pricing outbox to Kafka."""

from __future__ import annotations

import sys

from services.common.relay import main

if __name__ == "__main__":
    sys.exit(main(["--service", "pricing", *sys.argv[1:]]))
