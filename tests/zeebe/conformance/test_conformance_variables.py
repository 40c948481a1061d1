"""Variable scopes, mappings and propagation (spec 2.4, 5.2, 5.3, 1.2 SetVariables)."""

from __future__ import annotations

import json

import pytest
from conformance_support import Gateway, scope_variables
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import Message, ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


async def test_job_result_without_output_mapping_is_created_at_root(gateway: Gateway) -> None:
    """Spec 5.2: "If no scope contains this variable, it's created as a new variable in the root
    scope" (also from inside an embedded subprocess)."""
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .sub_process("sub")
        .start("sub_start")
        .service_task("task", type="conf.var")
        .end("sub_end")
        .sub_process_end()
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-var")
    await gateway.complete(await gateway.activate_one("conf.var"), {"result": 42})
    gateway.engine.assert_that(key).is_completed().has_variables({"result": 42})
    (sub_key,) = gateway.element_keys(key, "sub", "ELEMENT_COMPLETED")
    assert "result" not in gateway.scope_variables(sub_key)


async def test_propagation_stops_at_the_first_scope_holding_the_name(gateway: Gateway) -> None:
    """Spec 5.2: "The propagation ends when a scope contains a variable with the same name. In
    this case, the variable value is updated." A subprocess-local is updated and then discarded."""
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .sub_process("sub", inputs=[("= 0", "x")])
        .start("sub_start")
        .service_task("task", type="conf.var")
        .end("sub_end")
        .sub_process_end()
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-var", {"x": -1})
    await gateway.complete(await gateway.activate_one("conf.var"), {"x": 5})
    gateway.engine.assert_that(key).is_completed()
    (sub_key,) = gateway.element_keys(key, "sub", "ELEMENT_COMPLETED")
    assert gateway.scope_variables(sub_key)["x"] == 5
    assert gateway.scope_variables(key)["x"] == -1


async def test_input_mapped_local_captures_same_named_job_result(gateway: Gateway) -> None:
    """Spec 2.4: "a local variable created by an input mapping on the task captures a same-named
    result variable, which is then discarded with the task scope"."""
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .service_task("task", type="conf.var", inputs=[("= 1", "status")])
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-var", {"status": "old"})
    await gateway.complete(await gateway.activate_one("conf.var"), {"status": "new", "other": 1})
    gateway.engine.assert_that(key).is_completed().has_variables({"status": "old", "other": 1})


async def test_output_mapping_propagates_only_mapped_variables(gateway: Gateway) -> None:
    """Spec 5.3: "If there is no mapping for a job/message variable, the variable is not
    merged"; example output `=result.status` -> `paymentStatus`."""
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .service_task("task", type="conf.var", outputs=[("= result.status", "paymentStatus")])
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-var")
    job = await gateway.activate_one("conf.var")
    await gateway.complete(job, {"result": {"status": "PAID"}, "noise": 1})
    gateway.engine.assert_that(key).is_completed().has_variables({"paymentStatus": "PAID"})
    root = gateway.scope_variables(key)
    assert "result" not in root and "noise" not in root


async def test_output_mapping_sees_previous_mapping_target(gateway: Gateway) -> None:
    """Spec 5.3: "Variable mappings are evaluated in the defined order. Therefore, a `source`
    expression can access the target variable of a previous mapping." """
    outputs = [("= a * 2", "double"), ("= double + 1", "next")]
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .service_task("task", type="conf.var", outputs=outputs)
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-var")
    await gateway.complete(await gateway.activate_one("conf.var"), {"a": 5})
    gateway.engine.assert_that(key).is_completed().has_variables({"double": 10, "next": 11})


async def test_input_mapping_nested_targets_build_an_object(gateway: Gateway) -> None:
    """Spec 5.3 example: input `=customer` -> `sender.name`, `=iban` -> `sender.iban` gives
    `sender: {"name": "John", "iban": "DE456"}`."""
    inputs = [("= customer", "sender.name"), ("= iban", "sender.iban")]
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .service_task("task", type="conf.var", inputs=inputs)
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    await gateway.start("conf-var", {"customer": "John", "iban": "DE456"})
    job = await gateway.activate_one("conf.var", fetch=["sender"])
    assert json.loads(job.variables) == {"sender": {"name": "John", "iban": "DE456"}}


async def test_output_mapping_nested_target_merges_the_leaf(gateway: Gateway) -> None:
    """Spec 5.3: "Output mappings write only the final property (the leaf) of the `target` path
    and merge it into the existing structure, preserving sibling properties"."""
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .service_task("task", type="conf.var", outputs=[("= code", "order.status")])
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-var", {"order": {"id": 7, "status": "NEW"}})
    await gateway.complete(await gateway.activate_one("conf.var"), {"code": "PAID"})
    gateway.engine.assert_that(key).is_completed()
    assert gateway.scope_variables(key)["order"] == {"id": 7, "status": "PAID"}


