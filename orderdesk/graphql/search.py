"""Shopify's search syntax for ``orders(query:)`` and ``ordersCount(query:)``, parsed into the
read side's search terms (db/queries.py), which the same SQL as REST's filters answers.

``financial_status:paid fulfillment_status:unfulfilled tag:vip created_at:>'2026-01-01' -tag:wholesale``:
terms are ANDed unless ``OR`` stands between them, ``NOT`` or a leading ``-`` negates, parentheses
group, values may be quoted, ``field:>v`` ``>=`` ``<`` ``<=`` compare, ``field:*`` asks for any
value, and bare words search the order's text. A field orderdesk does not know is left out with
a warning, as Shopify does (``extensions.search``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..db.queries import SEARCH_FIELDS, TIME_FIELDS, AllOf, AnyOf, Not, Term
from .errors import ShopifyError

COMPARATORS = (">=", "<=", ">", "<")


@dataclass
class Token:
    text: str
    quoted: bool = False


def _tokens(query: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            out.append(Token(c))
            i += 1
            continue
        text, quoted = [], False
        while i < n and not query[i].isspace() and query[i] not in "()":
            if query[i] in "'\"":
                close = query.find(query[i], i + 1)
                if close < 0:
                    raise ShopifyError(f"Unterminated quote in search query: {query}", "INVALID_SEARCH_QUERY")
                text.append(query[i + 1 : close])
                quoted = True
                i = close + 1
            else:
                text.append(query[i])
                i += 1
        out.append(Token("".join(text), quoted))
    return out


@dataclass
class Search:
    """The parsed query and the warnings about terms left out."""

    terms: object | None
    warnings: list[dict[str, str]] = field(default_factory=list)


class _Parser:
    def __init__(self, query: str, tz: ZoneInfo, now: datetime) -> None:
        self.tokens = _tokens(query)
        self.at = 0
        self.tz, self.now = tz, now
        self.warnings: list[dict[str, str]] = []

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token is not None and not token.quoted and token.text == word:
            self.at += 1
            return True
        return False

    def any_of(self):
        items = [self.all_of()]
        while self.keyword("OR"):
            items.append(self.all_of())
        items = [i for i in items if i is not None]
        return None if not items else items[0] if len(items) == 1 else AnyOf(tuple(items))

    def all_of(self):
        items = [self.unary()]
        while (token := self.peek()) is not None and not (token.text in ("OR", ")") and not token.quoted):
            self.keyword("AND")
            items.append(self.unary())
        items = [i for i in items if i is not None]
        return None if not items else items[0] if len(items) == 1 else AllOf(tuple(items))

    def unary(self):
        if self.keyword("NOT"):
            inner = self.unary()
            return None if inner is None else Not(inner)
        token = self.peek()
        if token is None:
            raise ShopifyError("Incomplete search query", "INVALID_SEARCH_QUERY")
        if token.text == "(" and not token.quoted:
            self.at += 1
            inner = self.any_of()
            if not self.keyword(")"):
                raise ShopifyError("Unbalanced parentheses in search query", "INVALID_SEARCH_QUERY")
            return inner
        if token.text == ")" and not token.quoted:
            raise ShopifyError("Unbalanced parentheses in search query", "INVALID_SEARCH_QUERY")
        self.at += 1
        text = token.text
        if text.startswith("-") and len(text) > 1 and not token.quoted:
            inner = self.term(Token(text[1:], token.quoted))
            return None if inner is None else Not(inner)
        return self.term(token)

    def term(self, token: Token):
        name, sep, value = token.text.partition(":")
        if not sep or not name.replace("_", "").isalnum() or not name.islower():
            return Term("default", token.text)
        op = ":"
        for comparator in COMPARATORS:
            if value.startswith(comparator):
                op, value = comparator, value[len(comparator) :]
                break
        if name not in SEARCH_FIELDS:
            self.warnings.append({"field": name, "message": "Invalid search field for this query."})
            return None
        if value == "*" and op == ":":
            return Term(name, "*", "exists")
        if name in TIME_FIELDS:
            return self.time_term(name, op, value)
        return Term(name, value, op)

    def time_term(self, name: str, op: str, value: str):
        if value == "now":
            return Term(name, self.now, "=" if op == ":" else op)
        try:
            if len(value) == 10:
                day = date.fromisoformat(value)
                start = datetime.combine(day, time(), self.tz)
                end = start + timedelta(days=1)
                # A day compares as the whole day: after it means from the next midnight on.
                return {
                    ":": AllOf((Term(name, start, ">="), Term(name, end, "<"))),
                    ">": Term(name, end, ">="),
                    ">=": Term(name, start, ">="),
                    "<": Term(name, start, "<"),
                    "<=": Term(name, end, "<"),
                }[op]
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.warnings.append({"field": name, "message": f"Invalid time: {value}"})
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        return Term(name, moment, "=" if op == ":" else op)


def parse(query: str | None, tz: ZoneInfo, now: datetime) -> Search:
    """The search terms of ``query`` (None when it has none), in the shop's time zone ``tz``."""
    if query is None or not query.strip():
        return Search(None)
    parser = _Parser(query, tz, now)
    terms = parser.any_of()
    if parser.peek() is not None:
        raise ShopifyError("Unbalanced parentheses in search query", "INVALID_SEARCH_QUERY")
    return Search(terms, parser.warnings)
