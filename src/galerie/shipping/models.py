"""Shipping tables: a shop's shipping templates. Regions and their rates are kept with the
template as JSON (read and written whole, always validated by `rules.check_template`);
amounts are integer minor units of the template's currency (ADR 0001)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK


class ShippingTemplateRow(Base):
    """`rates`: [{"countries": [...], "provinces": [...], "first": int, "additional": int}];
    `rest_of_world`: {"first": int, "additional": int}, or null (no shipping elsewhere)."""

    __tablename__ = "shipping_templates"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    method: Mapped[str] = mapped_column(String(10))
    charge_by: Mapped[str] = mapped_column(String(10))
    currency: Mapped[str] = mapped_column(String(3))
    rates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rest_of_world: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    free_above_minor: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("shop_id", "name"),
        CheckConstraint("method IN ('express', 'surface', 'virtual')", name="method_known"),
        CheckConstraint("charge_by IN ('weight', 'count')", name="charge_by_known"),
        CheckConstraint(
            "free_above_minor IS NULL OR free_above_minor > 0", name="free_above_positive"
        ),
    )
