"""helm/checkout-saga/README.md documents every value the chart reads."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.helm.helm_support import CHART

pytestmark = pytest.mark.unit

README = (CHART / "README.md").read_text(encoding="utf-8")
VALUES: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
# Documented as a whole: their members are Kubernetes fields or per-component data.
WHOLE = {"podSecurityContext", "securityContext", "defaults", "components", "camunda-platform"}
# Inline code only: fenced blocks would shift the backtick pairing.
CODE_SPANS = set(re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", README, flags=re.DOTALL)))


def _documented(path: str) -> bool:
    return any(path == span or span.startswith(f"{path}.") for span in CODE_SPANS) or any(
        path in span.split(", ") for span in CODE_SPANS
    )


def test_every_values_key_is_documented() -> None:
    """Each top-level key, and each member of a settings group, appears in the values table."""
    missing = []
    for key, value in VALUES.items():
        if isinstance(value, dict) and value and key not in WHOLE:
            missing += [f"{key}.{sub}" for sub in value if not _documented(f"{key}.{sub}")]
        elif not _documented(key):
            missing.append(key)
    assert not missing


def test_every_component_setting_is_documented() -> None:
    """Fields used under `components.<name>` are described in the values table."""
    fields = {field for component in VALUES["components"].values() for field in component}
    text = " ".join(CODE_SPANS)
    assert {f for f in fields if f not in text} == set()


def test_every_component_is_listed() -> None:
    """The components paragraph names every deployable process."""
    assert {c for c in VALUES["components"] if f"`{c}`" not in README} == set()
