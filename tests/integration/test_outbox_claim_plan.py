"""The outbox claim reads only undispatched events, however many were dispatched before: on
PostgreSQL, with 200,000 dispatched events and 5,000 waiting, the table analysed, the claim's
scans filter out a handful of rows, not the history (it walked the primary key and filtered every
dispatched event before the partial index ix_outbox_events_undispatched, migration 0027)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from galerie.db import Database, RawSQL
from galerie.workers.outbox import _claim_statement

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
DISPATCHED, PENDING = 200_000, 5_000


def _removed(node: dict[str, Any]) -> int:
    """Rows filtered out by every scan of the plan, summed."""
    own = int(node.get("Rows Removed by Filter", 0)) if "Scan" in node["Node Type"] else 0
    return own + sum(_removed(child) for child in node.get("Plans", ()))


@pytest.mark.parametrize("fresh_url", ["postgresql"], indirect=True)
async def test_the_claim_does_not_walk_dispatched_events(fresh_url: str) -> None:
    db = Database.from_url(fresh_url)
    try:
        async with db.transaction() as session:
            raw = await RawSQL.of(session)
            fill = (
                "INSERT INTO outbox_events (event_name, payload, occurred_at, available_at, "
                "dispatched_at, attempts) SELECT 'Probe', '{}'::json, $1, $1, {done}, 0 "
                "FROM generate_series(1, $2)"
            )
            await raw.execute(fill.replace("{done}", "$1"), NOW, DISPATCHED)
            await raw.execute(fill.replace("{done}", "NULL"), NOW, PENDING)
        async with db.transaction() as session:
            await (await RawSQL.of(session)).execute("ANALYZE outbox_events")
        claim = _claim_statement(
            "postgresql", NOW + timedelta(seconds=1), NOW + timedelta(seconds=60), 50
        )
        assert db.engine is not None
        literal = {"literal_binds": True}
        sql = str(claim.compile(dialect=db.engine.dialect, compile_kwargs=literal))
        async with db.transaction() as session:  # the database is the test's own
            found = await (await RawSQL.of(session)).fetchrow(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + sql
            )
    finally:
        await db.dispose()
    assert found is not None
    explained = found[0]  # the driver decodes the JSON
    plan = (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]
    assert _removed(plan) < 1_000, json.dumps(plan)[:2000]
