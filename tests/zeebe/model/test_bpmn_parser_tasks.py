"""Parsing tasks and their Zeebe extension elements (spec section 4.2 and section 6)."""

from __future__ import annotations

import pytest
from bpmn_snippets import parse_one

from zeebe.model.elements import (
    CalledElement,
    ElementType,
    EventType,
    Expression,
    LoopCharacteristics,
    Script,
    TaskDefinition,
    VariableMapping,
)

pytestmark = pytest.mark.unit

FLOW = """
<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{task}" />
{body}
<bpmn:sequenceFlow id="f2" sourceRef="{task}" targetRef="end" />
<bpmn:endEvent id="end" />
"""


def _with(task_id: str, body: str) -> str:
    return FLOW.format(task=task_id, body=body)


def test_service_task_reads_job_type_and_default_retries() -> None:
    """Spec 9.3: `retries` is optional and defaults to "3" (ZeebeTaskDefinition.DEFAULT_RETRIES)."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:serviceTask id="a" name="Charge">
              <bpmn:extensionElements><zeebe:taskDefinition type="payment.capture" />
              </bpmn:extensionElements></bpmn:serviceTask>""",
        )
    )
    task = process.element("a")
    assert task.element_type == ElementType.SERVICE_TASK
    assert task.event_type == EventType.UNSPECIFIED
    assert task.name == "Charge"
    assert task.flow_scope == "p"
    assert task.task_definition == TaskDefinition(
        type=Expression("payment.capture", False), retries=Expression("3", False)
    )
    assert task.incoming == ("f1",)
    assert task.outgoing == ("f2",)


def test_task_definition_type_and_retries_may_be_feel() -> None:
    """Spec 6: `type` and `retries` are each a static value or `=FEEL`."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:serviceTask id="a"><bpmn:extensionElements>
              <zeebe:taskDefinition type="=jobType" retries="=maxRetries + 1" />
              </bpmn:extensionElements></bpmn:serviceTask>""",
        )
    )
    assert process.element("a").task_definition == TaskDefinition(
        type=Expression("jobType", True), retries=Expression("maxRetries + 1", True)
    )


def test_task_headers_and_io_mappings_keep_document_order() -> None:
    """Spec 5.3: "Variable mappings are evaluated in the defined order"; headers are static."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:serviceTask id="a"><bpmn:extensionElements>
              <zeebe:taskDefinition type="work" retries="5" />
              <zeebe:taskHeaders><zeebe:header key="method" value="VISA" />
                <zeebe:header key="region" value="eu" /></zeebe:taskHeaders>
              <zeebe:ioMapping>
                <zeebe:input source="=order.total" target="amount" />
                <zeebe:input source="Peter" target="sender.name" />
                <zeebe:output source="=status" target="paymentStatus" />
              </zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>""",
        )
    )
    task = process.element("a")
    assert task.task_headers == (("method", "VISA"), ("region", "eu"))
    assert task.inputs == (
        VariableMapping(Expression("order.total", True), "amount"),
        VariableMapping(Expression("Peter", False), "sender.name"),
    )
    assert task.outputs == (VariableMapping(Expression("status", True), "paymentStatus"),)
    assert task.task_definition is not None
    assert task.task_definition.retries == Expression("5", False)


@pytest.mark.parametrize(
    ("tag", "element_type"),
    [
        ("sendTask", ElementType.SEND_TASK),
        ("scriptTask", ElementType.SCRIPT_TASK),
        ("businessRuleTask", ElementType.BUSINESS_RULE_TASK),
    ],
)
def test_job_based_task_variants_carry_a_task_definition(
    tag: str, element_type: ElementType
) -> None:
    """Spec 4.2: send, script and business rule tasks "behave exactly like service tasks"."""
    process = parse_one(
        _with(
            "a",
            f"""<bpmn:{tag} id="a"><bpmn:extensionElements>
              <zeebe:taskDefinition type="job" /></bpmn:extensionElements></bpmn:{tag}>""",
        )
    )
    task = process.element("a")
    assert task.element_type == element_type
    assert task.task_definition == TaskDefinition(type=Expression("job", False))


def test_feel_script_task_has_script_and_no_job() -> None:
    """Spec 4.2: the FEEL script task variant is `zeebe:script expression resultVariable`."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:scriptTask id="a"><bpmn:extensionElements>
              <zeebe:script expression="=a + b" resultVariable="sum" />
              </bpmn:extensionElements></bpmn:scriptTask>""",
        )
    )
    task = process.element("a")
    assert task.script == Script(Expression("a + b", True), "sum")
    assert task.task_definition is None


def test_camunda_user_task_is_marked_and_creates_no_job() -> None:
    """Spec 4.2: `<zeebe:userTask/>` marks a Camunda user task (engine-handled, no job)."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:userTask id="a"><bpmn:extensionElements><zeebe:userTask />
              </bpmn:extensionElements></bpmn:userTask>""",
        )
    )
    task = process.element("a")
    assert task.is_user_task
    assert task.task_definition is None


