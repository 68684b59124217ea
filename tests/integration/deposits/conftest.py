from __future__ import annotations

from pathlib import Path

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.sellers.factories import People, load_categories, make_people


@pytest.fixture
async def people(db: Database, clock: FixedClock, tmp_path: Path) -> People:
    await load_categories(db, clock.now(), tmp_path)
    return await make_people(db, clock.now())


@pytest.fixture
def audit() -> AuditContext:
    return AuditContext(request_id="test")
