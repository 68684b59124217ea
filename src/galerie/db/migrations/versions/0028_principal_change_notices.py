"""Principal change notices (ADR 0019): on PostgreSQL, every statement that changes what a
principal is made of (api_tokens, users, operator_role_grants, seller_memberships,
seller_organisations) sends NOTIFY galerie_principals at its commit, so that each process's
cache of resolved principals forgets them (SQLite keeps no such cache)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 04:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "galerie_principals"  # galerie.identity.principal_cache.CHANNEL
TABLES = ("api_tokens", "users", "operator_role_grants", "seller_memberships",
          "seller_organisations")  # fmt: skip
FUNCTION = f"""
CREATE OR REPLACE FUNCTION galerie_principals_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
  RETURN NULL;
END
$$
"""


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_principals_changed AFTER INSERT OR UPDATE OR DELETE "
            f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
            "EXECUTE FUNCTION galerie_principals_changed()"
        )


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_principals_changed ON {table}")
    op.execute("DROP FUNCTION IF EXISTS galerie_principals_changed()")
