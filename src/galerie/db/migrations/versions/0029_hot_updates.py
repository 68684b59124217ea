"""Rows updated on every order's way through checkout can be updated in place (HOT) on
PostgreSQL: ix_orders_buyer is (buyer_id, id) instead of (buyer_id, status), so an order's
change of status touches no index; orders, stock_levels and ledger_accounts leave room on
each page (fillfactor) for the new version of a row. A HOT update writes no index entry and
so less WAL: the payment webhook updates an order and a stock level, placing an order
updates a stock level.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 07:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> fillfactor (PostgreSQL only; SQLite has no such setting)
ROOM = {"orders": 90, "stock_levels": 80, "ledger_accounts": 90}


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_buyer")
        batch_op.create_index("ix_orders_buyer", ["buyer_id", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for table, percent in ROOM.items():
            op.execute(f"ALTER TABLE {table} SET (fillfactor = {percent})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ROOM:
            op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_buyer")
        batch_op.create_index("ix_orders_buyer", ["buyer_id", "status"], unique=False)
