"""The configured payment provider (GALERIE_PAYMENT_PROVIDER), built once per process by
the composition roots (the web app, the worker)."""

from __future__ import annotations

from galerie.config import Settings
from galerie.db import Database
from galerie.kernel import Clock
from galerie.payments.port import PaymentProvider
from galerie.payments.sandbox import NAME as SANDBOX
from galerie.payments.sandbox import SandboxProvider


def payment_provider_for(settings: Settings, db: Database, clock: Clock) -> PaymentProvider | None:
    """The PaymentProvider, or None ("none"). The sandbox's hosted page is served at the
    base URL, its webhooks go to settings.sandbox_webhook_url, signed with the
    installation's sandbox secret."""
    if settings.payment_provider != SANDBOX:
        return None
    return SandboxProvider(
        db, clock, webhook_secret=settings.sandbox_webhook_secret,
        page_base_url=settings.base_url, webhook_url=settings.sandbox_webhook_url,
    )  # fmt: skip
