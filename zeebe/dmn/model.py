"""The parsed DMN model: a decision requirements graph (DRG) of tables, literal expressions and
boxed expressions (context, list, relation, invocation, function definition).

Every FEEL text is compiled at parse time, so a deployed DRG never fails on syntax at evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zeebe.dmn.unary import UnaryTest
from zeebe.feel import CompiledExpression

HitPolicy = Literal["UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT", "RULE ORDER", "OUTPUT ORDER"]
Aggregation = Literal["SUM", "MIN", "MAX", "COUNT"]
DecisionType = Literal[
    "DECISION_TABLE", "LITERAL_EXPRESSION", "CONTEXT", "LIST", "RELATION", "INVOCATION", "UNKNOWN"
]


class DmnParseError(ValueError):
    """The resource is not a usable DMN model; the message names the resource and the problem."""


@dataclass(frozen=True, slots=True)
class Input:
    """An input clause: `expression` gives the value the rules' input entries test."""

    id: str
    label: str
    expression: CompiledExpression
    type_ref: str | None = None
    input_variable: str | None = None  # Camunda 7 `camunda:inputVariable`: read, never bound


@dataclass(frozen=True, slots=True)
class Output:
    """An output clause: `name` keys the value in a multi-output result context.

    `priorities` are the texts of `outputValues` in order (PRIORITY / OUTPUT ORDER hit policies).
    """

    id: str
    name: str
    label: str
    type_ref: str | None = None
    priorities: tuple[str, ...] = ()
    default: CompiledExpression | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One row: an input entry per input, an output entry per output."""

    id: str
    input_entries: tuple[UnaryTest, ...]
    output_entries: tuple[CompiledExpression, ...]


@dataclass(frozen=True, slots=True)
class DecisionTable:
    """Decision logic as a table; `aggregation` only with the COLLECT hit policy."""

    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    rules: tuple[Rule, ...]
    hit_policy: HitPolicy = "UNIQUE"
    aggregation: Aggregation | None = None

    decision_type: DecisionType = "DECISION_TABLE"


@dataclass(frozen=True, slots=True)
class LiteralExpression:
    """Decision logic as one FEEL expression; its value is the decision's output."""

    expression: CompiledExpression

    decision_type: DecisionType = "LITERAL_EXPRESSION"


@dataclass(frozen=True, slots=True)
class BoxedContext:
    """A boxed context: named entries, each seeing the entries before it; `result` (the entry
    without a variable, last) is the value if set, else the context of all entries."""

    entries: tuple[tuple[str, Logic], ...]
    result: Logic | None = None

    decision_type: DecisionType = "CONTEXT"


@dataclass(frozen=True, slots=True)
class BoxedList:
    """A boxed list: its value is the list of its items' values."""

    items: tuple[Logic, ...]

    decision_type: DecisionType = "LIST"


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation (table of values): a list with one context per row, keyed by column name."""

    rows: tuple[tuple[tuple[str, Logic], ...], ...]

    decision_type: DecisionType = "RELATION"


@dataclass(frozen=True, slots=True)
class Invocation:
    """A call of the business knowledge model named `name` with parameter bindings."""

    name: str
    bindings: tuple[tuple[str, CompiledExpression], ...]

    decision_type: DecisionType = "INVOCATION"


@dataclass(frozen=True, slots=True)
class FunctionDefinition:
    """A boxed function: `parameters` ((name, typeRef) pairs) and a literal expression body."""

    parameters: tuple[tuple[str, str | None], ...]
    body: CompiledExpression

    decision_type: DecisionType = "UNKNOWN"


# Decision logic: what a decision, a knowledge model or a boxed expression's entry holds.
Logic = (
    DecisionTable
    | LiteralExpression
    | BoxedContext
    | BoxedList
    | Relation
    | Invocation
    | FunctionDefinition
)


@dataclass(frozen=True, slots=True)
class KnowledgeModel:
    """A business knowledge model: a function called `name` with `parameters` ((name,
    typeRef) pairs) whose body is `logic` (None: no encapsulated logic, returns null);
    `required_knowledge` are the ids of the knowledge models it calls."""

    id: str
    name: str
    parameters: tuple[tuple[str, str | None], ...]
    logic: Logic | None
    required_knowledge: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision: `required_decisions` are ids in the same DRG, evaluated before this one.

    `variable_name` and `result_type` come from the decision's `variable` element (optional);
    `version_tag` from its `extensionElements/zeebe:versionTag value` (Zeebe 8.6+), else "".
    """

    id: str
    name: str
    required_decisions: tuple[str, ...]
    logic: Logic
    variable_name: str | None = None
    result_type: str | None = None
    required_knowledge: tuple[str, ...] = ()
    version_tag: str = ""

    @property
    def result_name(self) -> str:
        """The name dependent decisions read this decision's output by: the variable name if
        set, else the decision id (as dmn-scala)."""
        return self.variable_name or self.id


@dataclass(frozen=True, slots=True)
class DecisionRequirements:
    """A parsed DMN resource: the `definitions` element and its decisions in document order."""

    id: str
    name: str
    namespace: str
    decisions: tuple[Decision, ...]
    resource_name: str = ""
    knowledge_models: tuple[KnowledgeModel, ...] = ()

    def decision(self, decision_id: str) -> Decision | None:
        """The decision with this id, or None."""
        return next((d for d in self.decisions if d.id == decision_id), None)

    def knowledge_model(self, model_id: str) -> KnowledgeModel | None:
        """The business knowledge model with this id, or None."""
        return next((k for k in self.knowledge_models if k.id == model_id), None)
