"""Fixtures of the integration tests: the seeded demo, once per backend for the run
(tests/integration/demo_support.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from galerie.db import Database
from tests.conftest import BACKENDS, drop_at_the_end, migrated_database
from tests.integration.demo_support import SeededDemo, rolled_back, seeded_demo


@pytest.fixture(scope="session", params=BACKENDS)
async def demo_base(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database_urls: dict[str, str],
) -> AsyncIterator[SeededDemo]:
    backend: str = request.param
    if backend not in database_urls:
        pytest.skip("no PostgreSQL server (set GALERIE_REQUIRE_POSTGRES=1 to make this fail)")
    directory = tmp_path_factory.mktemp(f"demo-base-{backend}")
    async for demo in seeded_demo(backend, directory, full=False):
        yield demo


@pytest.fixture(scope="session", params=BACKENDS)
async def demo_full(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database_urls: dict[str, str],
) -> AsyncIterator[SeededDemo]:
    backend: str = request.param
    if backend not in database_urls:
        pytest.skip("no PostgreSQL server (set GALERIE_REQUIRE_POSTGRES=1 to make this fail)")
    directory = tmp_path_factory.mktemp(f"demo-full-{backend}")
    async for demo in seeded_demo(backend, directory, full=True):
        yield demo


@pytest.fixture
async def base_db(demo_base: SeededDemo) -> AsyncIterator[Database]:
    """The base demo, every change rolled back after the test."""
    async for database in rolled_back(demo_base.url):
        yield database


@pytest.fixture
async def full_db(demo_full: SeededDemo) -> AsyncIterator[Database]:
    """The whole demo (with catalog, stock and orders), every change rolled back."""
    async for database in rolled_back(demo_full.url):
        yield database


@pytest.fixture(params=["bound", "own"])
async def any_db(
    request: pytest.FixtureRequest, db: Database, tmp_path: Path
) -> AsyncIterator[Database]:
    """The test's bound database (a savepoint), or a Database of its own (the pool path)."""
    if request.param == "bound":
        yield db
        return
    url = await migrated_database(db.dialect, tmp_path, "raw-writes")
    own = Database.from_url(url)
    try:
        yield own
    finally:
        await own.dispose()
        if db.dialect == "postgresql":
            drop_at_the_end(url)
