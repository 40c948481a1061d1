"""DMN and form resources for the engine unit tests."""

from __future__ import annotations


def dmn(decision_id: str = "discount", drg_id: str = "drg", rule_output: str = "10") -> bytes:
    """A DRG with one FIRST decision table: `total >= 100` -> rule_output, else 0."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="{drg_id}" name="Rules"
    namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="{decision_id}" name="Discount">
    <decisionTable id="table" hitPolicy="FIRST">
      <input id="in1" label="Total"><inputExpression id="ie1" typeRef="number">
        <text>total</text></inputExpression></input>
      <output id="out1" name="discount" typeRef="number"/>
      <rule id="r1"><inputEntry id="e1"><text>&gt;= 100</text></inputEntry>
        <outputEntry id="o1"><text>{rule_output}</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="e2"><text>-</text></inputEntry>
        <outputEntry id="o2"><text>0</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
""".encode()


def form(form_id: str = "approve-form") -> bytes:
    """A minimal Camunda form (JSON with an `id`)."""
    return (
        f'{{"id": "{form_id}", "type": "default", "schemaVersion": 16, "components": '
        '[{"type": "textfield", "key": "name", "label": "Name", "id": "f1"}]}'
    ).encode()


def rule_task(decision_id: str = "discount", extensions: str = "") -> str:
    """A DMN business rule task `rule` writing the decision output to `discount`."""
    return (
        '<bpmn:businessRuleTask id="rule"><bpmn:extensionElements>'
        f'<zeebe:calledDecision decisionId="{decision_id}" resultVariable="discount"/>'
        f"{extensions}</bpmn:extensionElements></bpmn:businessRuleTask>"
    )
