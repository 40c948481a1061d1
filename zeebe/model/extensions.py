"""Readers for the `zeebe:*` extension elements (spec section 6) of one BPMN element.

Each reader takes the host XML element and returns model values; structural problems that the
model cannot express (a missing required attribute, two task definitions) are appended to `issues`
as `ValidationEntry` values so that they are reported together with the model-level rules.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element as XmlElement

from zeebe.model.elements import (
    CalledDecision,
    CalledElement,
    Expression,
    LoopCharacteristics,
    Script,
    TaskDefinition,
    UserTaskProperties,
    VariableMapping,
)
from zeebe.model.errors import ValidationEntry, extension_path
from zeebe.model.form_definition import check_form_definition
from zeebe.model.xmlns import (
    bool_attr,
    bpmn,
    extension,
    extensions,
    local_name,
    text_of,
    zeebe,
)

DEFAULT_RETRIES = "3"

_TASK_DEFINITION = extension_path("taskDefinition")
# Modeler writes no id on `multiInstanceLoopCharacteristics`; Zeebe then names the
# `zeebe:loopCharacteristics` below it by this chain under the activity's id
_LOOP = ("multiInstanceLoopCharacteristics", *extension_path("loopCharacteristics"))


def required_attribute(
    node: XmlElement,
    attr: str,
    element_id: str,
    issues: list[ValidationEntry],
    path: tuple[str, ...] = (),
) -> str | None:
    """The non-blank attribute, else an issue on the element at `path` below `element_id`
    (ZeebeElementValidator.hasNonEmptyAttribute reports on the `zeebe:*` element itself)."""
    value = node.get(attr)
    if value is None or not value.strip():
        issues.append(
            ValidationEntry(element_id, f"Attribute '{attr}' must be present and not empty", path)
        )
        return None
    return value


def _binding(
    node: XmlElement, element_id: str, issues: list[ValidationEntry]
) -> tuple[str, str | None]:
    """`bindingType` (default "latest") and `versionTag` of a called element, called decision or
    linked form; a version tag belongs to, and only to, the `versionTag` binding. Reported on
    the `zeebe:*` element (ZeebeBindingTypeValidator is registered per extension type)."""
    path = extension_path(local_name(node.tag))
    binding_type = node.get("bindingType") or "latest"
    version_tag = node.get("versionTag") or None
    if binding_type == "versionTag" and (version_tag is None or not version_tag.strip()):
        issues.append(
            ValidationEntry(
                element_id,
                "Attribute 'versionTag' must be present and not empty if 'bindingType' is "
                "'versionTag'",
                path,
            )
        )
    elif binding_type != "versionTag" and version_tag is not None:
        issues.append(
            ValidationEntry(
                element_id,
                "Attribute 'versionTag' may only be used if 'bindingType' is 'versionTag'",
                path,
            )
        )
    return binding_type, version_tag


def read_task_definition(
    node: XmlElement, element_id: str, issues: list[ValidationEntry]
) -> TaskDefinition | None:
    """`zeebe:taskDefinition`: job type and retries (default "3")."""
    found = extensions(node, "taskDefinition")
    if not found:
        return None
    if len(found) > 1:
        issues.append(
            ValidationEntry(
                element_id, "Must have exactly one 'zeebe:taskDefinition' extension element"
            )
        )
    # a task definition without a type is reported once, on its attribute: Zeebe counts the
    # extension element itself for "Must have exactly one 'zeebe:taskDefinition'"
    job_type = required_attribute(found[0], "type", element_id, issues, _TASK_DEFINITION) or ""
    retries = found[0].get("retries") or DEFAULT_RETRIES
    return TaskDefinition(type=Expression.of(job_type), retries=Expression.of(retries))


def read_task_headers(node: XmlElement) -> tuple[tuple[str, str], ...]:
    """`zeebe:taskHeaders`: static key/value pairs, in document order. A header without a
    non-empty key and value is ignored, as Zeebe's TaskHeadersTransformer does ("Ignoring invalid
    headers ... Must have non-empty key and value.")."""
    headers: list[tuple[str, str]] = []
    for holder in extensions(node, "taskHeaders"):
        for header in holder.findall(zeebe("header")):
            key, value = header.get("key"), header.get("value")
            if key and value:
                headers.append((key, value))
    return tuple(headers)


def read_properties(node: XmlElement) -> tuple[tuple[str, str], ...]:
    """`zeebe:properties`: free-form name/value pairs (templates, connectors)."""
    props: list[tuple[str, str]] = []
    for holder in extensions(node, "properties"):
        for prop in holder.findall(zeebe("property")):
            name = prop.get("name")
            if name is not None:
                props.append((name, prop.get("value", "")))
    return tuple(props)


def _mappings(
    holder: XmlElement, tag: str, element_id: str, issues: list[ValidationEntry]
) -> list[VariableMapping]:
    result: list[VariableMapping] = []
    for mapping in holder.findall(zeebe(tag)):
        path = extension_path("ioMapping", tag)
        target = required_attribute(mapping, "target", element_id, issues, path)
        # A missing source maps null (Modeler writes an empty source for "= null").
        source = mapping.get("source") or "=null"
        if target is not None:
            result.append(VariableMapping(source=Expression.of(source), target=target.strip()))
    return result


def read_io_mapping(
    node: XmlElement, element_id: str, issues: list[ValidationEntry]
) -> tuple[tuple[VariableMapping, ...], tuple[VariableMapping, ...]]:
    """`zeebe:ioMapping`: (inputs, outputs), each in the order they are evaluated."""
    inputs: list[VariableMapping] = []
    outputs: list[VariableMapping] = []
    for holder in extensions(node, "ioMapping"):
        inputs.extend(_mappings(holder, "input", element_id, issues))
        outputs.extend(_mappings(holder, "output", element_id, issues))
    return tuple(inputs), tuple(outputs)


