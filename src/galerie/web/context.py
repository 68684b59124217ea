"""The composition root's container: everything a handler may need, built once per app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar.stores.base import Store

from galerie.config import Settings
from galerie.db import Database
from galerie.identity import PrincipalCache
from galerie.kernel import Clock
from galerie.payments import PaymentProvider
from galerie.storage import FileStorage

SESSION_USER = "uid"
SESSION_ORGANISATION = "org"
IMPORT_RUNNER = "import_runner"  # extras key: the in-process ImportRunner, when there is one
WEBHOOK_SENDER = "webhook_sender"  # extras key: the in-process WebhookSender, when there is one


@dataclass(slots=True)
class Galerie:
    settings: Settings
    db: Database
    clock: Clock
    session_store: Store
    counter_store: Store
    storage: FileStorage
    payment_provider: PaymentProvider | None = None
    # resolved principals, served only while their change notices are heard (ADR 0019)
    principals: PrincipalCache = field(default_factory=PrincipalCache)
    extras: dict[str, Any] = field(default_factory=dict)
