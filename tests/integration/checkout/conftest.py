from __future__ import annotations

from pathlib import Path

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.checkout.factories import Checkout, make_checkout
from tests.integration.orders.factories import make_market


@pytest.fixture
async def shop3(db: Database, clock: FixedClock, tmp_path: Path) -> Checkout:
    market = await make_market(db, clock.now(), tmp_path)
    return await make_checkout(db, clock.now(), market)
