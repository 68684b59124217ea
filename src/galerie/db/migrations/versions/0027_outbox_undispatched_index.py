"""outbox_events: the index of undispatched events is partial and in id order, the claim's
order (ix_outbox_events_undispatched replaces ix_outbox_events_pending): once the table was
analysed, PostgreSQL claimed by walking the primary key and filtering every event ever
dispatched, a cost that grew with the table

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNDISPATCHED = sa.text("dispatched_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_events_pending"))
        batch_op.create_index(
            batch_op.f("ix_outbox_events_undispatched"),
            ["id"],
            unique=False,
            sqlite_where=UNDISPATCHED,
            postgresql_where=UNDISPATCHED,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_outbox_events_undispatched"),
            sqlite_where=UNDISPATCHED,
            postgresql_where=UNDISPATCHED,
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_events_pending"), ["dispatched_at", "available_at"], unique=False
        )
