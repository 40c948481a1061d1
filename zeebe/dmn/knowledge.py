"""Business knowledge models, as dmn-scala reads and calls them.

A `businessKnowledgeModel` is a function: its `encapsulatedLogic` names the parameters
(`formalParameter name typeRef`) and holds the body (any decision logic, zeebe.dmn.boxed). A
decision (or another knowledge model) that lists it in a `knowledgeRequirement` can call it by
the knowledge model's `name`, e.g. `applyDiscount(price, 0.1)`; the body sees the caller's input
variables, its arguments and the functions of its own required knowledge models. An argument of
the wrong type or a failing body makes a FEEL call give null (FEEL-Scala 1.17+ turns a function's
error into null and a warning) and fails a boxed `invocation` with dmn-scala's message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element as XmlElement

from zeebe.dmn.boxed import evaluate_logic
from zeebe.dmn.model import DecisionRequirements, KnowledgeModel, Logic
from zeebe.dmn.parser_boxed import find_logic, read_logic
from zeebe.dmn.parser_logic import Tag
from zeebe.dmn.results import EvaluatedDecision
from zeebe.dmn.table import LogicOutcome
from zeebe.dmn.values import INVOKER_PREFIX, Invoker, Layers, null_on_failure, type_mismatch
from zeebe.feel import FeelEvaluationError, to_json_value
from zeebe.feel.values import FeelFunction


def required_knowledge(node: XmlElement, tag: Tag) -> tuple[str, ...]:
    """Ids from `knowledgeRequirement/requiredKnowledge href="#id"` (the `#` dropped)."""
    refs = node.findall(f"{tag('knowledgeRequirement')}/{tag('requiredKnowledge')}")
    return tuple(ref.get("href", "").removeprefix("#") for ref in refs)


def read_knowledge_model(node: XmlElement, tag: Tag) -> KnowledgeModel:
    """One `businessKnowledgeModel`; raises LogicError for broken logic."""
    model_id = node.get("id", "")
    logic_node = node.find(tag("encapsulatedLogic"))
    parameters: tuple[tuple[str, str | None], ...] = ()
    logic: Logic | None = None
    if logic_node is not None:
        parameters = tuple(
            (p.get("name", ""), p.get("typeRef"))
            for p in logic_node.findall(tag("formalParameter"))
        )
        logic = _read_logic(logic_node, tag)
    return KnowledgeModel(
        id=model_id,
        name=node.get("name") or model_id,
        parameters=parameters,
        logic=logic,
        required_knowledge=required_knowledge(node, tag),
    )


def _read_logic(logic_node: XmlElement, tag: Tag) -> Logic | None:
    node = find_logic(logic_node, tag)
    return read_logic(node, tag) if node is not None else None


def knowledge_functions(
    drg: DecisionRequirements,
    model_ids: Sequence[str],
    variables: Mapping[str, Any],
    now: datetime | None,
    audit: list[EvaluatedDecision] | None = None,
) -> dict[str, Any]:
    """The functions a decision or knowledge model may call, by knowledge model name (a FEEL
    call of a failing one gives null, as FEEL-Scala), and their strict entry points for the
    boxed invocation (under INVOKER_PREFIX + name, failing with dmn-scala's message).

    Every call of one appends its evaluation to `audit` (if given), as dmn-scala's audit log
    does (Zeebe reports it among the evaluatedDecisions, under the knowledge model's id/name).
    """
    functions: dict[str, Any] = {}
    for model_id in model_ids:
        model = drg.knowledge_model(model_id)
        if model is not None:
            run = _runner(drg, model, variables, now, audit)
            params = tuple(name for name, _ in model.parameters)
            functions[model.name] = FeelFunction(model.name, params, null_on_failure(run))
            functions[INVOKER_PREFIX + model.name] = run
    return functions


def _runner(
    drg: DecisionRequirements,
    model: KnowledgeModel,
    variables: Mapping[str, Any],
    now: datetime | None,
    audit: list[EvaluatedDecision] | None,
) -> Invoker:
    nested = knowledge_functions(drg, model.required_knowledge, variables, now, audit)

    def invoke(args: Sequence[Any]) -> Any:
        arguments: dict[str, Any] = {}
        for (name, type_ref), value in zip(model.parameters, args, strict=False):
            mismatch = type_mismatch(value, type_ref)
            if mismatch is not None:
                raise FeelEvaluationError(mismatch)
            arguments[name] = value
        if model.logic is None:
            return None
        scope = Layers(arguments, nested, variables)
        outcome = evaluate_logic(model.logic, scope, now)
        if audit is not None:
            audit.append(_audit_entry(model, model.logic, outcome))
        if outcome.failure is not None:
            raise FeelEvaluationError(outcome.failure)
        return outcome.output

    return invoke


def _audit_entry(model: KnowledgeModel, logic: Logic, outcome: LogicOutcome) -> EvaluatedDecision:
    return EvaluatedDecision(
        decision_id=model.id,
        decision_name=model.name,
        decision_type=logic.decision_type,
        output=None if outcome.failure else to_json_value(outcome.output),
        evaluated_inputs=outcome.evaluated_inputs,
        matched_rules=outcome.matched_rules,
    )
