"""What an evaluation returns: the output and an audit of every decision evaluated on the way.

All values are JSON-compatible (`zeebe.feel.to_json_value`); the gateway serialises each one to
the JSON text fields of `EvaluateDecisionResponse` (decisionOutput, inputValue, outputValue).
`to_record()` gives the camelCase shape of Zeebe's DecisionEvaluation record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeebe.dmn.model import DecisionType


@dataclass(frozen=True, slots=True)
class EvaluatedInput:
    """The value an input expression produced (`input_name` is the input's label)."""

    input_id: str
    input_name: str
    input_value: Any

    def to_record(self) -> dict[str, Any]:
        """`{inputId, inputName, inputValue}`."""
        return {
            "inputId": self.input_id,
            "inputName": self.input_name,
            "inputValue": self.input_value,
        }


@dataclass(frozen=True, slots=True)
class EvaluatedOutput:
    """The value an output entry of a matched rule produced (`output_name` is the output's name)."""

    output_id: str
    output_name: str
    output_value: Any

    def to_record(self) -> dict[str, Any]:
        """`{outputId, outputName, outputValue}`."""
        return {
            "outputId": self.output_id,
            "outputName": self.output_name,
            "outputValue": self.output_value,
        }


@dataclass(frozen=True, slots=True)
class MatchedRule:
    """A rule whose input entries all matched; `rule_index` is 1-based, in table order."""

    rule_id: str
    rule_index: int
    evaluated_outputs: tuple[EvaluatedOutput, ...]

    def to_record(self) -> dict[str, Any]:
        """`{ruleId, ruleIndex, evaluatedOutputs}`."""
        return {
            "ruleId": self.rule_id,
            "ruleIndex": self.rule_index,
            "evaluatedOutputs": [output.to_record() for output in self.evaluated_outputs],
        }


@dataclass(frozen=True, slots=True)
class EvaluatedDecision:
    """One decision's evaluation; a failed decision is included with output None."""

    decision_id: str
    decision_name: str
    decision_type: DecisionType
    output: Any
    evaluated_inputs: tuple[EvaluatedInput, ...] = ()
    matched_rules: tuple[MatchedRule, ...] = ()

    def to_record(self) -> dict[str, Any]:
        """`{decisionId, decisionName, decisionType, decisionOutput, evaluatedInputs,
        matchedRules}`."""
        return {
            "decisionId": self.decision_id,
            "decisionName": self.decision_name,
            "decisionType": self.decision_type,
            "decisionOutput": self.output,
            "evaluatedInputs": [item.to_record() for item in self.evaluated_inputs],
            "matchedRules": [rule.to_record() for rule in self.matched_rules],
        }


@dataclass(frozen=True, slots=True)
class DecisionResult:
    """The outcome of `evaluate_decision`.

    On success `output` is the decision's output and both failure fields are None. On failure
    `output` is None, `failed_decision_id` names the decision that failed (possibly a required
    one) and `failure_message` says why, in dmn-scala's words; Zeebe reports it to clients as
    "Expected to evaluate decision '<id>', but <failure_message>" (see `zeebe_failure_message`).
    """

    output: Any
    evaluated_decisions: tuple[EvaluatedDecision, ...]
    failed_decision_id: str | None = None
    failure_message: str | None = None

    @property
    def failed(self) -> bool:
        """Whether the evaluation failed."""
        return self.failure_message is not None

    def zeebe_failure_message(self, decision_id: str) -> str | None:
        """The failure as Zeebe phrases it for the decision that was asked for, or None."""
        if self.failure_message is None:
            return None
        return f"Expected to evaluate decision '{decision_id}', but {self.failure_message}"
