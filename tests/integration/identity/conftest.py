"""Fixtures for identity's integration tests (the `db` and `clock` fixtures come from
tests/conftest.py and run each test on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from litestar.stores.memory import MemoryStore

from galerie.audit import AuditContext
from galerie.identity import LoginThrottle


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def throttle(store: MemoryStore) -> LoginThrottle:
    return LoginThrottle(store)


@pytest.fixture
def audit() -> AuditContext:
    return AuditContext(ip_address="203.0.113.7", request_id="req-1")
