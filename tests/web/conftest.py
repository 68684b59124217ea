"""Web tests: the real app, on the per-test savepointed database, through Litestar's client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from galerie.config import Settings
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.storage import InMemoryStorage
from galerie.web.app import create_app


@pytest.fixture
def app(db: Database, settings: Settings, clock: FixedClock) -> Litestar:
    return create_app(settings, db=db, clock=clock, storage=InMemoryStorage())


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client calling the app in the test's own event loop (the database connection
    of the test belongs to that loop, so Litestar's threaded test client cannot be used)."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1:8000", follow_redirects=False
    ) as test_client:
        yield test_client
