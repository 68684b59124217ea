"""The shop journey's own server: like conftest.server (a real `galerie serve` on a free port
with its own SQLite file), but prepared first with what has no page of its own: an operator
holding the vetting, moderation and finance roles (through the `create-operator` command) and
two top-level categories. Seller organisations are created while it runs (there is no page
for that either), through the identity service against the same SQLite file."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest

from galerie.audit import AuditContext
from galerie.catalog import import_google_taxonomy
from galerie.db import Database
from galerie.identity import create_seller_organisation, find_user_by_email
from tests.e2e.conftest import free_port, migrated_sqlite, wait_until_healthy

T = TypeVar("T")

OPERATOR_EMAIL = "operator@example.test"
OPERATOR_PASSWORD = "harbour-violet-7781"
# Google taxonomy top-level ids: neither needs a qualification nor a special deposit.
CATEGORIES = (
    "# Google_Product_Taxonomy_Version: test\n8 - Arts & Entertainment\n1239 - Toys & Games\n"
)
ARTS = 8


@dataclass(frozen=True, slots=True)
class ShopServer:
    base_url: str
    database_url: str


def run_async(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion in a thread of its own, out of the way of the event
    loop Playwright's sync API keeps in this one."""

    async def main() -> T:
        return await factory()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


async def _import_categories(database_url: str, source: Path) -> int:
    db = Database.from_url(database_url)
    try:
        return await import_google_taxonomy(db, now=datetime.now(UTC), source=source)
    finally:
        await db.dispose()


async def _create_organisation(database_url: str, owner_email: str, name: str) -> int:
    db = Database.from_url(database_url)
    try:
        async with db.reading() as session:
            owner = await find_user_by_email(session, owner_email)
        assert owner is not None, f"{owner_email} has not registered"
        return await create_seller_organisation(
            db,
            name=name,
            owner_user_id=owner.id,
            now=datetime.now(UTC),
            audit=AuditContext(extra={"source": "e2e"}),
        )
    finally:
        await db.dispose()


def create_organisation(server: ShopServer, *, owner_email: str, name: str) -> int:
    """A seller organisation owned by an account that has registered; returns its id."""
    return run_async(lambda: _create_organisation(server.database_url, owner_email, name))


def _prepare(galerie: list[str], env: dict[str, str], var: Path) -> None:
    migrated_sqlite(var / "e2e-shop.sqlite3")
    subprocess.run(
        [
            *galerie,
            "create-operator",
            "--email",
            OPERATOR_EMAIL,
            "--name",
            "Odile Operator",
            *("--role", "vetting", "--role", "moderation", "--role", "finance"),
        ],
        env=env,
        input=f"{OPERATOR_PASSWORD}\n{OPERATOR_PASSWORD}\n",
        text=True,
        check=True,
        capture_output=True,
    )
    source = var / "categories.txt"
    source.write_text(CATEGORIES, encoding="utf-8")
    assert run_async(lambda: _import_categories(env["GALERIE_DATABASE_URL"], source)) == 2


@pytest.fixture(scope="session", name="shop_server")
def shop_server_fixture(
    chromium: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ShopServer]:
    """A migrated database with the operator and the categories, served on 127.0.0.1.
    Asks for `chromium` first, so that without a browser nothing is started."""
    var = tmp_path_factory.mktemp("e2e-shop-var")
    port = free_port()
    database_url = f"sqlite+aiosqlite:///{var / 'e2e-shop.sqlite3'}"
    env = {
        **os.environ,
        "GALERIE_ENV": "test",
        "GALERIE_VAR_DIR": str(var),
        "GALERIE_DATABASE_URL": database_url,
        "GALERIE_SECRET_KEY": "e2e-shop-" + "k" * 40,
    }
    env.pop("GALERIE_REDIS_URL", None)
    galerie = [sys.executable, "-m", "galerie.cli"]
    _prepare(galerie, env, var)
    log_path = var / "server.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [*galerie, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, log_path)
        yield ShopServer(base_url=base, database_url=database_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
