"""DMN decisions for the embedded engine, after dmn-scala (the engine Zeebe 8.7 uses). Pure: no I/O.

Deployment (a `.dmn` resource -> DECISION_REQUIREMENTS + one DECISION record per decision)::

    drg = parse_dmn(resource_bytes, "discount.dmn")    # raises DmnParseError (a ValueError)
    drg.id, drg.name, drg.namespace                       # decisionRequirementsId/Name
    for decision in drg.decisions:                        # document order
        decision.id, decision.name                        # dmnDecisionId, dmnDecisionName

`DmnParseError`'s message already starts with the quoted resource name, as one entry of Zeebe's
deployment rejection ("'discount.dmn': Failed to parse DMN XML: mismatched tag: line 7, column 4",
"'discount.dmn': decision 'd': input entry '>' of rule 'r1': FEEL unary-tests: ...").
All FEEL is compiled here, so evaluation never meets a syntax error.

Evaluation (business rule task with `zeebe:calledDecision`, and the EvaluateDecision RPC)::

    result = evaluate_decision(drg, "discount", variables, now=engine_clock_now)
    if result.failed:       # failed_decision_id, failure_message (dmn-scala's words);
        ...                 # result.zeebe_failure_message(decision_id) is Zeebe's phrasing
    else:
        result.output       # JSON-compatible: the business rule task's resultVariable value
    for evaluated in result.evaluated_decisions:          # required decisions first
        evaluated.to_record()   # {decisionId, decisionName, decisionType, decisionOutput,
                                #  evaluatedInputs: [{inputId, inputName, inputValue}],
                                #  matchedRules: [{ruleId, ruleIndex, evaluatedOutputs:
                                #      [{outputId, outputName, outputValue}]}]}

Output shape (dmn-scala): one output column gives the value, several give a context keyed by
output name; UNIQUE/FIRST/ANY/PRIORITY give one rule's output, RULE ORDER/OUTPUT ORDER/COLLECT a
list, COLLECT with SUM/MIN/MAX/COUNT a number. When no rule matches, the output is built from the
outputs' default entries, else null (also for the list policies, as dmn-scala).

Decision logic may also be a boxed expression (context, list, relation, invocation of a business
knowledge model, function definition; zeebe.dmn.boxed), with decisionType CONTEXT, LIST,
RELATION or INVOCATION; each call of a business knowledge model is reported as an evaluated
decision of its own (dmn-scala's audit log).

Input entries are FEEL unary tests (`"gold"`, `> 10`, `[1..5]`, `]1..5[`, `"a","b"`, `-`,
`not("x")`, `? > 5`, `null`); the input value is `?` (Camunda 7's `camunda:inputVariable` is
ignored, as by dmn-scala). A null test result counts as no match. The gateway JSON-encodes
`output`, `inputValue` and `outputValue` for the gRPC text fields.
"""

from __future__ import annotations

from zeebe.dmn.evaluation import evaluate_decision
from zeebe.dmn.model import (
    Decision,
    DecisionRequirements,
    DecisionTable,
    DmnParseError,
    Input,
    LiteralExpression,
    Output,
    Rule,
)
from zeebe.dmn.parser import parse_dmn
from zeebe.dmn.results import (
    DecisionResult,
    EvaluatedDecision,
    EvaluatedInput,
    EvaluatedOutput,
    MatchedRule,
)

__all__ = [
    "Decision",
    "DecisionRequirements",
    "DecisionResult",
    "DecisionTable",
    "DmnParseError",
    "EvaluatedDecision",
    "EvaluatedInput",
    "EvaluatedOutput",
    "Input",
    "LiteralExpression",
    "MatchedRule",
    "Output",
    "Rule",
    "evaluate_decision",
    "parse_dmn",
]
