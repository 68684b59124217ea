"""The kernel: Money, ids, clock, DomainError, events, pagination. Imports nothing of ours."""

from galerie.kernel.clock import Clock, FixedClock, SystemClock, utc
from galerie.kernel.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from galerie.kernel.events import DomainEvent, event_from_payload, event_types
from galerie.kernel.ids import keyed_token, new_token, token_digest
from galerie.kernel.money import CURRENCY_EXPONENTS, CurrencyMismatch, Money, allocate
from galerie.kernel.pagination import Page, PageRequest

__all__ = [
    "CURRENCY_EXPONENTS",
    "Clock",
    "Conflict",
    "CurrencyMismatch",
    "DomainError",
    "DomainEvent",
    "FixedClock",
    "Forbidden",
    "Money",
    "NotFound",
    "Page",
    "PageRequest",
    "RateLimited",
    "SystemClock",
    "Unauthenticated",
    "ValidationFailed",
    "allocate",
    "event_from_payload",
    "event_types",
    "keyed_token",
    "new_token",
    "token_digest",
    "utc",
]
