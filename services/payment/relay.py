"""`python -m services.payment.relay`: relay the payment outbox to Kafka topic `payment.events`."""

from __future__ import annotations

import sys

from services.common.relay import main

if __name__ == "__main__":
    sys.exit(main(["--service", "payment", *sys.argv[1:]]))