def read_loop(
    node: XmlElement, element_id: str, issues: list[ValidationEntry]
) -> LoopCharacteristics | None:
    """`bpmn:multiInstanceLoopCharacteristics` with `zeebe:loopCharacteristics` inside."""
    mi = node.find(bpmn("multiInstanceLoopCharacteristics"))
    if mi is None:
        if node.find(bpmn("standardLoopCharacteristics")) is not None:
            issues.append(ValidationEntry(element_id, "Standard loop is not supported"))
        return None
    zl = extension(mi, "loopCharacteristics")
    if zl is None:
        issues.append(
            ValidationEntry(
                element_id, "Must have exactly one 'zeebe:loopCharacteristics' extension element"
            )
        )
        return None
    collection = required_attribute(zl, "inputCollection", element_id, issues, _LOOP)
    if collection is None:
        return None
    condition = text_of(mi.find(bpmn("completionCondition")))
    output_element = zl.get("outputElement")
    issues.extend(ValidationEntry(element_id, m, _LOOP) for m in _output_pair(zl))
    return LoopCharacteristics(
        is_sequential=bool_attr(mi, "isSequential", False),
        input_collection=Expression.of(collection),
        input_element=zl.get("inputElement") or None,
        output_collection=zl.get("outputCollection") or None,
        output_element=Expression.of(output_element) if output_element else None,
        completion_condition=Expression.of(condition) if condition else None,
    )


def _output_pair(loop: XmlElement) -> list[str]:
    """ZeebeLoopCharacteristicsValidator: outputCollection and outputElement go together."""
    collection, element = loop.get("outputCollection"), loop.get("outputElement")
    if bool(collection) == bool(element):
        return []
    present, missing = (
        ("outputCollection", "outputElement")
        if collection
        else (
            "outputElement",
            "outputCollection",
        )
    )
    return [f"Attribute '{missing}' must be present if the attribute '{present}' is set"]


def read_called_element(
    node: XmlElement, element_id: str, issues: list[ValidationEntry]
) -> CalledElement | None:
    """`zeebe:calledElement` of a call activity (propagation flags default to true)."""
    called = extension(node, "calledElement")
    if called is None:
        issues.append(
            ValidationEntry(
                element_id, "Must have exactly one 'zeebe:calledElement' extension element"
            )
        )
        return None
    process_id = required_attribute(
        called, "processId", element_id, issues, extension_path("calledElement")
    )
    binding_type, version_tag = _binding(called, element_id, issues)
    if process_id is None:
        return None
    return CalledElement(
        process_id=Expression.of(process_id),
        propagate_all_child_variables=bool_attr(called, "propagateAllChildVariables", True),
        propagate_all_parent_variables=bool_attr(called, "propagateAllParentVariables", True),
        binding_type=binding_type,
        version_tag=version_tag,
    )


def read_script(node: XmlElement, element_id: str, issues: list[ValidationEntry]) -> Script | None:
    """`zeebe:script` (FEEL script task evaluated by the engine)."""
    script = extension(node, "script")
    if script is None:
        return None
    # kept when an attribute is missing (reported here): the element still has its one
    # `zeebe:script`, which is what the script task's "either one" rule counts
    path = extension_path("script")
    expression = required_attribute(script, "expression", element_id, issues, path) or ""
    result = required_attribute(script, "resultVariable", element_id, issues, path) or ""
    return Script(expression=Expression.of(expression), result_variable=result.strip())


def read_called_decision(
    node: XmlElement, element_id: str, issues: list[ValidationEntry]
) -> CalledDecision | None:
    """`zeebe:calledDecision` (DMN business rule task): decisionId (static or FEEL) and
    resultVariable are required (spec 4.2, 6)."""
    called = extension(node, "calledDecision")
    if called is None:
        return None
    # kept when an attribute is missing, as `read_script`
    path = extension_path("calledDecision")
    decision_id = required_attribute(called, "decisionId", element_id, issues, path) or ""
    result = required_attribute(called, "resultVariable", element_id, issues, path) or ""
    binding_type, version_tag = _binding(called, element_id, issues)
    return CalledDecision(
        decision_id=Expression.of(decision_id),
        result_variable=result.strip(),
        binding_type=binding_type,
        version_tag=version_tag,
    )


def _optional(node: XmlElement | None, attr: str) -> Expression | None:
    raw = node.get(attr) if node is not None else None
    return Expression.of(raw) if raw and raw.strip() else None


def read_user_task_properties(
    node: XmlElement, element_id: str = "", issues: list[ValidationEntry] | None = None
) -> UserTaskProperties:
    """Assignment, schedule, form and priority of a user task (spec 6)."""
    assignment = extension(node, "assignmentDefinition")
    schedule = extension(node, "taskSchedule")
    form = extension(node, "formDefinition")
    binding: tuple[str, str | None] = ("latest", None)
    if form is not None and issues is not None:
        issues.extend(check_form_definition(node, element_id))
    if form is not None:
        binding = _binding(form, element_id, issues if issues is not None else [])
    priority = extension(node, "priorityDefinition")
    return UserTaskProperties(
        assignee=_optional(assignment, "assignee"),
        candidate_groups=_optional(assignment, "candidateGroups"),
        candidate_users=_optional(assignment, "candidateUsers"),
        due_date=_optional(schedule, "dueDate"),
        follow_up_date=_optional(schedule, "followUpDate"),
        form_key=(form.get("formKey") or None) if form is not None else None,
        form_id=(form.get("formId") or None) if form is not None else None,
        external_reference=_optional(form, "externalReference"),
        priority=_optional(priority, "priority"),
        form_binding_type=binding[0],
        form_version_tag=binding[1],
    )
