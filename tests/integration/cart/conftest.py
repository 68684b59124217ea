from __future__ import annotations

from pathlib import Path

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from tests.web.storefront_catalog_factories import Shops, make_shops


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: Path) -> Shops:
    return await make_shops(db, clock, tmp_path)
