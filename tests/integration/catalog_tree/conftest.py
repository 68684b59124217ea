from __future__ import annotations

from pathlib import Path

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.catalog_products.factories import World, make_world


@pytest.fixture
async def world(db: Database, clock: FixedClock, tmp_path: Path) -> World:
    return await make_world(db, clock.now(), tmp_path)


@pytest.fixture
def audit() -> AuditContext:
    return AuditContext(request_id="test")
