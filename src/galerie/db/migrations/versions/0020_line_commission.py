"""order lines keep the commission of their escrow release

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 01:56:37.579686
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commission_bp", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("commission_minor", sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_order_lines_commission_within_line"),
            "commission_minor IS NULL OR (commission_minor >= 0 "
            "AND commission_minor <= line_total_minor)",
        )


def downgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_order_lines_commission_within_line"), type_="check")
        batch_op.drop_column("commission_minor")
        batch_op.drop_column("commission_bp")
