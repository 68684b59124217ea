"""Orders tables: a payment group per checkout, one order per shop inside it, the order's
lines, the append-only history of every status change, and the idempotency keys of
requests that must run once.

Every seller-owned row carries `shop_id` (the partitioning key); the group is the thin
cross-shop parent (ARCHITECTURE.md, Scaling out). Money is integer minor units plus the
currency of the group (ADR 0001); a group never mixes currencies. Statuses change only
through `galerie.orders.machine.transition` (orders) and the conditional updates of
`galerie.orders.lifecycle` (groups). SKUs, products, shops and users are referred to by id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK

ORDER_STATUSES = (
    "'awaiting_payment', 'paid', 'partly_shipped', 'shipped', 'completed', 'closed', 'cancelled'"
)


class PaymentGroup(Base):
    """What the buyer pays at once for one checkout: the sum of its shop orders."""

    __tablename__ = "payment_groups"

    id: Mapped[IdPK]
    buyer_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    currency: Mapped[str] = mapped_column(String(3))
    goods_total_minor: Mapped[int] = mapped_column(BigInteger)
    shipping_total_minor: Mapped[int] = mapped_column(BigInteger)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    pay_by: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_payment_groups_buyer", "buyer_id", "id"),
        Index("ix_payment_groups_due", "status", "pay_by"),
        CheckConstraint(
            "status IN ('awaiting_payment', 'paid', 'closed', 'cancelled')", name="status_known"
        ),
        CheckConstraint(
            "goods_total_minor >= 0 AND shipping_total_minor >= 0 "
            "AND total_minor = goods_total_minor + shipping_total_minor",
            name="totals_add_up",
        ),
    )


class Order(Base):
    """One shop's part of a checkout. `number` is what people quote (digits: the day, the
    group and the position in it). `auto_confirm_days` is the escrow timer of the chosen
    shipping method, counted from shipment."""

    __tablename__ = "orders"

    id: Mapped[IdPK]
    number: Mapped[str] = mapped_column(String(24), unique=True)
    payment_group_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("payment_groups.id"), index=True
    )
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"))
    buyer_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    goods_total_minor: Mapped[int] = mapped_column(BigInteger)
    shipping_fee_minor: Mapped[int] = mapped_column(BigInteger)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    shipping_method: Mapped[str] = mapped_column(String(40))
    auto_confirm_days: Mapped[int] = mapped_column(Integer)
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_orders_shop", "shop_id", "created_at"),
        Index("ix_orders_buyer", "buyer_id", "id"),  # no status: status changes are HOT (0029)
        CheckConstraint(f"status IN ({ORDER_STATUSES})", name="status_known"),
        CheckConstraint(
            "goods_total_minor >= 0 AND shipping_fee_minor >= 0 "
            "AND total_minor = goods_total_minor + shipping_fee_minor",
            name="totals_add_up",
        ),
        CheckConstraint("auto_confirm_days BETWEEN 1 AND 90", name="auto_confirm_range"),
    )


class OrderLine(Base):
    """A SKU in an order, priced by the server at placement (title and price are kept as
    they were), with the warehouse its units are reserved in and how many have shipped.
    `commission_bp` and `commission_minor` are set when the order's escrow is released: the
    category rate used and the platform's part of the line (galerie.payments.release)."""

    __tablename__ = "order_lines"

    id: Mapped[IdPK]
    # No index of its own: the unique (order_id, sku_id) serves lookups by order, and each
    # index is one more page written by every checkout (0024).
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), index=True)
    sku_id: Mapped[int] = mapped_column(BigId, ForeignKey("skus.id"), index=True)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("products.id"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouses.id"))
    title: Mapped[str] = mapped_column(String(300))
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)
    line_total_minor: Mapped[int] = mapped_column(BigInteger)
    shipped_quantity: Mapped[int] = mapped_column(Integer, default=0)
    commission_bp: Mapped[int | None] = mapped_column(Integer)
    commission_minor: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        UniqueConstraint("order_id", "sku_id"),
        CheckConstraint(
            "commission_minor IS NULL OR (commission_minor >= 0 "
            "AND commission_minor <= line_total_minor)",
            name="commission_within_line",
        ),
        CheckConstraint("quantity > 0 AND unit_price_minor > 0", name="positive"),
        CheckConstraint("line_total_minor = unit_price_minor * quantity", name="total_matches"),
        CheckConstraint(
            "shipped_quantity >= 0 AND shipped_quantity <= quantity", name="shipped_range"
        ),
    )


class OrderStatusHistory(Base):
    """Append-only (triggers, migration 0012): one row per status change of an order."""

    __tablename__ = "order_status_history"

    id: Mapped[IdPK]
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_user_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime]


class IdempotencyKey(Base):
    """A request that must run once per (scope, key): its fingerprint (a digest of the
    request), whether it is running or done, and the response to replay. Kept at least
    24 hours (`expires_at`); `attempt` fences a run taken over after its lease expired."""

    __tablename__ = "idempotency_keys"

    id: Mapped[IdPK]
    scope: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    locked_until: Mapped[datetime]
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[Any | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("scope", "key"),
        Index("ix_idempotency_keys_expires_at", "expires_at"),
        CheckConstraint("state IN ('in_progress', 'done')", name="state_known"),
    )
