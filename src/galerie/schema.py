"""Schema maintenance for the command line and the tests. An entry-point module: it loads
every domain's tables (galerie.models), which the db package itself must not import."""

from __future__ import annotations

from typing import Any

from galerie.db import migrate
from galerie.db.engine import Database


def _metadata() -> Any:
    from galerie.models import metadata

    return metadata


async def upgrade_database(url: str, revision: str = "head") -> None:
    db = Database.from_url(url)
    try:
        await migrate.upgrade(db, _metadata(), revision)
    finally:
        await db.dispose()


async def schema_differences(url: str) -> list[Any]:
    db = Database.from_url(url)
    try:
        await migrate.upgrade(db, _metadata())
        return await migrate.differences(db, _metadata())
    finally:
        await db.dispose()


async def write_revision(url: str, message: str) -> None:
    db = Database.from_url(url)
    try:
        await migrate.upgrade(db, _metadata())
        await migrate.revision(db, _metadata(), message)
    finally:
        await db.dispose()
