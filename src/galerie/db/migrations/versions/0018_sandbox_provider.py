"""sandbox provider: its payments, refunds, payouts and webhook events

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 00:27:59.254984
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import galerie.db.base

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sandbox_payments",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("provider_payment_id", sa.String(length=40), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("return_url", sa.String(length=500), nullable=False),
        sa.Column("cancel_url", sa.String(length=500), nullable=False),
        sa.Column("webhook_url", sa.String(length=500), nullable=False),
        sa.Column("created_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'succeeded', 'failed', 'abandoned')",
            name=op.f("ck_sandbox_payments_status_known"),
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_sandbox_payments_amount_positive")),
        sa.CheckConstraint(
            "refunded_minor >= 0 AND refunded_minor <= amount_minor",
            name=op.f("ck_sandbox_payments_refunds_within_amount"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_payments")),
        sa.UniqueConstraint(
            "provider_payment_id", name=op.f("uq_sandbox_payments_provider_payment_id")
        ),
        sa.UniqueConstraint("session_token", name=op.f("uq_sandbox_payments_session_token")),
    )
    with op.batch_alter_table("sandbox_payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sandbox_payments_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sandbox_payments_reference"), ["reference"], unique=False
        )

    op.create_table(
        "sandbox_payouts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("payout_id", sa.String(length=40), nullable=False),
        sa.Column("destination", sa.String(length=100), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_sandbox_payouts_amount_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_payouts")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_sandbox_payouts_idempotency_key")),
        sa.UniqueConstraint("payout_id", name=op.f("uq_sandbox_payouts_payout_id")),
    )
    with op.batch_alter_table("sandbox_payouts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sandbox_payouts_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "sandbox_webhook_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("event_type", sa.String(length=30), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("duplicated", sa.Boolean(), nullable=False),
        sa.Column("next_attempt_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("delivered_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'failed')",
            name=op.f("ck_sandbox_webhook_events_status_known"),
        ),
        sa.CheckConstraint(
            "attempts >= 0", name=op.f("ck_sandbox_webhook_events_attempts_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_webhook_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_sandbox_webhook_events_event_id")),
    )
    with op.batch_alter_table("sandbox_webhook_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sandbox_webhook_events_due", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "sandbox_refunds",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("refund_id", sa.String(length=40), nullable=False),
        sa.Column(
            "payment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_sandbox_refunds_amount_positive")),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["sandbox_payments.id"],
            name=op.f("fk_sandbox_refunds_payment_id_sandbox_payments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_refunds")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_sandbox_refunds_idempotency_key")),
        sa.UniqueConstraint("refund_id", name=op.f("uq_sandbox_refunds_refund_id")),
    )
    with op.batch_alter_table("sandbox_refunds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sandbox_refunds_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sandbox_refunds_payment_id"), ["payment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sandbox_refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sandbox_refunds_payment_id"))
        batch_op.drop_index(batch_op.f("ix_sandbox_refunds_created_at"))

    op.drop_table("sandbox_refunds")
    with op.batch_alter_table("sandbox_webhook_events", schema=None) as batch_op:
        batch_op.drop_index("ix_sandbox_webhook_events_due")

    op.drop_table("sandbox_webhook_events")
    with op.batch_alter_table("sandbox_payouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sandbox_payouts_created_at"))

    op.drop_table("sandbox_payouts")
    with op.batch_alter_table("sandbox_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sandbox_payments_reference"))
        batch_op.drop_index(batch_op.f("ix_sandbox_payments_created_at"))

    op.drop_table("sandbox_payments")
