from __future__ import annotations

from pathlib import Path

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.inventory.factories import Stockroom, make_stockroom


@pytest.fixture
async def room(db: Database, clock: FixedClock, tmp_path: Path) -> Stockroom:
    return await make_stockroom(db, clock.now(), tmp_path)
