"""Small DMN 1.3 documents written inline by the tests: one decision table or literal per call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from zeebe.dmn import DecisionRequirements, DecisionResult, evaluate_decision, parse_dmn

DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"
FIXTURES = Path(__file__).parent / "fixtures"


def _text(element: str, text: str, attrs: str = "") -> str:
    return f"<{element}{attrs}><text>{escape(text)}</text></{element}>"


def table_xml(
    rules: Sequence[tuple[Sequence[str], Sequence[str]]],
    *,
    inputs: Sequence[str] = ("x",),
    outputs: Sequence[str] = ("result",),
    hit_policy: str = "UNIQUE",
    aggregation: str | None = None,
    output_values: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
) -> str:
    """A table decision `d`: inputs are expressions, outputs names, rules (entries, outputs)."""
    ins = "".join(
        f'<input id="in{i}" label="{escape(e)}">'
        + _text("inputExpression", e, ' typeRef="string"')
        + "</input>"
        for i, e in enumerate(inputs, start=1)
    )
    outs = ""
    for i, name in enumerate(outputs, start=1):
        values = (output_values or {}).get(name)
        default = (defaults or {}).get(name)
        outs += f'<output id="out{i}" name="{name}" label="{name.title()}">'
        outs += _text("outputValues", values) if values else ""
        outs += _text("defaultOutputEntry", default) if default else ""
        outs += "</output>"
    rows = "".join(
        f'<rule id="r{i}">'
        + "".join(_text("inputEntry", e) for e in entries)
        + "".join(_text("outputEntry", o) for o in outs_)
        + "</rule>"
        for i, (entries, outs_) in enumerate(rules, start=1)
    )
    agg = f' aggregation="{aggregation}"' if aggregation else ""
    table = f'<decisionTable id="t" hitPolicy="{hit_policy}"{agg}>{ins}{outs}{rows}</decisionTable>'
    return definitions(f'<decision id="d" name="Decision D">{table}</decision>')


def definitions(body: str, namespace: str = DMN13) -> str:
    """Wrap decisions in a `definitions` element of the given DMN namespace."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="{namespace}" '
        f'id="drg" name="Test DRG" namespace="http://camunda.org/schema/1.0/dmn">{body}</definitions>'
    )


def parse(xml: str, name: str = "test.dmn") -> DecisionRequirements:
    """Parse inline DMN text."""
    return parse_dmn(xml.encode(), name)


def evaluate(xml: str, variables: Mapping[str, Any], decision_id: str = "d") -> DecisionResult:
    """Parse inline DMN text and evaluate one decision."""
    return evaluate_decision(parse(xml), decision_id, variables)


def fixture(name: str) -> DecisionRequirements:
    """Parse a file of tests/zeebe/dmn/fixtures."""
    return parse_dmn((FIXTURES / name).read_bytes(), name)
