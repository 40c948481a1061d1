"""`GET /v2/process-instances/{key}/sequence-flows` after a process instance migration moved a
taken flow of a joining gateway (Camunda 8.8 docs, "Migrating joining parallel and inclusive
gateways"): the engine writes SEQUENCE_FLOW_DELETED for the source flow and SEQUENCE_FLOW_TAKEN
for the mapped flow, and, as camunda/camunda's exporters delete the deleted flow's entry, the
source flow no longer shows as taken.
"""

from __future__ import annotations

import pytest
from rest_support import Rest
from test_migration_rest_88 import complete, deployed, joining, plan

pytestmark = pytest.mark.e2e


def taken_flows(rest: Rest, instance: str) -> list[str]:
    """The elementIds of the instance's taken sequence flows."""
    response = rest.get(f"/process-instances/{instance}/sequence-flows")
    assert response.status_code == 200, response.text
    return sorted(item["elementId"] for item in response.json()["items"])


def test_moved_taken_flow_shows_the_target_flow_not_the_source_flow(rest: Rest) -> None:
    """Before: Flow_t1_join1 is taken. After migrating with join1 -> join2 and
    Flow_t1_join1 -> Flow_t1_join2: Flow_t1_join2 is taken and Flow_t1_join1 is gone."""
    instance, target = deployed(rest, joining("order", "join1"), joining("order2", "join2"))
    complete(rest, "rest.j1")
    assert "Flow_t1_join1" in taken_flows(rest, instance)
    mapping = (("t2", "t2"), ("join1", "join2"), ("Flow_t1_join1", "Flow_t1_join2"))
    response = rest.post(f"/process-instances/{instance}/migration", plan(target, *mapping))
    assert response.status_code == 204, response.text
    flows = taken_flows(rest, instance)
    assert "Flow_t1_join1" not in flows
    assert "Flow_t1_join2" in flows
    # the flows taken before the migration that did not move stay
    assert "Flow_fork_t2" in flows
