"""`python -m demo`: seed data and run the checkout scenarios against a running system.

Start the system first: `python -m stack up` and `python -m demo.supervisor` (same STACK_*
environment). Prints one line per scenario as it ends, then the table.
"""

from __future__ import annotations

import os

from demo.scenarios import Outcome, run_all, table
from demo.supervisor import endpoints_from_env


def _progress(outcome: Outcome) -> None:
    print(f"{outcome.scenario}: {outcome.status}", flush=True)


def main() -> int:
    """Run every scenario and print the outcomes table."""
    outcomes = run_all(endpoints_from_env(os.environ), report=_progress)
    print()
    print(table(outcomes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
