"""How a deployment rejection names an element that has no id (Zeebe's
ValidationErrorFormatter.createElementIdentifier, zeebe/engine ... deployment/transform).

Zeebe walks from the reported element up to the closest ancestor with an id and prints that
chain joined by " > ": the id where an element has one, else its XML type name. So a rule
registered on a `zeebe:*` extension element (ZeebeDesignTimeValidators: ZeebeElementValidator,
ZeebeBindingTypeValidator, ZeebeLoopCharacteristicsValidator, ExecutionListenersValidator, ...)
reports `task > extensionElements > taskDefinition`, while a rule on the flow node reports `task`.
"""

from __future__ import annotations

import pytest
from bpmn_snippets import chain, entry, only_error, parse_one, rejection

from zeebe.model.errors import ValidationEntry, extension_path, format_entries

pytestmark = pytest.mark.unit

TASK_DEFINITION = "Must have exactly one 'zeebe:taskDefinition' extension element"
EMPTY_TYPE = "Attribute 'type' must be present and not empty"
EMPTY_KEY = "Attribute 'correlationKey' must be present and not empty"


def _task(extensions: str, *, tag: str = "serviceTask") -> str:
    return (
        '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />'
        f'<bpmn:{tag} id="a"><bpmn:extensionElements>{extensions}'
        f"</bpmn:extensionElements></bpmn:{tag}>" + chain("start", "a", "end")
    )


def _message(subscription: str) -> str:
    extensions = f"<bpmn:extensionElements>{subscription}</bpmn:extensionElements>"
    return f'<bpmn:message id="m" name="paid">{extensions}</bpmn:message>'


def _catch_and_start() -> str:
    return (
        '<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="c">'
        '<bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="end" />' + chain("start", "c", "end")
    )


def test_an_entry_on_a_sub_element_is_named_by_its_ancestor_chain() -> None:
    """createElementIdentifier: "taskId > extensionElements > taskDefinition" (its javadoc)."""
    found = ValidationEntry("task-a", EMPTY_TYPE, extension_path("taskDefinition"))
    assert format_entries([found]) == (
        f"- Element: task-a > extensionElements > taskDefinition\n    - ERROR: {EMPTY_TYPE}\n"
    )


def test_an_entry_keeps_the_owning_flow_element_id_for_callers() -> None:
    """The path only changes the printed identifier; `element_id` stays the BPMN id."""
    found = ValidationEntry("task-a", EMPTY_TYPE, extension_path("taskDefinition"))
    assert (found.element_id, found.identifier) == (
        "task-a",
        "task-a > extensionElements > taskDefinition",
    )


def test_an_element_with_an_id_is_named_by_its_id_alone() -> None:
    """createElementIdentifier stops at the first element with an id: a flow node is its id."""
    assert ValidationEntry("task-a", TASK_DEFINITION).identifier == "task-a"


def test_the_element_and_its_sub_element_are_separate_entries() -> None:
    """ValidationErrorFormatter.formatElement runs once per reported model element."""
    owner = ValidationEntry("a", TASK_DEFINITION)
    sub = ValidationEntry("a", EMPTY_TYPE, extension_path("taskDefinition"))
    assert format_entries([owner, sub]) == (
        f"- Element: a\n    - ERROR: {TASK_DEFINITION}\n"
        f"- Element: a > extensionElements > taskDefinition\n    - ERROR: {EMPTY_TYPE}\n"
    )


def test_an_input_mapping_without_target_names_the_input() -> None:
    """The `zeebe:input` is reported, below `zeebe:ioMapping`."""
    body = _task(
        '<zeebe:taskDefinition type="w" /><zeebe:ioMapping><zeebe:input source="=1" />'
        "</zeebe:ioMapping>"
    )
    assert rejection(body) == only_error(
        "a > extensionElements > ioMapping > input",
        "Attribute 'target' must be present and not empty",
    )


def test_an_output_mapping_without_target_names_the_output() -> None:
    """Likewise for `zeebe:output`."""
    body = _task(
        '<zeebe:taskDefinition type="w" /><zeebe:ioMapping><zeebe:output source="=1" />'
        "</zeebe:ioMapping>"
    )
    assert rejection(body) == only_error(
        "a > extensionElements > ioMapping > output",
        "Attribute 'target' must be present and not empty",
    )


def test_a_called_element_without_process_id_names_the_called_element() -> None:
    """ZeebeElementValidator.verifyThat(ZeebeCalledElement.class).hasNonEmptyAttribute(processId)."""
    body = _task('<zeebe:calledElement processId="" />', tag="callActivity")
    assert rejection(body) == only_error(
        "a > extensionElements > calledElement",
        "Attribute 'processId' must be present and not empty",
    )


