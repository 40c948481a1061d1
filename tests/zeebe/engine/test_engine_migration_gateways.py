"""Process instance migration of joining parallel and inclusive gateways (Camunda 8.8 docs,
process instance migration, "Migrating joining parallel and inclusive gateways": "Joining
parallel and inclusive gateways with taken incoming sequence flows, and which are still waiting
for more incoming sequence flows, require a mapping instruction similar to active elements";
"The joining gateway in the process instance must be mapped to the target gateway"; "The target
gateway must have at least the same number of incoming sequence flows as the source gateway";
the example maps the taken sequence flow `flow1` to `flow2`). Rejection texts are those of
camunda/camunda `MigrateParallelGatewayTest` (INVALID_ARGUMENT).
"""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, flow
from test_engine_execution_listeners import listeners
from test_engine_migration import PREFIX, migrate, rejected, started
from test_engine_replay import replayed

from zeebe.records import RejectionType, ValueType
from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = pytest.mark.unit

PI = ValueType.PROCESS_INSTANCE


def joining(
    process_id: str,
    join: str,
    branches: tuple[str, ...],
    *,
    after: str = "",
    inclusive: bool = False,
) -> bytes:
    """start -> fork -> one service task per branch (job type = its id) -> `join` [-> service
    task `after`] -> end. Flow ids are "Flow_<source>_<target>"."""
    builder = ProcessBuilder(process_id).start()
    gateway = builder.inclusive_gateway if inclusive else builder.parallel_gateway
    gateway("fork")
    for index, branch in enumerate(branches):
        if inclusive:
            builder.condition("= true")
        builder.service_task(branch, type=branch)
        if index == 0:
            (builder.inclusive_gateway if inclusive else builder.parallel_gateway)(join)
            if after:
                builder.service_task(after, type=after)
            builder.end("done")
        else:
            builder.connect_to(join)
        builder.move_to("fork")
    return builder.to_xml()


def first_branch_done(source: bytes, target: bytes) -> tuple[Driver, int, int]:
    """Start the source and complete task "t1": its token waits at the join."""
    driver, pi, target_key = started(source, target)
    driver.complete(driver.job("t1")["key"])
    return driver, pi, target_key


def test_taken_flow_moves_to_the_mapped_flow_and_the_target_join_fires() -> None:
    """The join and its taken flow are mapped: SEQUENCE_FLOW_DELETED for the source flow, then
    SEQUENCE_FLOW_TAKEN for the target flow, after the process ELEMENT_MIGRATED; completing the
    other branch activates the target join, which goes on with the target's flows."""
    source = joining("order", "join1", ("t1", "t2"))
    target = joining("order2", "join2", ("t1", "t3"), after="next")
    driver, pi, target_key = first_branch_done(source, target)
    mapping = (("t2", "t3"), ("join1", "join2"), ("Flow_t1_join1", "Flow_t1_join2"))
    result = migrate(driver, pi, target_key, *mapping)
    assert result.rejection is None
    written = [(r.intent, r.value["elementId"]) for r in result.records if r.value_type is PI]
    assert written[:3] == [
        ("ELEMENT_MIGRATED", "order2"),
        ("SEQUENCE_FLOW_DELETED", "Flow_t1_join1"),
        ("SEQUENCE_FLOW_TAKEN", "Flow_t1_join2"),
    ]
    deleted, taken = (r for r in result.records if r.intent.startswith("SEQUENCE_FLOW"))
    assert (deleted.value["bpmnElementType"], deleted.value["flowScopeKey"]) == (
        "SEQUENCE_FLOW",
        pi,
    )
    assert (taken.value["processDefinitionKey"], taken.value["bpmnProcessId"]) == (
        target_key,
        "order2",
    )
    driver.complete(driver.job("t2")["key"])
    assert ("join2", "ELEMENT_COMPLETED") in driver.element_events(pi)
    assert driver.job("next")["processDefinitionKey"] == target_key