def test_job_based_user_task_gets_the_user_task_job_type() -> None:
    """Spec 4.2: the job-based user task uses job type `io.camunda.zeebe:userTask`."""
    process = parse_one(_with("a", '<bpmn:userTask id="a" />'))
    task = process.element("a")
    assert not task.is_user_task
    assert task.task_definition == TaskDefinition(
        type=Expression("io.camunda.zeebe:userTask", False)
    )


def test_receive_task_references_its_message_and_correlation_key() -> None:
    """Spec 6: `zeebe:subscription correlationKey` lives on the referenced `bpmn:message`."""
    roots = """<bpmn:message id="m1" name="payment-confirmed"><bpmn:extensionElements>
      <zeebe:subscription correlationKey="= paymentId" /></bpmn:extensionElements></bpmn:message>"""
    process = parse_one(_with("a", '<bpmn:receiveTask id="a" messageRef="m1" />'), roots=roots)
    task = process.element("a")
    assert task.element_type == ElementType.RECEIVE_TASK
    assert task.event_definition is not None
    message = task.event_definition.message
    assert message is not None
    assert message.id == "m1"
    assert message.name == Expression("payment-confirmed", False)
    assert message.correlation_key == Expression(" paymentId", True)


@pytest.mark.parametrize(
    ("tag", "element_type"),
    [("manualTask", ElementType.MANUAL_TASK), ("task", ElementType.TASK)],
)
def test_manual_and_undefined_tasks_are_pass_through(tag: str, element_type: ElementType) -> None:
    """Spec 4.2: manual and undefined tasks are "handled as a pass-through activity"."""
    process = parse_one(_with("a", f'<bpmn:{tag} id="a" />'))
    task = process.element("a")
    assert task.element_type == element_type
    assert task.task_definition is None


def test_call_activity_reads_called_element_with_engine_defaults() -> None:
    """Spec 6 / 5.4: propagateAllChildVariables and propagateAllParentVariables default true."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:callActivity id="a"><bpmn:extensionElements>
              <zeebe:calledElement processId="child" />
              </bpmn:extensionElements></bpmn:callActivity>""",
        )
    )
    assert process.element("a").called_element == CalledElement(
        process_id=Expression("child", False)
    )


def test_call_activity_reads_binding_and_propagation_flags() -> None:
    """Spec 6: `bindingType`, `versionTag` and propagation flags as written by Modeler."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:callActivity id="a"><bpmn:extensionElements>
              <zeebe:calledElement processId="=childId" propagateAllChildVariables="false"
                propagateAllParentVariables="false" bindingType="versionTag" versionTag="v1" />
              </bpmn:extensionElements></bpmn:callActivity>""",
        )
    )
    assert process.element("a").called_element == CalledElement(
        process_id=Expression("childId", True),
        propagate_all_child_variables=False,
        propagate_all_parent_variables=False,
        binding_type="versionTag",
        version_tag="v1",
    )


def test_multi_instance_reads_loop_characteristics_and_completion_condition() -> None:
    """Spec 6: `zeebe:loopCharacteristics` + standard `bpmn:completionCondition`."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:serviceTask id="a">
              <bpmn:extensionElements><zeebe:taskDefinition type="w" /></bpmn:extensionElements>
              <bpmn:multiInstanceLoopCharacteristics isSequential="true">
                <bpmn:extensionElements>
                  <zeebe:loopCharacteristics inputCollection="= items" inputElement="item"
                    outputCollection="results" outputElement="= result" />
                </bpmn:extensionElements>
                <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">= result.ok
                </bpmn:completionCondition>
              </bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>""",
        )
    )
    assert process.element("a").loop == LoopCharacteristics(
        is_sequential=True,
        input_collection=Expression(" items", True),
        input_element="item",
        output_collection="results",
        output_element=Expression(" result", True),
        completion_condition=Expression(" result.ok", True),
    )


def test_multi_instance_is_parallel_by_default() -> None:
    """Spec 4.2: "Parallel is the default; `isSequential="true"` for sequential"."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:task id="a"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
              <zeebe:loopCharacteristics inputCollection="=items" /></bpmn:extensionElements>
              </bpmn:multiInstanceLoopCharacteristics></bpmn:task>""",
        )
    )
    loop = process.element("a").loop
    assert loop is not None
    assert not loop.is_sequential
    assert loop.input_element is None
    assert loop.completion_condition is None


def test_properties_are_kept_for_templates() -> None:
    """Spec 6: `zeebe:properties` are free-form name/value pairs."""
    process = parse_one(
        _with(
            "a",
            """<bpmn:task id="a"><bpmn:extensionElements><zeebe:properties>
              <zeebe:property name="owner" value="payments" /></zeebe:properties>
              </bpmn:extensionElements></bpmn:task>""",
        )
    )
    assert process.element("a").properties == (("owner", "payments"),)
