"""Ad-hoc subprocess (spec 4.2, "marker shown as implemented in 8.7"; spec 6 `zeebe:adHoc`).

On activation the 8.8 `adHocSubProcessElements` variable (the ad-hoc activities' ids, names and
properties) and the `outputCollection` (an empty list) are created as locals, the input
mappings are applied, a job worker implementation creates its job (`ad_hoc_jobs`), otherwise
the `activeElementsCollection` expression (a FEEL list of inner element ids) is evaluated and
those elements are activated, each as a child of the subprocess. Without the
expression (or with an empty list) nothing is activated "and the ad-hoc sub-process remains
active" (docs "Ad-hoc sub-processes"). A result that is no list of strings, or an id that is no
inner element, is an EXTRACT_VALUE_ERROR incident; resolving re-evaluates. When inner paths end,
`ad_hoc_completion` decides (completion condition, output collection); on completion the output
collection is propagated to the parent scope, then the output mappings are applied.
"""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.activities import complete_activity
from zeebe.engine.bpmn.event_subprocess import subscribed_starts
from zeebe.engine.bpmn.events import boundary_targets, open_subscriptions
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.mappings import apply_inputs
from zeebe.engine.bpmn.variables import merge_propagate, set_local, visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate_string_list
from zeebe.model.ad_hoc import ad_hoc_activities
from zeebe.model.ad_hoc_parameters import activity_parameters
from zeebe.model.elements import Element, Process
from zeebe.state import ElementInstance

_PREFIX = "Failed to activate ad-hoc elements."
ELEMENTS_VARIABLE = "adHocSubProcessElements"


def _metadata(process: Process, element: Element) -> list[dict[str, Any]]:
    """`adHocSubProcessElements`: per ad-hoc activity its id, name, documentation, properties
    and fromAi parameters (Zeebe's AdHocActivityMetadata without empty fields)."""
    found: list[dict[str, Any]] = []
    documentation = dict(element.ad_hoc.documentation) if element.ad_hoc is not None else {}
    for child_id in activatable(process, element):
        child = process.elements[child_id]
        entry: dict[str, Any] = {"elementId": child.id}
        if child.name:
            entry["elementName"] = child.name
        if child_id in documentation:
            entry["documentation"] = documentation[child_id]
        parameters = activity_parameters(child)
        if parameters:
            entry["parameters"] = parameters
        if child.properties:
            entry["properties"] = dict(child.properties)
        found.append(entry)
    return found


def activatable(process: Process, element: Element) -> list[str]:
    """The ad-hoc activities that may be activated (`zeebe.model.ad_hoc.ad_hoc_activities`)."""
    return ad_hoc_activities(process, element)


def _element_ids(ctx: Context, instance: ElementInstance, element: Element) -> Any:
    """The ids to activate, or a `Failure` (Zeebe-like wording, see module doc)."""
    collection = element.ad_hoc.active_elements_collection if element.ad_hoc else None
    if collection is None:
        return []
    result = evaluate_string_list(collection, visible(ctx.state, instance.key), ctx.now)
    if isinstance(result, Failure):
        return Failure(f"{_PREFIX} {result.message}")
    process = lifecycle.definition_of(ctx, instance).process
    allowed = set(activatable(process, element))
    unknown = [item for item in result if item not in allowed]
    if unknown:
        names = ", ".join(f"'{item}'" for item in unknown)
        return Failure(f"{_PREFIX} No BPMN elements found with ids: {names}.")
    return result


def subscribe(ctx: Context, instance: ElementInstance, element: Element) -> bool:
    """Open the boundary events and the inner event subprocess starts (Zeebe's
    subscribeToEvents of a container); False when an incident was raised."""
    process = lifecycle.definition_of(ctx, instance).process
    targets = [*boundary_targets(ctx, instance, element), *subscribed_starts(process, element)]
    return not targets or open_subscriptions(ctx, instance, targets)


def activate_ad_hoc(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Elements metadata, output collection, inputs; then the job worker's job, or the element
    ids, boundary events, ACTIVATED and the listed inner elements."""
    process = lifecycle.definition_of(ctx, instance).process
    set_local(ctx, instance, ELEMENTS_VARIABLE, _metadata(process, element))
    if element.ad_hoc is not None and element.ad_hoc.output_collection is not None:
        set_local(ctx, instance, element.ad_hoc.output_collection, [])
    if not apply_inputs(ctx, instance, element):
        return
    if element.task_definition is not None:
        from zeebe.engine.bpmn.ad_hoc_jobs import activate_job_worker  # it imports this module

        activate_job_worker(ctx, instance, element)
        return
    ids = _element_ids(ctx, instance, element)
    if isinstance(ids, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", ids.message)
        return
    if not subscribe(ctx, instance, element):
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    definition = lifecycle.definition_of(ctx, instance)
    for element_id in ids:
        lifecycle.activate(ctx, definition, definition.process.elements[element_id], instance.key)


def complete_ad_hoc(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Propagate the output collection to the parent scope, then complete like an activity."""
    collection = element.ad_hoc.output_collection if element.ad_hoc is not None else None
    if collection is not None:
        found = ctx.state.variables.find(instance.key, collection)
        merge_propagate(ctx, instance.flow_scope_key, {collection: found[1] if found else []})
    complete_activity(ctx, instance, element)
