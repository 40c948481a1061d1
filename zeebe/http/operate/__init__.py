"""An Operate-like dashboard at /operate: server-rendered pages over the read model.

Pages read the read model directly (no extra HTTP hop); the buttons (retry an incident, cancel
an instance) call the public /v2 API from a little vanilla JS. The BPMN diagram is drawn by the
bpmn-js viewer when `node_modules/bpmn-js` is installed; without it the page lists the elements.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, send_file
from werkzeug.wrappers import Response

from zeebe.readmodel import ReadModel

STATES = ("ACTIVE", "COMPLETED", "TERMINATED")
PAGE_SIZE = 50
VIEWER_PATH = ("bpmn-js", "dist", "bpmn-viewer.production.min.js")


def viewer_script(start: Path | None = None) -> Path | None:
    """The bpmn-js viewer bundle from the nearest node_modules above this package, if any."""
    here = (start or Path(__file__)).resolve()
    for folder in here.parents:
        candidate = folder.joinpath("node_modules", *VIEWER_PATH)
        if candidate.is_file():
            return candidate
    return None


def _model() -> ReadModel:
    model: ReadModel | None = current_app.extensions.get("zeebe_read_model")
    if model is None:
        abort(503, "This engine was started without a read model")
    return model


def _items(model: ReadModel, table: str, request_body: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = model.search(table, request_body)["items"]
    return items


def index() -> str:
    """Process definitions, and instances filtered by state (newest first)."""
    model = _model()
    state = request.args.get("state", "").upper()
    instance_filter = {"state": state} if state in STATES else {}
    instances = model.search(
        "processInstances",
        {
            "filter": instance_filter,
            "sort": [{"field": "startDate", "order": "DESC"}],
            "page": {"limit": PAGE_SIZE},
        },
    )
    definitions = _items(
        model,
        "processDefinitions",
        {"sort": [{"field": "processDefinitionId"}, {"field": "version"}]},
    )
    return render_template(
        "operate/index.html",
        definitions=definitions,
        instances=instances["items"],
        total=instances["page"]["totalItems"],
        state=state if state in STATES else "",
        states=STATES,
    )


def instance_detail(key: str) -> str:
    """One instance: diagram or element list, element instances, variables, incidents."""
    if not key.isdigit():
        abort(404)
    model = _model()
    instance = model.get("processInstances", int(key))
    if instance is None:
        abort(404)
    page = {"limit": 1000}
    of_instance: dict[str, Any] = {"filter": {"processInstanceKey": key}, "page": page}
    active_incidents = {"filter": {"processInstanceKey": key, "state": "ACTIVE"}, "page": page}
    return render_template(
        "operate/instance.html",
        instance=instance,
        elements=_items(model, "elementInstances", of_instance),
        variables=_items(model, "variables", of_instance),
        incidents=_items(model, "incidents", active_incidents),
        has_viewer=viewer_script() is not None,
    )


def viewer() -> Response:
    """The bpmn-js viewer bundle (404 when it is not installed)."""
    script = viewer_script()
    if script is None:
        abort(404)
    return send_file(script, mimetype="text/javascript", max_age=3600)


def operate_blueprint() -> Blueprint:
    """The dashboard's routes, templates and static files."""
    blueprint = Blueprint(
        "operate",
        __name__,
        url_prefix="/operate",
        template_folder="templates",
        static_folder="static",
    )
    blueprint.add_url_rule("/", view_func=index, methods=["GET"])
    blueprint.add_url_rule("/instances/<key>", view_func=instance_detail, methods=["GET"])
    blueprint.add_url_rule("/vendor/bpmn-viewer.js", view_func=viewer, methods=["GET"])
    return blueprint


__all__ = ["operate_blueprint", "viewer_script"]
