"""The audit log: one append-only row per privileged action or refusal.

The database itself refuses UPDATE and DELETE on it (triggers in the migration)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, IdPK


class AuditRecord(Base):
    __tablename__ = "audit_records"

    id: Mapped[IdPK]
    occurred_at: Mapped[datetime]
    actor_user_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(20))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_audit_records_action_time", "action", "occurred_at"),
        Index("ix_audit_records_actor", "actor_user_id", "occurred_at"),
    )
