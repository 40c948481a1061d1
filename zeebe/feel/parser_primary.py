"""Primary expressions: literals, names, brackets, contexts and keyword-led forms."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from zeebe.feel import ast
from zeebe.feel.temporal import parse_temporal_literal
from zeebe.feel.tokens import Kind, Token

if TYPE_CHECKING:
    from zeebe.feel.parser import Parser

RESERVED = frozenset(
    {"if", "then", "else", "for", "in", "return", "some", "every", "satisfies", "between"}
    | {"instance", "of", "function", "and", "or"}
)
_CONSTANTS = {"null": None, "true": True, "false": False}
_UNARY_TEST_OPS = ("<=", ">=", "<", ">", "!=", "=")
_KEY_DELIMITERS = frozenset(":{},[]")


def number_literal(text: str) -> int | Decimal:
    """A numeric literal: int when the text is integral, Decimal otherwise."""
    return int(text) if text.isdigit() else Decimal(text)


def parse_primary(p: Parser) -> ast.Node:
    """Dispatch on the current token to the matching primary form."""
    token = p.peek()
    simple = _SIMPLE.get(token.kind)
    if simple is not None:
        p.advance()
        return simple(token.text)
    if token.kind is Kind.NAME:
        return _name(p)
    handler = _BRACKETS.get(token.text) if token.kind is Kind.SYMBOL else None
    if handler is None:
        p.fail("expected an expression")
    p.advance()
    return handler(p)


def _temporal(text: str) -> ast.Node:
    return ast.Literal(parse_temporal_literal(text))


_SIMPLE: dict[Kind, Callable[[str], ast.Node]] = {
    Kind.NUMBER: lambda text: ast.Literal(number_literal(text)),
    Kind.STRING: ast.Literal,
    Kind.TEMPORAL: _temporal,
    Kind.QUOTED_NAME: ast.Name,
}


def _name(p: Parser) -> ast.Node:
    token = p.peek()
    text = token.text
    if text in _CONSTANTS:
        p.advance()
        return ast.Literal(_CONSTANTS[text])
    keyword = _KEYWORDS.get(text)
    if keyword is not None:
        p.advance()
        return keyword(p)
    if text in RESERVED and not p.at("(", 1):
        p.fail("expected an expression")
    p.advance()
    return ast.Name(text)


def _if(p: Parser) -> ast.Node:
    condition = p.expression()
    p.expect("then")
    then = p.expression()
    p.expect("else")
    return ast.If(condition, then, p.expression())


def _iterators(p: Parser) -> tuple[ast.Iterator, ...]:
    iterators: list[ast.Iterator] = []
    while True:
        token = p.advance()
        if token.kind not in (Kind.NAME, Kind.QUOTED_NAME) or token.text in RESERVED:
            p.index -= 1
            p.fail("expected a name")
        p.expect("in")
        start = p.expression()
        end = p.expression() if p.accept("..") else None
        iterators.append(ast.Iterator(token.text, start, end))
        if not p.accept(","):
            return tuple(iterators)


def _for(p: Parser) -> ast.Node:
    iterators = _iterators(p)
    p.expect("return")
    return ast.For(iterators, p.expression())


def _quantified(kind: str) -> Callable[[Parser], ast.Node]:
    def parse(p: Parser) -> ast.Node:
        iterators = _iterators(p)
        p.expect("satisfies")
        return ast.Quantified(kind, iterators, p.expression())

    return parse


def _function(p: Parser) -> ast.Node:
    p.expect("(")
    params: list[str] = []
    while not p.accept(")"):
        if params and not p.accept(","):
            p.fail("expected ',' or ')'")
        token = p.advance()
        if token.kind not in (Kind.NAME, Kind.QUOTED_NAME):
            p.index -= 1
            p.fail("expected a parameter name")
        params.append(token.text)
    return ast.FunctionDef(tuple(params), p.expression())


_KEYWORDS: dict[str, Callable[[Parser], ast.Node]] = {
    "if": _if,
    "for": _for,
    "some": _quantified("some"),
    "every": _quantified("every"),
    "function": _function,
}


def _range_end(p: Parser, start: ast.Node, start_closed: bool) -> ast.Node:
    end = p.expression()
    if p.accept("]"):
        return ast.RangeLit(start, end, start_closed, True)
    if p.accept(")") or p.accept("["):
        return ast.RangeLit(start, end, start_closed, False)
    p.fail("expected ']' or ')'")


def _paren(p: Parser) -> ast.Node:
    node = p.expression()
    if p.accept(".."):
        return _range_end(p, node, False)
    p.expect(")")
    return node


def _bracket(p: Parser) -> ast.Node:
    if p.accept("]"):
        return ast.ListLit(())
    first = p.expression()
    if p.accept(".."):
        return _range_end(p, first, True)
    items = [first]
    while p.accept(","):
        items.append(p.expression())
    if not p.accept("]"):
        p.fail("expected ',' or ']'")
    return ast.ListLit(tuple(items))


def _open_start(p: Parser) -> ast.Node:
    start = p.expression()
    p.expect("..")
    return _range_end(p, start, False)


def _context_key(p: Parser) -> str:
    token = p.peek()
    if token.kind in (Kind.STRING, Kind.QUOTED_NAME):
        p.advance()
        return token.text
    # FEEL-Scala: a key is the text as written up to `:`, blanks and operators included
    # (`{foo   bar: 1}`, `{friend+of+mine: 2}`), without `" { } : , [ ] ``
    start = token.pos
    while not _ends_context_key(p.peek()):
        p.advance()
    if p.peek().pos == start:
        p.fail("expected a context key")
    return p.source[start : p.peek().pos].rstrip()


def _ends_context_key(token: Token) -> bool:
    if token.kind in (Kind.EOF, Kind.STRING, Kind.QUOTED_NAME):
        return True
    return token.kind is Kind.SYMBOL and token.text in _KEY_DELIMITERS


def _context(p: Parser) -> ast.Node:
    entries: list[tuple[str, ast.Node]] = []
    while not p.accept("}"):
        if entries and not p.accept(","):
            p.fail("expected ',' or '}'")
        key = _context_key(p)
        p.expect(":")
        entries.append((key, p.expression()))
    return ast.ContextLit(tuple(entries))


_BRACKETS: dict[str, Callable[[Parser], ast.Node]] = {
    "(": _paren,
    "[": _bracket,
    "]": _open_start,
    "{": _context,
}


def unary_tests(p: Parser) -> tuple[ast.UnaryTest, ...]:
    """The right side of `in`: `(t1, t2)`, `< 5`, an interval, or an expression."""
    if p.at("(") and not _is_parenthesised_range(p):
        p.advance()
        tests = [_unary_test(p, inside_parens=True)]
        while p.accept(","):
            tests.append(_unary_test(p, inside_parens=True))
        p.expect(")")
        return tuple(tests)
    return (_unary_test(p, inside_parens=False),)


def _is_parenthesised_range(p: Parser) -> bool:
    """`(3..7)` is an open interval, not a list of tests: look for `..` at depth 1."""
    depth = 0
    for ahead in range(len(p.tokens) - p.index):
        token = p.peek(ahead)
        if token.kind is not Kind.SYMBOL:
            if token.kind is Kind.EOF:
                return False
            continue
        depth += token.text in "([{"
        depth -= token.text in ")]}"
        if depth == 0 or (depth == 1 and token.text == ","):
            return False
        if depth == 1 and token.text == "..":
            return True
    return False


def _unary_test(p: Parser, *, inside_parens: bool) -> ast.UnaryTest:
    """`< 5` or a value; inside `( )` a value may be a full expression such as `? > 5`."""
    token = p.peek()
    if token.kind is Kind.SYMBOL and token.text in _UNARY_TEST_OPS:
        p.advance()
        return ast.UnaryTest(token.text, p.additive())
    if inside_parens:
        return ast.UnaryTest("value", p.expression())
    # `5 in ? < 10`: a test on the input value `?` is a whole comparison
    return ast.UnaryTest("value", p.comparison() if p.at("?") else p.additive())
