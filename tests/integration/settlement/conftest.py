from __future__ import annotations

from pathlib import Path

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.orders.factories import Market, make_market


@pytest.fixture
async def market(db: Database, clock: FixedClock, tmp_path: Path) -> Market:
    return await make_market(db, clock.now(), tmp_path)
