"""deposits: payments through the provider, deductions with approval, top-up countdowns;
the shops.deposit_paid flag is dropped (derived from the ledger's deposits held)

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 04:10:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import galerie.db.base

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("status IN ('running', 'restricted')")


def _at(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, galerie.db.base.UTCDateTime(timezone=True), nullable=nullable)


def _id() -> sa.Column[Any]:
    return sa.Column("id", BIG, autoincrement=True, nullable=False)


def _shop(table: str) -> list[Any]:
    return [
        sa.Column("shop_id", BIG, nullable=False),
        sa.Column("organisation_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=op.f(f"fk_{table}_shop_id_shops")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _payments() -> None:
    op.create_table(
        "deposit_payments",
        _id(),
        *_shop("deposit_payments"),
        sa.Column("started_by", BIG, nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_payment_id", sa.String(length=100), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("captured_minor", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("hosted_url", sa.String(length=500), nullable=False),
        _at("expires_at"),
        _at("created_at"),
        _at("settled_at", True),
        sa.CheckConstraint(
            "status IN ('pending', 'succeeded', 'failed', 'amount_mismatch')",
            name=op.f("ck_deposit_payments_status_known"),
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_deposit_payments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["started_by"], ["users.id"], name=op.f("fk_deposit_payments_started_by_users")
        ),
        sa.UniqueConstraint(
            "provider_payment_id", name=op.f("uq_deposit_payments_provider_payment_id")
        ),
    )
    with op.batch_alter_table("deposit_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deposit_payments_shop_id"), ["shop_id"], unique=False)


def _deductions() -> None:
    op.create_table(
        "deposit_deductions",
        _id(),
        *_shop("deposit_deductions"),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_by", BIG, nullable=False),
        _at("proposed_at"),
        sa.Column("decided_by", BIG, nullable=True),
        _at("decided_at", True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'executed', 'rejected')",
            name=op.f("ck_deposit_deductions_status_known"),
        ),
        sa.CheckConstraint(
            "purpose IN ('penalty', 'compensation')",
            name=op.f("ck_deposit_deductions_purpose_known"),
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_deposit_deductions_amount_positive")),
        sa.CheckConstraint(
            "decided_by IS NULL OR decided_by <> proposed_by",
            name=op.f("ck_deposit_deductions_four_eyes"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["users.id"], name=op.f("fk_deposit_deductions_proposed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_deposit_deductions_decided_by_users")
        ),
    )
    with op.batch_alter_table("deposit_deductions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deposit_deductions_shop_id"), ["shop_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_deposit_deductions_status"), ["status"], unique=False)


def _countdowns() -> None:
    op.create_table(
        "deposit_countdowns",
        _id(),
        *_shop("deposit_countdowns"),
        sa.Column("status", sa.String(length=20), nullable=False),
        _at("started_at"),
        _at("deadline"),
        _at("ended_at", True),
        sa.CheckConstraint(
            "status IN ('running', 'topped_up', 'restricted', 'lifted')",
            name=op.f("ck_deposit_countdowns_status_known"),
        ),
    )
    with op.batch_alter_table("deposit_countdowns", schema=None) as batch_op:
        batch_op.create_index(
            "uq_deposit_countdowns_open_per_shop", ["shop_id"], unique=True,
            sqlite_where=OPEN, postgresql_where=OPEN,
        )  # fmt: skip
        batch_op.create_index("ix_deposit_countdowns_due", ["status", "deadline"], unique=False)


def upgrade() -> None:
    _payments()
    _deductions()
    _countdowns()
    with op.batch_alter_table("shops", schema=None) as batch_op:
        batch_op.drop_column("deposit_paid")


def downgrade() -> None:
    with op.batch_alter_table("shops", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deposit_paid", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    for table in ("deposit_countdowns", "deposit_deductions", "deposit_payments"):
        op.drop_table(table)
