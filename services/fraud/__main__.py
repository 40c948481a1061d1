"""`python -m services.fraud`: serve on $FRAUD_PORT (default 8007).

Rules from FRAUD_MAX_AMOUNT (cents) and FRAUD_BLOCKED_CUSTOMERS (comma separated ids); the outbox
relay is `python -m services.common.relay --service fraud`.
"""

from __future__ import annotations

import os

from services.common.serve import serve
from services.fraud.app import create_app
from services.fraud.domain import parse_rules


def main() -> None:
    """Serve until interrupted."""
    try:
        rules = parse_rules(os.environ)
    except ValueError as error:
        raise SystemExit(str(error)) from None
    serve("fraud", create_app, default_port=8007, extra={"RULES": rules})


if __name__ == "__main__":
    main()
