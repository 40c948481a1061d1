"""Rules on job definitions and expressions (spec 4.2, 6, 7.1).

Job-based elements need a `zeebe:taskDefinition`; attributes that require an expression must
start with `=`; every FEEL expression must compile. The FEEL compiler is imported lazily so this
module works (without the syntax check) while `zeebe.feel` is unavailable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from zeebe.model.ad_hoc import ad_hoc_expressions
from zeebe.model.elements import Element, ElementType, EventType, Expression, Process
from zeebe.model.errors import ValidationEntry, extension_path
from zeebe.model.rules_base import ElementRule, ProcessRule, entry

JOB_TASKS = frozenset(
    {
        ElementType.SERVICE_TASK,
        ElementType.SEND_TASK,
        ElementType.SCRIPT_TASK,
        ElementType.BUSINESS_RULE_TASK,
    }
)
MESSAGE_THROWS = frozenset({ElementType.INTERMEDIATE_THROW_EVENT, ElementType.END_EVENT})


def _is_job_based(element: Element) -> bool:
    if element.element_type in JOB_TASKS:
        return element.script is None and element.called_decision is None
    return element.element_type in MESSAGE_THROWS and element.event_type == EventType.MESSAGE


# tasks the engine can run itself: exactly one of the engine's extension or a job definition
_EITHER: dict[ElementType, tuple[str, Callable[[Element], bool]]] = {
    ElementType.SCRIPT_TASK: ("zeebe:script", lambda e: e.script is not None),
    ElementType.BUSINESS_RULE_TASK: (
        "zeebe:calledDecision",
        lambda e: e.called_decision is not None,
    ),
}


def job_definition(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 6: job-based elements need exactly one `zeebe:taskDefinition` with a type; script
    and business rule tasks either that or their `zeebe:script` / `zeebe:calledDecision`
    (Zeebe's ScriptTaskValidator / BusinessRuleTaskValidator), not both."""
    either = _EITHER.get(element.element_type)
    if either is not None:
        name, has_own = either
        if has_own(element) == (element.task_definition is not None):
            return entry(
                element,
                f"Must have either one '{name}' or one 'zeebe:taskDefinition' extension element",
            )
        return []
    if _is_job_based(element) and element.task_definition is None:
        return entry(element, "Must have exactly one 'zeebe:taskDefinition' extension element")
    return []


Located = tuple[str, tuple[str, ...], Expression]
"""An expression with where Zeebe reports it: owner id and the id-less path below it."""

# Zeebe's expression validators (ZeebeRuntimeValidators) are registered on the elements that
# hold the expression; Modeler writes no id on these, so the formatter names them by path
_LOOP = ("multiInstanceLoopCharacteristics",)
_ZEEBE_LOOP = (*_LOOP, *extension_path("loopCharacteristics"))
_LISTENER = extension_path("executionListeners", "executionListener")


def _loop_expressions(element: Element) -> Iterator[Located]:
    loop = element.loop
    if loop is None:
        return
    yield element.id, _ZEEBE_LOOP, loop.input_collection
    if loop.completion_condition is not None:
        yield element.id, _LOOP, loop.completion_condition
    if loop.output_element is not None:
        yield element.id, _ZEEBE_LOOP, loop.output_element


def _required_expressions(element: Element, process: Process) -> Iterator[Located]:
    """Attributes that must be FEEL (spec 7.1): conditions, correlation keys, collections."""
    yield from _loop_expressions(element)
    if element.script is not None and element.script.expression.source:
        yield element.id, extension_path("script"), element.script.expression
    yield from ((element.id, (), expr) for expr in ad_hoc_expressions(element))
    definition = element.event_definition
    message = definition.message if definition is not None else None
    if message is not None and message.correlation_key is not None:
        yield message.id, extension_path("subscription"), message.correlation_key
    for flow_id in element.outgoing:
        condition = process.flows[flow_id].condition
        if condition is not None:
            yield flow_id, ("conditionExpression",), condition


def expressions_required(element: Element, process: Process) -> list[ValidationEntry]:
    """Spec 7.1: some attributes *require* an expression (a leading `=`)."""
    return [
        ValidationEntry(
            owner,
            f"Expected expression but found static value '{expr.source}'. An expression must "
            f"start with '=' (e.g. '={expr.source}').",
            path,
        )
        for owner, path, expr in _required_expressions(element, process)
        if not expr.is_feel
    ]


def _extension_expressions(element: Element) -> Iterator[Located]:
    if element.task_definition is not None:
        path = extension_path("taskDefinition")
        yield element.id, path, element.task_definition.type
        yield element.id, path, element.task_definition.retries
    for listener in element.execution_listeners:
        yield element.id, _LISTENER, listener.type
        yield element.id, _LISTENER, listener.retries
    for tag, mappings in (("input", element.inputs), ("output", element.outputs)):
        for mapping in mappings:
            yield element.id, extension_path("ioMapping", tag), mapping.source
    if element.called_element is not None:
        yield element.id, extension_path("calledElement"), element.called_element.process_id
    if element.called_decision is not None:
        yield element.id, extension_path("calledDecision"), element.called_decision.decision_id


def _element_expressions(element: Element, process: Process) -> Iterator[Located]:
    yield from _required_expressions(element, process)
    yield from _extension_expressions(element)
    definition = element.event_definition
    if definition is not None:
        for expr in (
            definition.timer,
            definition.error_code,
            definition.signal_name,
            definition.escalation_code,
            definition.message.name if definition.message else None,
        ):
            if expr is not None:
                yield element.id, (), expr


Compiler = Callable[[str], object]


def _feel_compiler() -> tuple[Compiler, type[Exception]] | None:
    try:
        from zeebe.feel import FeelSyntaxError, compile_expression
    except ImportError:
        return None
    return compile_expression, FeelSyntaxError


def feel_syntax(process: Process) -> list[ValidationEntry]:
    """Every FEEL expression of the process compiles (skipped if zeebe.feel is unavailable)."""
    compiler = _feel_compiler()
    if compiler is None:
        return []
    compile_expression, syntax_error = compiler
    found: list[ValidationEntry] = []
    for element in process.elements.values():
        seen: set[tuple[str, tuple[str, ...], str]] = set()
        for owner, path, expr in _element_expressions(element, process):
            if not expr.is_feel or (owner, path, expr.source) in seen:
                continue
            seen.add((owner, path, expr.source))
            try:
                compile_expression(expr.source)
            except syntax_error as exc:
                # zeebe.feel's message already names the expression; say it once
                reason = str(exc)
                prefix = f"failed to parse expression '{expr.source}': "
                message = reason if reason.startswith(prefix) else prefix + reason
                found.append(ValidationEntry(owner, message, path))
    return found


EVERY_ELEMENT: list[ElementRule] = [job_definition, expressions_required]
PROCESS_RULES: list[ProcessRule] = [feel_syntax]