def test_a_taken_flow_with_the_same_id_needs_no_mapping() -> None:
    """Without an instruction for the flow, the target flow with the same id is taken when it
    flows into the mapped gateway (Zeebe's joining gateway tests map only the join)."""
    source = joining("order", "join", ("t1", "t2"))
    target = joining("order2", "join", ("t1", "t2"), after="next")
    driver, pi, target_key = first_branch_done(source, target)
    assert migrate(driver, pi, target_key, ("t2", "t2"), ("join", "join")).rejection is None
    driver.complete(driver.job("t2")["key"])
    assert driver.job("next")["processDefinitionKey"] == target_key


def test_unmapped_join_with_a_taken_flow_is_rejected() -> None:
    """INVALID_ARGUMENT: "Joining gateways with at least one incoming sequence flow taken must
    be mapped to a gateway of the same type"; nothing is written."""
    source = joining("order", "join1", ("t1", "t2"))
    driver, pi, target_key = first_branch_done(source, joining("order2", "join2", ("t1", "t2")))
    rejection = rejected(migrate(driver, pi, target_key, ("t2", "t2")))
    assert rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejection.reason == (
        PREFIX.format(pi) + "gateway 'join1' has at least one incoming sequence flow taken. "
        "Joining gateways with at least one incoming sequence flow taken must be mapped to a "
        "gateway of the same type in the target process definition."
    )
    assert driver.events(PI, "ELEMENT_MIGRATED") == []


def test_join_mapped_to_another_gateway_type_is_rejected() -> None:
    """INVALID_ARGUMENT with the element type text: a parallel join mapped to an inclusive one."""
    source = joining("order", "join1", ("t1", "t2"))
    target = joining("order2", "join2", ("t1", "t2"), inclusive=True)
    driver, pi, target_key = first_branch_done(source, target)
    rejection = rejected(migrate(driver, pi, target_key, ("t2", "t2"), ("join1", "join2")))
    assert rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'join1' and type 'PARALLEL_GATEWAY' is "
        "mapped to an element with id 'join2' and different type 'INCLUSIVE_GATEWAY'. Elements "
        "must be mapped to elements of the same type."
    )


def test_target_join_with_fewer_incoming_flows_is_rejected() -> None:
    """INVALID_ARGUMENT: "Target gateway must have at least the same number of incoming
    sequence flows as the source gateway"."""
    source = joining("order", "join1", ("t1", "t2", "t3"))
    target = joining("order2", "join2", ("t1", "t2"))
    driver, pi, target_key = first_branch_done(source, target)
    mapping = (("t2", "t2"), ("t3", "t2"), ("join1", "join2"))
    rejection = rejected(migrate(driver, pi, target_key, *mapping))
    assert rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejection.reason == (
        PREFIX.format(pi) + "target gateway with id 'join2' has less incoming sequence flows "
        "than the source gateway with id 'join1'. Target gateway must have at least the same "
        "number of incoming sequence flows as the source gateway."
    )


def test_taken_flow_that_does_not_reach_the_target_join_is_rejected() -> None:
    """INVALID_ARGUMENT: the taken flow has no target flow into the mapped gateway (its id is
    gone and no instruction maps it)."""
    source = joining("order", "join1", ("t1", "t2"))
    driver, pi, target_key = first_branch_done(source, joining("order2", "join2", ("t1", "t2")))
    rejection = rejected(migrate(driver, pi, target_key, ("t2", "t2"), ("join1", "join2")))
    assert rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejection.reason == (
        PREFIX.format(pi) + "gateway with id 'join1' has a taken incoming sequence flow "
        "mismatch. Taken sequence flow with id 'Flow_t1_join1' must connect to the mapped "
        "target gateway with id 'join2' in the target process definition."
    )


def test_joining_inclusive_gateway_is_migrated() -> None:
    """The same rules for an inclusive join: its taken flow moves, the other branch's
    completion fires the target join."""
    source = joining("order", "join1", ("t1", "t2"), inclusive=True)
    target = joining("order2", "join2", ("t1", "t2"), after="next", inclusive=True)
    driver, pi, target_key = first_branch_done(source, target)
    mapping = (("t2", "t2"), ("join1", "join2"), ("Flow_t1_join1", "Flow_t1_join2"))
    assert migrate(driver, pi, target_key, *mapping).rejection is None
    driver.complete(driver.job("t2")["key"])
    assert driver.job("next")["processDefinitionKey"] == target_key


