"""The two ways a FEEL expression can fail loudly; everything else evaluates to null."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zeebe.feel.warnings import EvaluationWarning


class FeelSyntaxError(ValueError):
    """The text cannot be parsed; the message names the position and what was expected."""


class FeelEvaluationError(Exception):
    """Evaluation failed in a way Zeebe turns into an incident (assert, budget exhausted).

    The message is the reason only (e.g. "exceeded the evaluation budget ..."); the caller
    names the expression, as in Zeebe's "failed to evaluate expression '...': <reason>".
    `warnings` holds what the evaluation reported before it failed (see `zeebe.feel.warnings`).
    """

    warnings: tuple[EvaluationWarning, ...] = ()


class FeelAssertionError(FeelEvaluationError):
    """`assert(value, condition[, cause])` failed; the message is the reason ("The condition
    is not fulfilled" or the cause), FEEL-Scala reports it as "Assertion failure on evaluate
    the expression '...': <reason>" and adds an ASSERT_FAILURE warning."""
