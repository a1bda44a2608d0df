"""Domain errors.

Every error carries a stable ``code`` and a message written for the merchant:

* DomainError
  + InvalidInput          – a value breaks a rule (negative quantity, unknown currency, ...)
  + InvalidTransition     – the order is not in a state that allows the action
  + NotFound              – the thing referred to does not exist (or the caller may not see it)
  + Forbidden             – the caller lacks the scope or permission the action needs
  + Conflict              – the same request is already being processed

Services never raise HTTP errors; the API turns these into 422/404/403/409 bodies and the
CLI into exit code 2.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "invalid"

    def __init__(self, message: str, *, field: str = "base", code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    code = "invalid"


class InvalidTransition(DomainError):
    code = "invalid_transition"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class Forbidden(DomainError):
    code = "forbidden"