def test_join_inside_a_subprocess_is_migrated_with_its_subprocess() -> None:
    """The subprocess instance holds the taken flows; they move when it is migrated."""

    def model(process_id: str, sub: str, join: str) -> bytes:
        builder = (
            ProcessBuilder(process_id).start().sub_process(sub).start("s").parallel_gateway("fork")
        )
        builder.service_task("t1", type="t1").parallel_gateway(join).end("sub_end")
        builder.move_to("fork").service_task("t2", type="t2").connect_to(join)
        return builder.sub_process_end().service_task("next", type="next").end().to_xml()

    driver, pi, target_key = first_branch_done(
        model("order", "sub1", "join1"), model("order2", "sub2", "join2")
    )
    mapping = (
        ("sub1", "sub2"),
        ("t2", "t2"),
        ("join1", "join2"),
        ("Flow_t1_join1", "Flow_t1_join2"),
    )
    result = migrate(driver, pi, target_key, *mapping)
    assert result.rejection is None
    (taken,) = [r for r in result.records if r.intent == "SEQUENCE_FLOW_TAKEN"]
    sub_key = next(k for k, i in driver.engine.state.instances.items() if i.element_id == "sub2")
    assert taken.value["flowScopeKey"] == sub_key
    driver.complete(driver.job("t2")["key"])
    assert driver.job("next")["processDefinitionKey"] == target_key


def forking(process_id: str, gateway: str, listener_type: str) -> bytes:
    """start -> parallel gateway (one start execution listener) -> two end events."""
    extensions = f"<bpmn:extensionElements>{listeners(('start', listener_type))}"
    body = (
        f'<bpmn:startEvent id="s"/><bpmn:parallelGateway id="{gateway}">{extensions}'
        "</bpmn:extensionElements></bpmn:parallelGateway>"
        '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
    )
    flows = flow("f0", "s", gateway) + flow("f1", gateway, "e1") + flow("f2", gateway, "e2")
    return bpmn(process_id, body + flows)


def test_active_parallel_gateway_with_an_incident_is_migrated() -> None:
    """An active parallel gateway (its start listener's job type failed: an incident) is
    migrated like any active element (camunda/camunda #22128, MigrateParallelGatewayTest
    "shouldMigrateParallelGatewayWithIncident"); resolving the incident runs the target's
    listener and the instance completes on the target."""
    driver = Driver()
    driver.deploy(forking("order", "g1", "= missing"), names=("v1.bpmn",))
    deployed = driver.deploy(forking("order2", "g2", "audit"), names=("v2.bpmn",)).response
    assert deployed is not None
    target_key = int(deployed["deployments"][0]["processDefinitionKey"])
    pi = driver.create("order")
    (incident,) = driver.incidents()
    result = migrate(driver, pi, target_key, ("g1", "g2"))
    assert result.rejection is None
    assert (ValueType.INCIDENT, "MIGRATED") in [(r.value_type, r.intent) for r in result.records]
    driver.resolve(incident["key"])
    listener = driver.job("audit")
    assert listener["elementId"] == "g2"
    driver.complete(listener["key"])
    assert driver.is_completed(pi)


def test_replay_rebuilds_the_moved_join_tokens() -> None:
    """SEQUENCE_FLOW_DELETED and SEQUENCE_FLOW_TAKEN replay to the same taken flows."""
    source = joining("order", "join1", ("t1", "t2"))
    target = joining("order2", "join2", ("t1", "t2"))
    driver, pi, target_key = first_branch_done(source, target)
    mapping = (("t2", "t2"), ("join1", "join2"), ("Flow_t1_join1", "Flow_t1_join2"))
    migrate(driver, pi, target_key, *mapping)
    state = driver.engine.state
    assert state.instances[pi].taken_flows == {"Flow_t1_join2": 1}
    assert replayed(driver.records, driver).state.snapshot() == state.snapshot()
