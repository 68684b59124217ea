"""categories: operators' tree edits (tree_edited_at), unique path

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 21:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import galerie.db.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tree_edited_at", galerie.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_unique_constraint(batch_op.f("uq_categories_path"), ["path"])


def downgrade() -> None:
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_categories_path"), type_="unique")
        batch_op.drop_column("tree_edited_at")
