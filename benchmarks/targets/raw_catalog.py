"""Floor: a minimal ASGI endpoint serving the same page of product cards as Galerie's category
listing, by running the very same SQL (galerie.catalog.listing_sql) on the raw driver and
encoding the rows as JSON with msgspec. No framework, no middleware, no cache, no tree.

Environment: BENCH_DATABASE (a SQLite file, or a PostgreSQL DSN for asyncpg), BENCH_CATEGORIES
(a JSON list: the category and its descendants), BENCH_PER_PAGE (24). GET /api/v1/ping answers
for readiness; GET /raw/categories serves the page."""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Any

import msgspec

from galerie.catalog import ProductSort, listing_sql

DATABASE = os.environ["BENCH_DATABASE"]
CATEGORIES: list[int] = json.loads(os.environ["BENCH_CATEGORIES"])
PER_PAGE = int(os.environ.get("BENCH_PER_PAGE", "24"))
POSTGRES = DATABASE.startswith("postgresql://")
DIALECT = "postgresql" if POSTGRES else "sqlite"
SQL = listing_sql(DIALECT, by="category", sort=ProductSort.NEWEST)
ARGS: tuple[Any, ...] = ("en", CATEGORIES if POSTGRES else json.dumps(CATEGORIES), PER_PAGE + 1, 0)
HEADERS = [(b"content-type", b"application/json")]
_state: dict[str, Any] = {}


def _cards(rows: list[Any]) -> bytes:
    return msgspec.json.encode(
        [
            {
                "id": r[0],
                "title": r[1],
                "min_price": {"minor": r[3], "currency": r[2]},
                "max_price": {"minor": r[4], "currency": r[2]},
                "shop": {"slug": r[6], "name": r[5]},
                "thumbnail_url": f"/images/products/{r[7]}/thumb" if r[8] else None,
            }
            for r in rows[:PER_PAGE]
        ]
    )


async def _rows() -> list[Any]:
    if POSTGRES:
        import asyncpg

        pool = _state.get("pool")
        if pool is None:
            pool = _state["pool"] = await asyncpg.create_pool(DATABASE, min_size=1, max_size=10)
        async with pool.acquire() as connection:
            return list(await connection.fetch(SQL, *ARGS))
    reader = _state.get("sqlite")
    if reader is None:
        reader = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True, check_same_thread=False)
        _state["sqlite"] = reader
    return reader.execute(SQL.replace("$", "?"), ARGS).fetchall()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] == "/raw/categories":
        body = _cards(await _rows())
    elif scope["path"] == "/api/v1/ping":
        body = b'{"ok":true}'
    else:
        await send({"type": "http.response.start", "status": 404, "headers": HEADERS})
        await send({"type": "http.response.body", "body": b"{}"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": body})
