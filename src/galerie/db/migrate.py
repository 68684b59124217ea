"""Running Alembic from Galerie: upgrade, check (models and migrations agree), revision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData

from galerie.db.engine import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None, metadata: MetaData) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    config.attributes["metadata"] = metadata
    return config


async def upgrade(db: Database, metadata: MetaData, revision: str = "head") -> None:
    engine = db.engine
    assert engine is not None, "upgrade needs a Database made from a URL"
    async with engine.begin() as connection:
        await connection.run_sync(
            lambda sync: command.upgrade(alembic_config(sync, metadata), revision)
        )


def raw_ddl_tables(connection: Connection) -> frozenset[str]:
    """SQLite virtual tables (FTS5) and their shadow tables: created by raw DDL in a
    migration, never declared as models, so autogenerate leaves them alone."""
    if connection.dialect.name != "sqlite":
        return frozenset()
    rows = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).all()
    virtual = [str(row[0]) for row in rows]
    names = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
    return frozenset(
        str(name)
        for (name,) in names
        if any(str(name) == v or str(name).startswith(f"{v}_") for v in virtual)
    )


def include_name_filter(connection: Connection) -> Any:
    skipped = raw_ddl_tables(connection)

    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        return not (type_ == "table" and name in skipped)

    return include_name


async def differences(db: Database, metadata: MetaData) -> list[Any]:
    """What autogenerate would change: empty when models and migrations agree."""
    engine = db.engine
    assert engine is not None

    def compare(sync: Connection) -> list[Any]:
        context = MigrationContext.configure(
            sync,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_name": include_name_filter(sync),
            },
        )
        return list(compare_metadata(context, metadata))

    async with engine.connect() as connection:
        return await connection.run_sync(compare)


async def revision(db: Database, metadata: MetaData, message: str) -> None:
    engine = db.engine
    assert engine is not None
    async with engine.begin() as connection:
        await connection.run_sync(
            lambda sync: command.revision(
                alembic_config(sync, metadata), message=message, autogenerate=True
            )
        )
