"""fulfilment: parcels, parcel lines, receipt timers

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 21:45:14.049265
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import galerie.db.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parcels",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("shop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "warehouse_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("carrier", sa.String(length=30), nullable=False),
        sa.Column("tracking_number", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("shipped_at", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('shipped', 'delivered')", name=op.f("ck_parcels_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_parcels_order_id_orders")
        ),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=op.f("fk_parcels_shop_id_shops")),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_parcels_warehouse_id_warehouses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcels")),
        sa.UniqueConstraint(
            "carrier", "tracking_number", name=op.f("uq_parcels_carrier_tracking_number")
        ),
    )
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parcels_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_parcels_shop", ["shop_id", "shipped_at"], unique=False)

    op.create_table(
        "receipt_timers",
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("shop_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("confirm_by", galerie.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("extended_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_receipt_timers_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_receipt_timers_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_receipt_timers")),
    )
    with op.batch_alter_table("receipt_timers", schema=None) as batch_op:
        batch_op.create_index("ix_receipt_timers_due", ["confirmed_at", "confirm_by"], unique=False)

    op.create_table(
        "parcel_lines",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "parcel_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "order_line_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_parcel_lines_positive")),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_parcel_lines_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcels.id"], name=op.f("fk_parcel_lines_parcel_id_parcels")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcel_lines")),
        sa.UniqueConstraint(
            "parcel_id", "order_line_id", name=op.f("uq_parcel_lines_parcel_id_order_line_id")
        ),
    )
    with op.batch_alter_table("parcel_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parcel_lines_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_parcel_lines_parcel_id"), ["parcel_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("parcel_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcel_lines_parcel_id"))
        batch_op.drop_index(batch_op.f("ix_parcel_lines_order_line_id"))

    op.drop_table("parcel_lines")
    with op.batch_alter_table("receipt_timers", schema=None) as batch_op:
        batch_op.drop_index("ix_receipt_timers_due")

    op.drop_table("receipt_timers")
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.drop_index("ix_parcels_shop")
        batch_op.drop_index(batch_op.f("ix_parcels_order_id"))

    op.drop_table("parcels")
