"""Payments: the PaymentProvider port and the errors every adapter raises. Public surface.

The built-in adapter is galerie.payments.sandbox (a fake of a real provider). The ledger,
escrow and the wiring to orders build on this port (issue 6)."""

from galerie.payments.errors import (
    BadProviderAmount,
    CheckoutSessionClosed,
    CheckoutSessionNotFound,
    PaymentNotCaptured,
    ProviderIdempotencyConflict,
    ProviderPaymentNotFound,
    RefundExceedsCaptured,
    WebhookRejected,
)
from galerie.payments.port import (
    CheckoutSession,
    PaymentProvider,
    ProviderEvent,
    ProviderEventType,
    ProviderPayout,
    ProviderRecord,
    ProviderRefund,
    RecordKind,
)

__all__ = [
    "BadProviderAmount",
    "CheckoutSession",
    "CheckoutSessionClosed",
    "CheckoutSessionNotFound",
    "PaymentNotCaptured",
    "PaymentProvider",
    "ProviderEvent",
    "ProviderEventType",
    "ProviderIdempotencyConflict",
    "ProviderPaymentNotFound",
    "ProviderPayout",
    "ProviderRecord",
    "ProviderRefund",
    "RecordKind",
    "RefundExceedsCaptured",
    "WebhookRejected",
]
