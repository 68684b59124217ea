"""The test harness: real databases (SQLite and PostgreSQL), one savepoint per test.

Each run migrates one fresh SQLite file and, when a PostgreSQL server answers on
127.0.0.1:5432 (or GALERIE_TEST_POSTGRES_URL), one freshly created database: the templates
that the run's shared databases and the tests' own databases are copied from. The PostgreSQL
ones are dropped together at the end. With GALERIE_REQUIRE_POSTGRES=1 (CI) a missing server
is an error, not a skip. Integration and web tests take the `db` fixture and so run once per
database.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from galerie.config import Settings
from galerie.db import Database
from galerie.identity import passwords
from galerie.kernel import FixedClock
from galerie.schema import upgrade_database
from tests.factories import SECRET

PG_ADMIN_URL = os.environ.get(
    "GALERIE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgresql")


def _postgres_required() -> bool:
    return os.environ.get("GALERIE_REQUIRE_POSTGRES") == "1"


async def _postgres_reachable() -> bool:
    engine = create_async_engine(PG_ADMIN_URL)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        await engine.dispose()


async def create_postgres_database(template: str | None = None) -> str:
    """The url of a new database (a copy of the database named `template`, if given).
    Its sessions commit without waiting for the WAL flush (synchronous_commit off): only a
    crash of the server itself could lose the last commits, nothing a test does; what other
    sessions see, and when, is unchanged."""
    name = f"galerie_test_{os.getpid()}_{secrets.token_hex(3)}"
    copy = f' TEMPLATE "{template}"' if template else ""
    engine = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        await conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    await engine.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


async def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


# One migrated template per backend for the whole run, copied for every test that needs a
# database of its own (races, state machines, the demo): a copy costs a fraction of a
# migration (SQLite: a file copy; PostgreSQL: CREATE DATABASE ... TEMPLATE).
_TEMPLATES: dict[str, str] = {}


async def _template(backend: str) -> str:
    if backend not in _TEMPLATES:
        if backend == "sqlite":
            path = Path(tempfile.mkdtemp(prefix="galerie-template-")) / "template.sqlite3"
            await upgrade_database(f"sqlite+aiosqlite:///{path}")
            with closing(sqlite3.connect(path)) as conn:  # everything in the main file
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _TEMPLATES[backend] = str(path)
        else:
            url = await create_postgres_database()
            await upgrade_database(url)
            _TEMPLATES[backend] = url.rsplit("/", 1)[1]
    return _TEMPLATES[backend]


async def migrated_database(backend: str, directory: Path, name: str = "own") -> str:
    """The url of a new, migrated database of `backend` for one test: a SQLite file in
    `directory`, or a PostgreSQL database (drop it with drop_postgres_database)."""
    template = await _template(backend)
    if backend == "sqlite":
        target = directory / f"{name}.sqlite3"
        shutil.copyfile(template, target)
        return f"sqlite+aiosqlite:///{target}"
    return await create_postgres_database(template)


async def copy_database(url: str, directory: Path, name: str) -> str:
    """A copy of the database at `url` (nobody connected to it): for tests that prepare one
    database and then need many alike (a state machine's examples)."""
    if url.startswith("sqlite"):
        source = Path(url.split(":///", 1)[1])
        with closing(sqlite3.connect(source)) as conn:  # everything in the main file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = directory / f"{name}.sqlite3"
        shutil.copyfile(source, target)
        return f"sqlite+aiosqlite:///{target}"
    return await create_postgres_database(url.rsplit("/", 1)[1])


# PostgreSQL 15 makes each DROP DATABASE wait for a checkpoint of the whole cluster: the
# tests' own databases are dropped together at the end of the run, where a few checkpoints
# serve them all, rather than one checkpoint after each test.
_DROP_AT_THE_END: list[str] = []
DROPS_AT_ONCE = 8  # connections the drops at the end take at most


def drop_at_the_end(url: str) -> None:
    """Drop the PostgreSQL database at `url` when the run ends (nobody may use it after)."""
    _DROP_AT_THE_END.append(url)


async def _drop_all(urls: list[str]) -> None:
    slots = asyncio.Semaphore(DROPS_AT_ONCE)

    async def drop(url: str) -> None:
        async with slots:
            await drop_postgres_database(url)

    await asyncio.gather(*(drop(url) for url in urls))


@pytest.fixture(scope="session", autouse=True)
async def _drop_templates() -> AsyncIterator[None]:
    yield
    for backend, template in list(_TEMPLATES.items()):
        if backend == "sqlite":
            shutil.rmtree(Path(template).parent, ignore_errors=True)
        else:
            drop_at_the_end(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + template)
        del _TEMPLATES[backend]
    urls, _DROP_AT_THE_END[:] = list(_DROP_AT_THE_END), []
    await _drop_all(urls)


# argon2id with the production parameters (64 MiB, 3 passes, 4 lanes) takes a tenth of a
# second per hash or check on two cores, several seconds a test where sign-ins are throttled.
# The tests hash with the cheapest argon2id instead (same code, same hash format), except
# those asking for `production_password_hashing`: the parameters themselves and the upgrade
# of hashes made with other ones.
PRODUCTION_HASHER = passwords._HASHER
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", TEST_HASHER)
        yield


@pytest.fixture
def production_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PRODUCTION_HASHER)


@pytest.fixture(params=BACKENDS)
async def fresh_url(
    request: pytest.FixtureRequest, tmp_path: Path, database_urls: dict[str, str]
) -> str:
    """A migrated database of the test's own, on each backend, for tests whose connections
    must commit (races between separate connections, state machines)."""
    backend: str = request.param
    if backend not in database_urls:
        pytest.skip("no PostgreSQL server (set GALERIE_REQUIRE_POSTGRES=1 to make this fail)")
    url = await migrated_database(backend, tmp_path, "race")
    if backend == "postgresql":
        drop_at_the_end(url)
    return url


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("galerie")


@pytest.fixture(scope="session")
async def database_urls(tmp_root: Path) -> dict[str, str]:
    """One migrated database per backend for the whole run (a copy of the template: one
    migration per backend and run)."""
    urls = {"sqlite": await migrated_database("sqlite", tmp_root, "test")}
    if await _postgres_reachable():
        urls["postgresql"] = await migrated_database("postgresql", tmp_root)
        drop_at_the_end(urls["postgresql"])
    elif _postgres_required():
        pytest.fail("GALERIE_REQUIRE_POSTGRES=1 but no PostgreSQL server answers")
    return urls


@pytest.fixture(scope="session")
async def databases(database_urls: dict[str, str]) -> AsyncIterator[dict[str, Database]]:
    dbs = {name: Database.from_url(url) for name, url in database_urls.items()}
    yield dbs
    for db in dbs.values():
        await db.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
async def db(backend: str, databases: dict[str, Database]) -> AsyncIterator[Database]:
    """A Database whose every transaction is a savepoint in one outer transaction that is
    rolled back after the test: tests see real SQL and leave nothing behind."""
    if backend not in databases:
        pytest.skip("no PostgreSQL server (set GALERIE_REQUIRE_POSTGRES=1 to make this fail)")
    engine = databases[backend].engine
    assert engine is not None
    async with engine.connect() as connection:
        outer = await connection.begin()
        yield Database.bound_to(connection)
        if outer.is_active:
            await outer.rollback()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 11, 12, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_root: Path) -> Settings:
    return Settings(
        environment="test",
        secret_key=SECRET,
        var_dir=tmp_root,
        database_url="sqlite+aiosqlite:///unused",
        search_refresh_seconds=0.0,  # tests see index changes at once
        page_refresh_seconds=0.0,  # and product changes
    )
