"""`parse_dmn`: DMN 1.1-1.5 XML (as Camunda Modeler writes it) -> validated `DecisionRequirements`.

The XML is read with defusedxml (no entity expansion, no external entities). Decision tables and
literal expressions are read; input data, knowledge sources and diagram interchange are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.etree.ElementTree import Element as XmlElement
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from zeebe.dmn.knowledge import read_knowledge_model, required_knowledge
from zeebe.dmn.model import (
    Decision,
    DecisionRequirements,
    DmnParseError,
    KnowledgeModel,
)
from zeebe.dmn.parser_boxed import find_logic, invocations, read_logic
from zeebe.dmn.parser_logic import LogicError, Tag

DMN_NAMESPACES = (
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",  # DMN 1.1
    "http://www.omg.org/spec/DMN/20180521/MODEL/",  # DMN 1.2
    "https://www.omg.org/spec/DMN/20191111/MODEL/",  # DMN 1.3 (Camunda Modeler 5)
    "https://www.omg.org/spec/DMN/20211108/MODEL/",  # DMN 1.4
    "https://www.omg.org/spec/DMN/20230324/MODEL/",  # DMN 1.5
)
# Zeebe's extension namespace (`zeebe:versionTag` inside a decision's `extensionElements`)
ZEEBE_NAMESPACE = "http://camunda.org/schema/zeebe/1.0"


def _read_xml(data: bytes, resource_name: str) -> tuple[XmlElement, Tag]:
    try:
        root: XmlElement = SafeET.fromstring(data)
    except ParseError as exc:
        # expat's message already ends with "line N, column M".
        raise DmnParseError(f"'{resource_name}': Failed to parse DMN XML: {exc}") from exc
    except DefusedXmlException as exc:
        message = f"'{resource_name}': Failed to parse DMN XML: forbidden XML construct: {exc}"
        raise DmnParseError(message) from exc
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace not in DMN_NAMESPACES or root.tag.rsplit("}", 1)[-1] != "definitions":
        raise DmnParseError(
            f"'{resource_name}': Failed to parse DMN XML: root element must be 'definitions' "
            f"in a DMN namespace ({', '.join(DMN_NAMESPACES)}), found '{root.tag}'"
        )
    return root, lambda local: f"{{{namespace}}}{local}"


def _required_decisions(node: XmlElement, tag: Tag) -> tuple[str, ...]:
    """Ids from `informationRequirement/requiredDecision href="#id"` (the `#` dropped)."""
    refs = node.findall(f"{tag('informationRequirement')}/{tag('requiredDecision')}")
    return tuple(ref.get("href", "").removeprefix("#") for ref in refs)


def _version_tag(node: XmlElement, tag: Tag) -> str:
    """`extensionElements/zeebe:versionTag value` of a decision (Zeebe 8.6+
    DmnResourceTransformer reads it into the DECISION record's `versionTag`), else ""."""
    found = node.find(f"{tag('extensionElements')}/{{{ZEEBE_NAMESPACE}}}versionTag")
    return (found.get("value") or "") if found is not None else ""


def _read_decision(node: XmlElement, tag: Tag, resource_name: str) -> Decision:
    decision_id = node.get("id")
    if not decision_id:
        raise DmnParseError(f"'{resource_name}': a decision has no id")
    logic_node = find_logic(node, tag)
    try:
        if logic_node is None:
            raise LogicError("it has neither a decision table nor a literal expression")
        logic = read_logic(logic_node, tag)
    except LogicError as exc:
        raise DmnParseError(f"'{resource_name}': decision '{decision_id}': {exc}") from None
    variable = node.find(tag("variable"))
    attrs = variable.attrib if variable is not None else {}
    return Decision(
        id=decision_id,
        name=node.get("name") or decision_id,
        required_decisions=_required_decisions(node, tag),
        logic=logic,
        variable_name=attrs.get("name") or None,
        result_type=attrs.get("typeRef") or None,
        required_knowledge=required_knowledge(node, tag),
        version_tag=_version_tag(node, tag),
    )


def _read_knowledge_models(
    root: XmlElement, tag: Tag, resource_name: str
) -> tuple[KnowledgeModel, ...]:
    models: list[KnowledgeModel] = []
    for node in root.findall(tag("businessKnowledgeModel")):
        try:
            models.append(read_knowledge_model(node, tag))
        except LogicError as exc:
            model_id = node.get("id", "")
            message = f"'{resource_name}': business knowledge model '{model_id}': {exc}"
            raise DmnParseError(message) from None
    return tuple(models)


def _check_knowledge(
    decisions: tuple[Decision, ...], models: tuple[KnowledgeModel, ...], resource_name: str
) -> None:
    """Every `requiredKnowledge` names a business knowledge model of the resource."""
    _check_invocations(decisions, models, resource_name)
    known = {model.id for model in models}
    owners = [(d.id, d.required_knowledge) for d in decisions]
    owners += [(m.id, m.required_knowledge) for m in models]
    for owner_id, required_ids in owners:
        for required in required_ids:
            if required not in known:
                raise DmnParseError(
                    f"'{resource_name}': '{owner_id}' requires the unknown business knowledge "
                    f"model '{required}'"
                )


def _check_invocations(
    decisions: tuple[Decision, ...], models: tuple[KnowledgeModel, ...], resource_name: str
) -> None:
    """An invocation names a knowledge model its owner requires (dmn-scala's parser)."""
    names = {model.id: model.name for model in models}
    owners = [(d.logic, d.required_knowledge) for d in decisions]
    owners += [(m.logic, m.required_knowledge) for m in models if m.logic is not None]
    for logic, required in owners:
        callable_names = {names.get(model_id) for model_id in required}
        for invocation in invocations(logic):
            if invocation.name not in callable_names:
                raise DmnParseError(
                    f"'{resource_name}': no BKM found with name '{invocation.name}'"
                )


def _check_graph(decisions: tuple[Decision, ...], resource_name: str) -> None:
    """Unique ids, known required decisions, no cycles (each is a deployment error in Zeebe)."""
    by_id: dict[str, Decision] = {}
    for decision in decisions:
        if decision.id in by_id:
            raise DmnParseError(f"'{resource_name}': duplicate decision id '{decision.id}'")
        by_id[decision.id] = decision
    for decision in decisions:
        for required in decision.required_decisions:
            if required not in by_id:
                raise DmnParseError(
                    f"'{resource_name}': decision '{decision.id}' requires the unknown "
                    f"decision '{required}'"
                )
    graph = {decision.id: decision.required_decisions for decision in decisions}
    if any(_in_cycle(node, graph, ()) for node in graph):
        raise DmnParseError(
            f"'{resource_name}': Invalid DMN model: Cyclic dependencies between decisions detected."
        )


def _in_cycle(node: str, graph: Mapping[str, Sequence[str]], path: tuple[str, ...]) -> bool:
    """Whether following requirements from `node` leads back into `path` (dmn-scala's check)."""
    if node in path:
        return True
    return any(_in_cycle(required, graph, (*path, node)) for required in graph.get(node, ()))


def _check_knowledge_cycles(models: tuple[KnowledgeModel, ...], resource_name: str) -> None:
    """Knowledge models must not require themselves, directly or not (dmn-scala's message)."""
    graph = {model.id: model.required_knowledge for model in models}
    if any(_in_cycle(node, graph, ()) for node in graph):
        raise DmnParseError(
            f"'{resource_name}': Invalid DMN model: Cyclic dependencies between BKMs detected."
        )


def parse_dmn(data: bytes, resource_name: str) -> DecisionRequirements:
    """Parse and validate a DMN resource; raises DmnParseError naming the resource and problem."""
    root, tag = _read_xml(data, resource_name)
    drg_id = root.get("id")
    if not drg_id:
        raise DmnParseError(f"'{resource_name}': the 'definitions' element has no id")
    decisions = tuple(_read_decision(n, tag, resource_name) for n in root.findall(tag("decision")))
    if not decisions:
        raise DmnParseError(f"'{resource_name}': it contains no decision")
    _check_graph(decisions, resource_name)
    models = _read_knowledge_models(root, tag, resource_name)
    _check_knowledge(decisions, models, resource_name)
    _check_knowledge_cycles(models, resource_name)
    return DecisionRequirements(
        id=drg_id,
        name=root.get("name") or drg_id,
        namespace=root.get("namespace") or "",
        decisions=decisions,
        resource_name=resource_name,
        knowledge_models=models,
    )
