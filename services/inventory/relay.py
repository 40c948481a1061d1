"""`python -m services.inventory.relay`: relay the inventory outbox to Kafka."""

from __future__ import annotations

import sys

from services.common.relay import main

if __name__ == "__main__":
    sys.exit(main(["--service", "inventory", *sys.argv[1:]]))
