"""Documented examples of Camunda's FEEL "Miscellaneous functions" / "AI agent functions" page
(docs.camunda.io, components/modeler/feel/builtin-functions/feel-built-in-functions-miscellaneous,
Camunda 8.8): `fromAi(...)` returns its `value` ("// toolCall.x contents")."""

from __future__ import annotations

import pytest
from feel_docs_support import canonical, result_json

pytestmark = pytest.mark.unit

TOOL_CALL = {
    "searchQuery": "camunda feel",
    "userId": 42,
    "documentType": "invoice",
    "tags": ["bpmn", "feel"],
}

# (expression, the toolCall entry whose contents it returns)
EXAMPLES = [
    ("fromAi(toolCall.searchQuery)", "searchQuery"),
    ("fromAi(toolCall.userId)", "userId"),
    (
        'fromAi(toolCall.searchQuery, "The search query used to find the best match.")',
        "searchQuery",
    ),
    ("fromAi(toolCall.searchQuery, null)", "searchQuery"),
    (
        'fromAi(toolCall.searchQuery, "The search query used to find the best match.", "string")',
        "searchQuery",
    ),
    ('fromAi(toolCall.userId, "The user\'s ID", "number")', "userId"),
    ('fromAi(toolCall.userId, null, "number")', "userId"),
    ('fromAi(value: toolCall.userId, type: "number")', "userId"),
    (
        'fromAi(toolCall.documentType, "The document type to provide", "string", {\n'
        '  enum: ["invoice", "receipt", "contract"]\n})',
        "documentType",
    ),
    (
        "fromAi(value: toolCall.documentType,"
        ' description: "The document type to provide", schema: {\n'
        '  type: "string",\n  enum: ["invoice", "receipt", "contract"]\n})',
        "documentType",
    ),
    (
        'fromAi(toolCall.tags, "Tags to apply to the blog post", "array", {\n'
        '  items: {\n    type: "string"\n  }\n})',
        "tags",
    ),
    (
        'fromAi(toolCall.documentType, "The document type to provide", "string", null, {\n'
        "  required: false\n})",
        "documentType",
    ),
    ("fromAi(value: toolCall.documentType, options: {\n  required: false\n})", "documentType"),
]


@pytest.mark.parametrize(("expression", "entry"), EXAMPLES)
def test_from_ai_returns_its_value(expression: str, entry: str) -> None:
    """`fromAi(value, ...)` "Returns the unmodified `value` parameter"."""
    assert result_json(expression, {"toolCall": TOOL_CALL}) == canonical(TOOL_CALL[entry])
