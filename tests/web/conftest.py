"""Web tests: the real app, on the per-test savepointed database, through Litestar's client.

Building the app (registering some 550 handlers) costs more than most web tests themselves,
so each Settings gets one app per run (`app_for`), handed to every test with a container
as create_app builds it: the test's database, clock and storage, a new payment provider and
search/page caches, empty session and counter stores, no extras."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import fields
from datetime import timedelta

import httpx
import pytest
from litestar import Litestar

from galerie.config import Settings
from galerie.db import Database
from galerie.identity import PrincipalCache
from galerie.kernel import Clock, FixedClock
from galerie.payments import payment_provider_for
from galerie.search import configure_result_cache
from galerie.storage import FileStorage, InMemoryStorage
from galerie.web.app import create_app
from galerie.web.auth import galerie_of_app
from galerie.web.context import Galerie
from galerie.web.storefront.page_cache import configure_product_pages

_APPS: dict[Settings, Litestar] = {}
# What app_for sets afresh for each test; a new field of the container must be added here.
RESET_FIELDS = frozenset(
    {
        "settings",
        "db",
        "clock",
        "session_store",
        "counter_store",
        "storage",
        "payment_provider",
        "principals",
        "extras",
    }
)


async def app_for(
    settings: Settings, *, db: Database, clock: Clock, storage: FileStorage
) -> Litestar:
    """create_app(settings, db=db, clock=clock, storage=storage) as a test sees it: the run's
    app for these settings with its container made over for this test (the same steps as
    create_app)."""
    app = _APPS.get(settings)
    if app is None:
        app = _APPS[settings] = create_app(settings, db=db, clock=clock, storage=storage)
        return app
    galerie = galerie_of_app(app)
    assert {f.name for f in fields(Galerie)} == RESET_FIELDS, "reset the new field too"
    assert galerie.settings == settings
    configure_result_cache(
        db, refresh_seconds=settings.search_refresh_seconds, capacity=settings.search_cache_size
    )
    configure_product_pages(db, refresh_seconds=settings.page_refresh_seconds)
    # the stores are those Litestar's registry hands the session middleware: emptied
    assert galerie.session_store is app.stores.get("sessions")
    assert galerie.counter_store is app.stores.get("counters")
    await galerie.session_store.delete_all()
    await galerie.counter_store.delete_all()
    galerie.settings = settings
    galerie.db = db
    galerie.clock = clock
    galerie.storage = storage
    galerie.payment_provider = payment_provider_for(settings, db, clock)
    galerie.principals = PrincipalCache(ttl=timedelta(seconds=settings.principal_cache_seconds))
    galerie.extras = {}
    return app


@pytest.fixture
async def app(db: Database, settings: Settings, clock: FixedClock) -> Litestar:
    return await app_for(settings, db=db, clock=clock, storage=InMemoryStorage())


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client calling the app in the test's own event loop (the database connection
    of the test belongs to that loop, so Litestar's threaded test client cannot be used)."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1:8000", follow_redirects=False
    ) as test_client:
        yield test_client
