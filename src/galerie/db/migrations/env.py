"""Alembic environment. The caller (galerie.db.migrate) passes the connection and the full
metadata in `config.attributes`, so this module imports no domain and works on both
databases; SQLite uses batch mode for ALTERs."""

from __future__ import annotations

from alembic import context

from galerie.db.migrate import include_name_filter

config = context.config
connection = config.attributes.get("connection")
target_metadata = config.attributes.get("metadata")

if connection is None or target_metadata is None:
    raise RuntimeError("run migrations through `galerie db upgrade` (galerie.db.migrate)")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name_filter(connection),
)
with context.begin_transaction():
    context.run_migrations()
