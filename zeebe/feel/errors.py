"""The two ways a FEEL expression can fail loudly; everything else evaluates to null."""

from __future__ import annotations


class FeelSyntaxError(ValueError):
    """The text cannot be parsed; the message names the position and what was expected."""


class FeelEvaluationError(Exception):
    """Evaluation failed in a way Zeebe turns into an incident (assert, budget exhausted).

    The message is the reason only (e.g. "Assertion failure: x is null"); the caller names the
    expression, as in Zeebe's "failed to evaluate expression '...': <reason>".
    """
