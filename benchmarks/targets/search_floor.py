"""Floor for the search benchmark: a bare Starlette app that answers the same search (one
word, one category with its descendants, the first page of 24 by relevance) with ONE raw
FTS5 statement on a read-only sqlite3 connection: no facets, no typo check, no framework
beyond Starlette. GALERIE_BENCH_SQLITE names the database file."""

from __future__ import annotations

import os
import sqlite3

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

_connection = sqlite3.connect(
    f"file:{os.environ['GALERIE_BENCH_SQLITE']}?mode=ro",
    uri=True,
    isolation_level=None,
    check_same_thread=False,
)
SEARCH = (
    "SELECT d.product_id, d.title_en, d.price_minor, d.currency, d.shop_name "
    "FROM search_fts f JOIN search_documents d ON d.product_id = f.rowid "
    "WHERE search_fts MATCH ? AND EXISTS (SELECT 1 FROM search_categories c "
    "WHERE c.category_id = ? AND c.product_id = d.product_id) "
    "ORDER BY bm25(search_fts), d.sales_count DESC, d.product_id DESC LIMIT 24"
)


async def ping(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


async def search(request: Request) -> JSONResponse:
    word = request.query_params["q"].replace('"', "")
    category = int(request.query_params["category"])
    rows = _connection.execute(SEARCH, (f'"{word}"', category)).fetchall()
    items = [
        {
            "product_id": r[0],
            "title": r[1],
            "price_minor": r[2],
            "currency": r[3],
            "shop_name": r[4],
        }
        for r in rows
    ]
    return JSONResponse({"items": items})


app = Starlette(routes=[Route("/api/v1/ping", ping), Route("/api/v1/search", search)])
