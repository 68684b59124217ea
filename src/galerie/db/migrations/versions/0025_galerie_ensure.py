"""galerie_ensure(ok, reason): a guard a single statement (ADR 0015) calls in its select
list; when `ok` is not true it raises SQLSTATE GL001 with `reason`, failing the statement
whole (PostgreSQL only: SQLite does not run single statements)

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENSURE = """
CREATE OR REPLACE FUNCTION galerie_ensure(ok boolean, reason text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = 'GL001', MESSAGE = reason;
  END IF;
  RETURN true;
END
$$
"""


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(ENSURE)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS galerie_ensure(boolean, text)")
