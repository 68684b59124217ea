"""refunds: each refund, paid and refunded per order and line, release holds

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 03:56:17.664688
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import galerie.db.base

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_money",
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("paid_minor", sa.BigInteger(), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("release_holds", sa.Integer(), nullable=False),
        sa.Column("released_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "paid_minor >= 0 AND refunded_minor >= 0 AND refunded_minor <= paid_minor",
            name=op.f("ck_order_money_refunds_within_paid"),
        ),
        sa.CheckConstraint("release_holds >= 0", name=op.f("ck_order_money_holds_not_negative")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_money_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_money")),
    )
    op.create_table(
        "release_holds",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reason", sa.String(length=60), nullable=False),
        sa.Column("opened_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_release_holds_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_holds")),
    )
    with op.batch_alter_table("release_holds", schema=None) as batch_op:
        batch_op.create_index("uq_release_holds_order_reason", ["order_id", "reason"], unique=True)

    op.create_table(
        "order_line_money",
        sa.Column(
            "order_line_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("line_total_minor", sa.BigInteger(), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("commission_returned_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "commission_returned_minor >= 0",
            name=op.f("ck_order_line_money_commission_not_negative"),
        ),
        sa.CheckConstraint(
            "refunded_minor >= 0 AND refunded_minor <= line_total_minor",
            name=op.f("ck_order_line_money_refunds_within_line"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_line_money_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_order_line_money_order_line_id_order_lines"),
        ),
        sa.PrimaryKeyConstraint("order_line_id", name=op.f("pk_order_line_money")),
    )
    with op.batch_alter_table("order_line_money", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_line_money_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "refunds",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "order_line_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("from_escrow_minor", sa.BigInteger(), nullable=False),
        sa.Column("from_payable_minor", sa.BigInteger(), nullable=False),
        sa.Column("from_deposit_minor", sa.BigInteger(), nullable=False),
        sa.Column("commission_returned_minor", sa.BigInteger(), nullable=False),
        sa.Column("provider_payment_id", sa.String(length=100), nullable=False),
        sa.Column("provider_refund_id", sa.String(length=100), nullable=True),
        sa.Column("failure", sa.String(length=60), nullable=True),
        sa.Column("created_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'succeeded', 'failed')", name=op.f("ck_refunds_status_known")
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_refunds_amount_positive")),
        sa.CheckConstraint(
            "from_escrow_minor + from_payable_minor + from_deposit_minor + commission_returned_minor = amount_minor",
            name=op.f("ck_refunds_sources_add_up"),
        ),
        sa.CheckConstraint(
            "from_escrow_minor >= 0 AND from_payable_minor >= 0 AND from_deposit_minor >= 0 AND commission_returned_minor >= 0",
            name=op.f("ck_refunds_sources_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_refunds_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_refunds_order_line_id_order_lines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
        sa.UniqueConstraint("key", name=op.f("uq_refunds_key")),
        sa.UniqueConstraint("provider_refund_id", name=op.f("uq_refunds_provider_refund_id")),
    )
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refunds_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_refunds_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_index("ix_refunds_status")
        batch_op.drop_index(batch_op.f("ix_refunds_order_id"))

    op.drop_table("refunds")
    with op.batch_alter_table("order_line_money", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_line_money_order_id"))

    op.drop_table("order_line_money")
    with op.batch_alter_table("release_holds", schema=None) as batch_op:
        batch_op.drop_index("uq_release_holds_order_reason")

    op.drop_table("release_holds")
    op.drop_table("order_money")