async def test_missing_source_variable_maps_to_null(gateway: Gateway) -> None:
    """Spec 5.3: "If the variable or the nested property doesn't exist, it uses `null` as the
    value." """
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .service_task("task", type="conf.var", inputs=[("= missing.deep", "copy")])
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    await gateway.start("conf-var")
    job = await gateway.activate_one("conf.var", fetch=["copy"])
    assert json.loads(job.variables) == {"copy": None}


async def test_subprocess_output_mapping_propagates_its_locals(gateway: Gateway) -> None:
    """Spec 5.3: subprocess "output mappings can be used to propagate local variables of the
    subprocess to higher scopes. By default, all local variables are removed"."""
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .sub_process(
            "sub", inputs=[("= 1", "kept"), ("= 2", "dropped")], outputs=[("= kept", "out")]
        )
        .start("sub_start")
        .end("sub_end")
        .sub_process_end()
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-var")
    gateway.engine.assert_that(key).is_completed().has_variables({"out": 1})
    root = gateway.scope_variables(key)
    assert "kept" not in root and "dropped" not in root


async def test_set_variables_local_stays_in_the_scope(gateway: Gateway) -> None:
    """Spec 1.2 SetVariables `local`: "if true, the variables will be merged strictly into the
    local scope ... the variables is not propagated to upper scopes"."""
    xml = ProcessBuilder("conf-var").start().service_task("task", type="conf.var").end().to_xml()
    await gateway.deploy(xml)
    key = await gateway.start("conf-var", {"foo": 2})
    job = await gateway.activate_one("conf.var")
    request = pb.SetVariablesRequest(
        elementInstanceKey=job.elementInstanceKey, variables='{"foo": 5}', local=True
    )
    await gateway.stub.SetVariables(request)
    assert gateway.wait(lambda rs: scope_variables(rs, job.elementInstanceKey).get("foo") == 5)
    assert gateway.scope_variables(key)["foo"] == 2


async def test_set_variables_non_local_updates_the_owning_scope(gateway: Gateway) -> None:
    """Spec 1.2 SetVariables example: "local=false -> scope 1 becomes {foo:5}" (propagation from
    the given scope to the scope that holds the name)."""
    xml = ProcessBuilder("conf-var").start().service_task("task", type="conf.var").end().to_xml()
    await gateway.deploy(xml)
    key = await gateway.start("conf-var", {"foo": 2})
    job = await gateway.activate_one("conf.var")
    request = pb.SetVariablesRequest(
        elementInstanceKey=job.elementInstanceKey, variables='{"foo": 5, "bar": 1}', local=False
    )
    await gateway.stub.SetVariables(request)
    assert gateway.wait(lambda rs: scope_variables(rs, key) == {"foo": 5, "bar": 1})
    assert gateway.scope_variables(job.elementInstanceKey) == {}


async def test_message_payload_without_mapping_propagates_to_root(gateway: Gateway) -> None:
    """Spec 5.2: catch events propagate "The correlated event payload (message, signal, timer, or
    conditional), or the mapped variables if an output mapping is defined"."""
    xml = (
        ProcessBuilder("conf-var")
        .start()
        .intermediate_catch("wait", event=Message("paid", "= orderId"))
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-var", {"orderId": "o-1"})
    await gateway.publish("paid", "o-1", ttl_ms=10_000, variables={"amount": 9})
    gateway.engine.assert_that(key).is_completed().has_variables({"amount": 9})


async def test_call_activity_copies_parent_variables_and_returns_child_root(
    gateway: Gateway,
) -> None:
    """Spec 5.4: `propagateAllParentVariables` default true copies all visible variables;
    `propagateAllChildVariables` "engine/model default `true` when absent"."""
    child = (
        ProcessBuilder("conf-child").start().service_task("ct", type="conf.child").end().to_xml()
    )
    parent = (
        ProcessBuilder("conf-parent")
        .start()
        .call_activity("call", process_id="conf-child")
        .end()
        .to_xml()
    )
    await gateway.deploy(child, parent, names=["child.bpmn", "parent.bpmn"])
    key = await gateway.start("conf-parent", {"p": 1})
    job = await gateway.activate_one("conf.child")
    assert json.loads(job.variables) == {"p": 1}
    await gateway.complete(job, {"c": 2})
    gateway.engine.assert_that(key).is_completed().has_variables({"p": 1, "c": 2})


async def test_call_activity_child_propagation_disabled_discards_child_variables(
    gateway: Gateway,
) -> None:
    """Spec 5.4: with `propagateAllChildVariables="false"` and no output mapping the child's
    variables are not propagated ("the child process variables are discarded")."""
    child = (
        ProcessBuilder("conf-child").start().service_task("ct", type="conf.child").end().to_xml()
    )
    parent = (
        ProcessBuilder("conf-parent")
        .start()
        .call_activity("call", process_id="conf-child", propagate_all_child_variables=False)
        .end()
        .to_xml()
    )
    await gateway.deploy(child, parent, names=["child.bpmn", "parent.bpmn"])
    key = await gateway.start("conf-parent", {"p": 1})
    await gateway.complete(await gateway.activate_one("conf.child"), {"c": 2})
    gateway.engine.assert_that(key).is_completed()
    assert "c" not in gateway.scope_variables(key)
