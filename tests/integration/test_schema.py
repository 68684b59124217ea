"""Models and migrations agree on both databases (what `galerie db check` verifies)."""

from __future__ import annotations

import pytest

from galerie.db import Database, migrate
from galerie.models import metadata


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
async def test_migrations_match_the_models(
    backend_name: str, databases: dict[str, Database]
) -> None:
    if backend_name not in databases:
        pytest.skip("no PostgreSQL server")
    assert await migrate.differences(databases[backend_name], metadata) == []


async def test_a_model_change_without_a_migration_is_reported(
    databases: dict[str, Database],
) -> None:
    from sqlalchemy import Column, Integer, MetaData, Table

    changed = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(changed)
    Table("forgotten_table", changed, Column("id", Integer, primary_key=True))
    diffs = await migrate.differences(databases["sqlite"], changed)
    assert [d[0] for d in diffs] == ["add_table"]
