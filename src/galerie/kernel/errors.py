"""DomainError: every refusal a service makes, with a stable machine-readable code.

The web layer maps each class to one HTTP status in one table (galerie.web.errors); the
`code` travels to the client unchanged, so clients can rely on it across releases.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A business rule refused the request. `code` is stable; `message` is for people."""

    default_code: ClassVar[str] = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details = details

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class ValidationFailed(DomainError):
    """Input that parsed but breaks a rule (a weak password, an unknown currency)."""

    default_code = "validation_failed"

    def __init__(
        self, message: str, *, code: str | None = None, field: str | None = None, **details: Any
    ) -> None:
        super().__init__(message, code=code, **details)
        self.field = field


class NotFound(DomainError):
    default_code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a stale transition)."""

    default_code = "conflict"


class Unauthenticated(DomainError):
    default_code = "unauthenticated"


class Forbidden(DomainError):
    default_code = "forbidden"


class RateLimited(DomainError):
    default_code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
