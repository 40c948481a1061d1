"""The dashboard finds the bpmn-js viewer bundle in the nearest node_modules, if installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from zeebe.http.operate import VIEWER_PATH, viewer_script

pytestmark = pytest.mark.unit


def test_the_viewer_is_found_in_a_parent_node_modules(tmp_path: Path) -> None:
    """node_modules/bpmn-js/dist/bpmn-viewer.production.min.js above the package is used."""
    bundle = tmp_path.joinpath("node_modules", *VIEWER_PATH)
    bundle.parent.mkdir(parents=True)
    bundle.write_text("window.BpmnJS = function () {};")
    package = tmp_path / "zeebe" / "http" / "operate" / "__init__.py"
    assert viewer_script(package) == bundle


def test_without_bpmn_js_there_is_no_viewer(tmp_path: Path) -> None:
    """No bundle anywhere above: the page falls back to the element list."""
    assert viewer_script(tmp_path / "zeebe" / "http" / "operate" / "__init__.py") is None