def test_an_empty_correlation_key_is_reported_on_the_subscription() -> None:
    """ZeebeElementValidator.verifyThat(ZeebeSubscription.class)
    .hasNonEmptyAttribute(correlationKey): the message has its one `zeebe:subscription`, so
    MessageValidator's "Must have exactly one" does not apply."""
    roots = _message('<zeebe:subscription correlationKey="" />')
    assert rejection(_catch_and_start(), roots=roots) == only_error(
        "m > extensionElements > subscription", EMPTY_KEY
    )


def test_a_missing_correlation_key_is_reported_on_the_subscription() -> None:
    """The same validator: a missing attribute is as empty as a blank one."""
    roots = _message("<zeebe:subscription />")
    assert rejection(_catch_and_start(), roots=roots) == only_error(
        "m > extensionElements > subscription", EMPTY_KEY
    )


def test_a_message_without_subscription_is_reported_on_the_message() -> None:
    """MessageValidator (on the message): "Must have exactly one 'zeebe:subscription'"."""
    roots = '<bpmn:message id="m" name="paid" />'
    assert rejection(_catch_and_start(), roots=roots) == only_error(
        "m", "Must have exactly one 'zeebe:subscription' extension element"
    )


def test_an_empty_subscription_is_rejected_on_a_message_start_event_too() -> None:
    """The subscription validator runs on every `zeebe:subscription`, also where a start event
    needs no correlation key."""
    body = '<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m" />'
    body += '</bpmn:startEvent><bpmn:endEvent id="end" />' + chain("s", "end")
    roots = _message('<zeebe:subscription correlationKey="" />')
    assert rejection(body, roots=roots) == only_error(
        "m > extensionElements > subscription", EMPTY_KEY
    )


def test_a_message_start_event_with_a_key_is_accepted() -> None:
    """Control: a non-empty correlation key passes the subscription validator."""
    body = '<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m" />'
    body += '</bpmn:startEvent><bpmn:endEvent id="end" />' + chain("s", "end")
    roots = _message('<zeebe:subscription correlationKey="=orderId" />')
    assert parse_one(body, roots=roots).elements["s"].event_definition is not None


def test_entries_on_the_flow_node_and_the_extension_are_listed_together() -> None:
    """A task definition without a type plus a second one: the count check is reported on the
    task (ExtensionElementsValidator on ServiceTask), the attribute on the first definition."""
    body = _task('<zeebe:taskDefinition /><zeebe:taskDefinition type="w" />')
    assert rejection(body) == "'test.bpmn': " + entry("a", TASK_DEFINITION) + entry(
        "a > extensionElements > taskDefinition", EMPTY_TYPE
    )


def test_a_broken_job_type_expression_names_the_task_definition() -> None:
    """ZeebeRuntimeValidators: ZeebeExpressionValidator.verifyThat(ZeebeTaskDefinition.class)
    .hasValidExpression(getType) reports on the task definition."""
    detail = rejection(_task('<zeebe:taskDefinition type="=1 +" />'))
    assert detail.startswith(
        "'test.bpmn': - Element: a > extensionElements > taskDefinition\n"
        "    - ERROR: failed to parse expression '1 +'"
    )


def test_a_broken_input_source_names_the_input() -> None:
    """ZeebeExpressionValidator.verifyThat(ZeebeInput.class).hasValidExpression(getSource)."""
    body = _task(
        '<zeebe:taskDefinition type="w" /><zeebe:ioMapping>'
        '<zeebe:input source="=1 +" target="x" /></zeebe:ioMapping>'
    )
    assert rejection(body).startswith(
        "'test.bpmn': - Element: a > extensionElements > ioMapping > input\n"
        "    - ERROR: failed to parse expression '1 +'"
    )


def test_a_static_correlation_key_names_the_subscription() -> None:
    """ZeebeExpressionValidator.verifyThat(ZeebeSubscription.class)
    .hasValidExpression(getCorrelationKey, isNonStatic): reported once on the subscription."""
    roots = _message('<zeebe:subscription correlationKey="orderId" />')
    assert rejection(_catch_and_start(), roots=roots) == only_error(
        "m > extensionElements > subscription",
        "Expected expression but found static value 'orderId'. An expression must start with "
        "'=' (e.g. '=orderId').",
    )


def test_a_static_input_collection_names_the_loop_characteristics() -> None:
    """ZeebeExpressionValidator.verifyThat(ZeebeLoopCharacteristics.class)
    .hasValidExpression(getInputCollection, isNonStatic)."""
    body = (
        '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" /><bpmn:task id="a">'
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="items" /></bpmn:extensionElements>'
        "</bpmn:multiInstanceLoopCharacteristics></bpmn:task>" + chain("start", "a", "end")
    )
    assert rejection(body) == only_error(
        "a > multiInstanceLoopCharacteristics > extensionElements > loopCharacteristics",
        "Expected expression but found static value 'items'. An expression must start with "
        "'=' (e.g. '=items').",
    )
