"""Precedence-climbing parser: tokens -> AST (see ast.py).

Precedence, lowest first: if/for/some/every/function; or; and; comparison, between, in,
instance of; + -; * /; **; unary -; postfix path/filter/call.
"""

from __future__ import annotations

import re
from typing import NoReturn

from zeebe.feel import ast
from zeebe.feel.errors import FeelSyntaxError
from zeebe.feel.parser_primary import parse_primary, unary_tests
from zeebe.feel.tokens import Kind, Token, tokenize

MAX_NESTING = 50
_COMPARE = frozenset({"=", "!=", "<", "<=", ">", ">="})
TYPE_NAMES = {
    "Any": "Any",
    "null": "null",
    "number": "number",
    "string": "string",
    "boolean": "boolean",
    "date": "date",
    "time": "time",
    "date time": "date time",
    "date and time": "date time",
    "day-time-duration": "days time duration",
    "days and time duration": "days time duration",
    "year-month-duration": "years months duration",
    "years and months duration": "years months duration",
    "list": "list",
    "context": "context",
    "function": "function",
    "range": "range",
}


class Parser:
    """Parses one expression; create one per source text."""

    def __init__(self, source: str, multiword: re.Pattern[str]) -> None:
        self.source = source
        self.tokens = tokenize(source, multiword)
        self.index = 0
        self.depth = 0

    def parse(self) -> ast.Node:
        """Parse the whole source as one expression."""
        node = self.expression()
        if self.peek().kind is not Kind.EOF:
            self.fail("expected end of input")
        return node

    def peek(self, ahead: int = 0) -> Token:
        """The token `ahead` positions after the current one."""
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        """Consume and return the current token."""
        token = self.peek()
        self.index += 1
        return token

    def at(self, text: str, ahead: int = 0) -> bool:
        """True if the token `ahead` is the symbol or keyword `text`."""
        token = self.peek(ahead)
        return token.text == text and token.kind in (Kind.SYMBOL, Kind.NAME)

    def accept(self, text: str) -> bool:
        """Consume the symbol/keyword `text` if it is next."""
        if self.at(text):
            self.index += 1
            return True
        return False

    def expect(self, text: str) -> None:
        """Consume `text` or fail naming it."""
        if not self.accept(text):
            self.fail(f"expected '{text}'")

    def fail(self, expected: str) -> NoReturn:
        """Raise FeelSyntaxError at the current token."""
        token = self.peek()
        found = "end of input" if token.kind is Kind.EOF else f"'{token.text}'"
        raise FeelSyntaxError(
            f"failed to parse expression '{self.source}': {expected} at {token.pos} (found {found})"
        )

    def expression(self) -> ast.Node:
        """expression := disjunction (if/for/... are primaries, so they bind loosest)."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.fail("expression nested too deeply")
        try:
            return self.disjunction()
        finally:
            self.depth -= 1

    def disjunction(self) -> ast.Node:
        """a or b or c."""
        node = self.conjunction()
        while self.accept("or"):
            node = ast.Logical("or", node, self.conjunction())
        return node

    def conjunction(self) -> ast.Node:
        """a and b and c."""
        node = self.comparison()
        while self.accept("and"):
            node = ast.Logical("and", node, self.comparison())
        return node

    def comparison(self) -> ast.Node:
        """Comparisons, between, in and instance of (left-associative)."""
        node = self.additive()
        while True:
            token = self.peek()
            if token.kind is Kind.SYMBOL and token.text in _COMPARE:
                self.advance()
                node = ast.Binary(token.text, node, self.additive())
            elif self.accept("between"):
                low = self.additive()
                self.expect("and")
                node = ast.Between(node, low, self.additive())
            elif self.accept("in"):
                node = ast.In(node, unary_tests(self))
            elif self.at("instance") and self.at("of", 1):
                self.index += 2
                node = ast.InstanceOf(node, self.type_name())
            else:
                return node

    def additive(self) -> ast.Node:
        """a + b - c."""
        node = self.multiplicative()
        while self.peek().kind is Kind.SYMBOL and self.peek().text in ("+", "-"):
            op = self.advance().text
            node = ast.Binary(op, node, self.multiplicative())
        return node

    def multiplicative(self) -> ast.Node:
        """a * b / c."""
        node = self.power()
        while self.peek().kind is Kind.SYMBOL and self.peek().text in ("*", "/"):
            op = self.advance().text
            node = ast.Binary(op, node, self.power())
        return node

    def power(self) -> ast.Node:
        """a ** b."""
        node = self.unary()
        while self.accept("**"):
            node = ast.Binary("**", node, self.unary())
        return node

    def unary(self) -> ast.Node:
        """-a."""
        signs = 0
        while self.peek().kind is Kind.SYMBOL and self.accept("-"):
            signs += 1
        if signs > MAX_NESTING:
            self.fail("expression nested too deeply")
        node = self.postfix(self.primary())
        for _ in range(signs):
            node = ast.Negate(node)
        return node

    def postfix(self, node: ast.Node) -> ast.Node:
        """Paths `.a`, filters `[c]` and calls `(args)` after a primary."""
        while True:
            if self.peek().kind is Kind.SYMBOL and self.accept("."):
                node = ast.Path(node, self.path_key())
            elif self.peek().kind is Kind.SYMBOL and self._filter_follows() and self.accept("["):
                condition = self.expression()
                self.expect("]")
                node = ast.Filter(node, condition)
            elif self.peek().kind is Kind.SYMBOL and self.accept("("):
                node = self.call(node)
            else:
                return node

    def _filter_follows(self) -> bool:
        """`[` opens a filter unless it closes an interval such as `]2..5[` (then input ends)."""
        after = self.peek(1)
        return not (after.kind is Kind.EOF or after.text in (")", ","))

    def path_key(self) -> str:
        """The key after `.`; `time offset` is the one two-word property."""
        token = self.advance()
        if token.kind not in (Kind.NAME, Kind.QUOTED_NAME):
            self.index -= 1
            self.fail("expected a name")
        if token.text == "time" and self.at("offset"):
            self.index += 1
            return "time offset"
        return token.text

    def call(self, callee: ast.Node) -> ast.Node:
        """Arguments after `(`: positional or all named (`name: value`)."""
        args: list[ast.Node] = []
        named: list[tuple[str, ast.Node]] = []
        while not self.accept(")"):
            if (args or named) and not self.accept(","):
                self.fail("expected ',' or ')'")
            key = self.named_argument_key()
            if key is not None:
                named.append((key, self.expression()))
            else:
                args.append(self.expression())
        if args and named:
            self.fail("expected only positional or only named arguments")
        return ast.Call(callee, tuple(args), tuple(named) if named else None)

    def named_argument_key(self) -> str | None:
        """`start position:` -> 'start position'; None if the argument is positional."""
        words: list[str] = []
        ahead = 0
        while self.peek(ahead).kind in (Kind.NAME, Kind.QUOTED_NAME):
            words.append(self.peek(ahead).text)
            ahead += 1
        if words and self.at(":", ahead):
            self.index += ahead + 1
            return " ".join(words)
        return None

    def type_name(self) -> str:
        """The longest known type name after `instance of` (e.g. `date and time`)."""
        text = ""
        best: tuple[str, int] | None = None
        for ahead in range(6):
            token = self.peek(ahead)
            if token.kind is Kind.EOF:
                break
            glue = "" if token.text == "-" or text.endswith("-") or not text else " "
            text += glue + token.text
            if text in TYPE_NAMES:
                best = (TYPE_NAMES[text], ahead + 1)
        if best is None:
            return self._other_type_name()
        self.index += best[1]
        return best[0]

    def _other_type_name(self) -> str:
        """FEEL-Scala reads any qualified name as a type; no value has an unknown one."""
        if self.peek().kind is not Kind.NAME:
            self.fail("expected a type name")
        names = [self.advance().text]
        while self.at(".") and self.peek(1).kind is Kind.NAME:
            self.index += 1
            names.append(self.advance().text)
        return "unknown type " + ".".join(names)

    def primary(self) -> ast.Node:
        """Literals, names, calls' callees, brackets and the keyword-led forms."""
        return parse_primary(self)


def parse(source: str, multiword: re.Pattern[str]) -> ast.Node:
    """Parse FEEL source text into an AST; raises FeelSyntaxError."""
    return Parser(source, multiword).parse()
