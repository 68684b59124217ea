"""Webhook tables: a seller organisation's endpoints and the deliveries queued for them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK

ORGANISATION_FK = "seller_organisations.id"


class WebhookEndpoint(Base):
    """Where an organisation wants its events POSTed. `secret` signs every delivery: we
    generate it and keep it (it is needed to sign), show it to the seller, and replace it
    when rotated. `event_types` is the JSON list of subscribed types (rules.EVENT_TYPES)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[IdPK]
    organisation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey(ORGANISATION_FK, ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    event_types: Mapped[list[Any]] = mapped_column(JSON)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class WebhookDelivery(Base):
    """One event for one endpoint. `payload` is the exact JSON text that is signed and sent
    (every attempt sends the same bytes). `status` goes pending -> delivered, or pending ->
    failed after the last attempt; `attempts` counts claims and fences their outcomes;
    `claimed_until` is the lease of the sender working on it."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[IdPK]
    endpoint_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    organisation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey(ORGANISATION_FK, ondelete="CASCADE")
    )
    event_id: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "id"),
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )
