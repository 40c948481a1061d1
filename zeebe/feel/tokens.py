"""Tokenizer: FEEL text -> tokens, recognising multi-word built-in names before `(`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from zeebe.feel.errors import FeelSyntaxError


class Kind(Enum):
    """Token kinds; keywords are NAME tokens that the parser recognises by text."""

    NUMBER = "number"
    STRING = "string"
    TEMPORAL = "temporal"
    NAME = "name"
    QUOTED_NAME = "quoted name"
    SYMBOL = "symbol"
    EOF = "end of input"


@dataclass(frozen=True)
class Token:
    """One token with its start offset in the source."""

    kind: Kind
    text: str
    pos: int


_SYMBOLS = ("**", "..", "!=", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ".", ":")
_SYMBOLS_1 = "+-*/=<>"
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_NAME = re.compile(r"[^\W\d]|[_?$]")
_NAME_BODY = re.compile(r"[\w?$]*")
_SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)+", re.DOTALL)
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def multiword_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """A regex matching any multi-word name (words separated by blanks) directly before `(`."""
    words = sorted((n for n in names if " " in n), key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, n.split(" "))) for n in words)
    return re.compile(rf"(?:{alternatives})(?=\s*\()" if alternatives else r"(?!)")


def _read_string(source: str, start: int) -> tuple[str, int]:
    """Read a double-quoted string starting at `start` (the quote); returns (value, end)."""
    out: list[str] = []
    i = start + 1
    while i < len(source):
        ch = source[i]
        if ch == '"':
            return "".join(out), i + 1
        if ch == "\\" and i + 1 < len(source):
            nxt = source[i + 1]
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", source[i + 2 : i + 6]):
                out.append(chr(int(source[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    raise FeelSyntaxError(f"failed to parse expression '{source}': unterminated string at {start}")


def _read_quoted_name(source: str, start: int) -> tuple[str, int]:
    end = source.find("`", start + 1)
    if end < 0:
        raise FeelSyntaxError(
            f"failed to parse expression '{source}': unterminated name at {start}"
        )
    return source[start + 1 : end], end + 1


def tokenize(source: str, multiword: re.Pattern[str]) -> list[Token]:
    """Split source into tokens; raises FeelSyntaxError on an unknown character."""
    tokens: list[Token] = []
    i = 0
    while True:
        space = _SPACE.match(source, i)
        if space:
            i = space.end()
        if i >= len(source):
            tokens.append(Token(Kind.EOF, "", i))
            return tokens
        token, i = _next_token(source, i, multiword)
        tokens.append(token)


def _string_token(source: str, i: int) -> tuple[Token, int]:
    text, end = _read_string(source, i)
    return Token(Kind.STRING, text, i), end


def _temporal_token(source: str, i: int) -> tuple[Token, int] | None:
    if source[i + 1 : i + 2] != '"':
        return None
    text, end = _read_string(source, i + 1)
    return Token(Kind.TEMPORAL, text, i), end


def _quoted_name_token(source: str, i: int) -> tuple[Token, int]:
    text, end = _read_quoted_name(source, i)
    return Token(Kind.QUOTED_NAME, text, i), end


_BY_FIRST_CHAR = {'"': _string_token, "@": _temporal_token, "`": _quoted_name_token}


def _next_token(source: str, i: int, multiword: re.Pattern[str]) -> tuple[Token, int]:
    ch = source[i]
    reader = _BY_FIRST_CHAR.get(ch)
    found = reader(source, i) if reader else None
    if found is None:
        found = _word_or_number(source, i, multiword) or _symbol(source, i)
    if found is None and not ch.isascii() and not ch.isspace():
        # FEEL-Scala takes any character in a context key (`{🐎: 1}`); elsewhere the parser
        # rejects this token as it would any misplaced symbol
        found = Token(Kind.SYMBOL, ch, i), i + 1
    if found is None:
        message = f"failed to parse expression '{source}': unexpected character {ch!r} at {i}"
        raise FeelSyntaxError(message)
    return found


def _word_or_number(source: str, i: int, multiword: re.Pattern[str]) -> tuple[Token, int] | None:
    number = _NUMBER.match(source, i)
    if number:
        return Token(Kind.NUMBER, number.group(), i), number.end()
    if not _NAME.match(source[i]):
        return None
    phrase = multiword.match(source, i)
    if phrase:
        return Token(Kind.NAME, " ".join(phrase.group().split()), i), phrase.end()
    end = _NAME_BODY.match(source, i + 1).end()  # type: ignore[union-attr]
    return Token(Kind.NAME, source[i:end], i), end


def _symbol(source: str, i: int) -> tuple[Token, int] | None:
    for symbol in _SYMBOLS:
        if source.startswith(symbol, i):
            return Token(Kind.SYMBOL, symbol, i), i + len(symbol)
    if source[i] in _SYMBOLS_1:
        return Token(Kind.SYMBOL, source[i], i), i + 1
    return None
