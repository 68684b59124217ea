"""Floor of the checkout benchmarks: a bare Starlette app placing an order with the least work
a correct shop could do, on the raw driver, in ONE transaction per request:

- POST /raw/orders (body: Galerie's checkout body, {"address_id": .., "lines": [{"sku_id": ..,
  "quantity": 1}]}): the conditional stock UPDATE of the SKU (available -> reserved, WHERE
  available >= 1 ... RETURNING), then INSERT a payment group, an order and its line into
  Galerie's own tables (real columns, valid values: the constraints hold), then 201 JSON;
  409 when the SKU has no stock left.
- POST /raw/hot: the conditional stock UPDATE alone, in its transaction (the hot-SKU floor).

No catalog read, no idempotency record, no movement row, no event, no history: the price,
the fee and the address are constants (the benchmark's seed gives every SKU the same price,
and product n has SKU n). PostgreSQL through an asyncpg pool of up to 30 connections (what
Galerie's engine may open); SQLite through one sqlite3 connection (the single writer), BEGIN
IMMEDIATE, with Galerie's pragmas (WAL, synchronous=FULL, foreign keys).

Environment: BENCH_DATABASE (a SQLite file or a postgresql:// DSN), BENCH_BUYER (user id),
BENCH_PRICE, BENCH_FEE (minor units)."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DATABASE = os.environ["BENCH_DATABASE"]
BUYER = int(os.environ["BENCH_BUYER"])
PRICE = int(os.environ["BENCH_PRICE"])
FEE = int(os.environ["BENCH_FEE"])
POSTGRES = DATABASE.startswith("postgresql://")
ADDRESS = json.dumps({"recipient": "Bench Shopper", "country": "CN", "city": "Shanghai"})

RESERVE = (
    "UPDATE stock_levels SET available = available - 1, reserved = reserved + 1, "
    "updated_at = $1 WHERE sku_id = $2 AND available >= 1 RETURNING shop_id, warehouse_id"
)
GROUP = (
    "INSERT INTO payment_groups (buyer_id, currency, goods_total_minor, shipping_total_minor, "
    "total_minor, status, created_at, pay_by, updated_at) "
    "VALUES ($1, 'CNY', $2, $3, $4, 'awaiting_payment', $5, $6, $5) RETURNING id"
)
ORDER = (
    "INSERT INTO orders (number, payment_group_id, shop_id, buyer_id, status, currency, "
    "goods_total_minor, shipping_fee_minor, total_minor, shipping_method, auto_confirm_days, "
    "address, created_at, updated_at) VALUES ($1, $2, $3, $4, 'awaiting_payment', 'CNY', $5, "
    "$6, $7, 'express', 10, $8, $9, $9) RETURNING id"
)
LINE = (
    "INSERT INTO order_lines (order_id, shop_id, sku_id, product_id, warehouse_id, title, "
    "unit_price_minor, quantity, line_total_minor, shipped_quantity) "
    "VALUES ($1, $2, $3, $3, $4, 'Bench item', $5, 1, $5, 0)"
)
_state: dict[str, Any] = {}


class _Line(msgspec.Struct):
    sku_id: int
    quantity: int


class _Body(msgspec.Struct):
    address_id: int
    lines: list[_Line]


_decode = msgspec.json.Decoder(_Body).decode


def _sku_of(body: bytes) -> int:
    return _decode(body).lines[0].sku_id


def _q(sql: str) -> str:
    """SQLite's numbered parameters (?1, ?2...) take the same arguments as asyncpg's $1, $2."""
    return sql.replace("$", "?")


def _sqlite() -> sqlite3.Connection:
    connection = _state.get("sqlite")
    if connection is None:
        connection = sqlite3.connect(DATABASE, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=10000",
                       "synchronous=FULL"):  # fmt: skip
            connection.execute(f"PRAGMA {pragma}")
        _state["sqlite"] = connection
    return connection


async def _pool() -> Any:
    pool = _state.get("pool")
    if pool is None:
        import asyncpg

        pool = _state["pool"] = await asyncpg.create_pool(DATABASE, min_size=10, max_size=30)
    return pool


def _values(now: datetime) -> tuple[Any, Any]:
    pay_by = now + timedelta(minutes=30)
    if POSTGRES:
        return now, pay_by
    text = "%Y-%m-%d %H:%M:%S.%f"
    return now.replace(tzinfo=None).strftime(text), pay_by.replace(tzinfo=None).strftime(text)


async def _place_postgres(sku: int, now: datetime) -> dict[str, int] | None:
    at, pay_by = _values(now)
    async with (await _pool()).acquire() as connection, connection.transaction():
        level = await connection.fetchrow(RESERVE, at, sku)
        if level is None:
            return None
        group = await connection.fetchval(GROUP, BUYER, PRICE, FEE, PRICE + FEE, at, pay_by)
        number = f"{now:%Y%m%d}{group:010d}01"
        order = await connection.fetchval(
            ORDER, number, group, level[0], BUYER, PRICE, FEE, PRICE + FEE, ADDRESS, at
        )
        await connection.execute(LINE, order, level[0], sku, level[1], PRICE)
    return {"payment_group_id": group, "order_id": order, "total": PRICE + FEE}


def _place_sqlite(sku: int, now: datetime) -> dict[str, int] | None:
    at, pay_by = _values(now)
    connection = _sqlite()
    connection.execute("BEGIN IMMEDIATE")
    try:
        level = connection.execute(_q(RESERVE), (at, sku)).fetchone()
        if level is None:
            connection.execute("ROLLBACK")
            return None
        group = connection.execute(
            _q(GROUP), (BUYER, PRICE, FEE, PRICE + FEE, at, pay_by)
        ).fetchone()[0]
        number = f"{now:%Y%m%d}{group:010d}01"
        args = (number, group, level[0], BUYER, PRICE, FEE, PRICE + FEE, ADDRESS, at)
        order = connection.execute(_q(ORDER), args).fetchone()[0]
        connection.execute(_q(LINE), (order, level[0], sku, level[1], PRICE))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return {"payment_group_id": group, "order_id": order, "total": PRICE + FEE}


async def _reserve_only(sku: int, now: datetime) -> dict[str, int] | None:
    at, _ = _values(now)
    if POSTGRES:
        async with (await _pool()).acquire() as connection, connection.transaction():
            level = await connection.fetchrow(RESERVE, at, sku)
    else:
        connection = _sqlite()
        connection.execute("BEGIN IMMEDIATE")
        level = connection.execute(_q(RESERVE), (at, sku)).fetchone()
        connection.execute("COMMIT")
    return None if level is None else {"sku_id": sku, "warehouse_id": level[1]}


def _answer(placed: dict[str, int] | None) -> Response:
    if placed is None:
        return JSONResponse({"code": "insufficient_stock"}, status_code=409)
    return Response(msgspec.json.encode(placed), 201, media_type="application/json")


async def orders(request: Request) -> Response:
    sku = _sku_of(await request.body())
    now = datetime.now(UTC)
    if POSTGRES:
        return _answer(await _place_postgres(sku, now))
    return _answer(_place_sqlite(sku, now))


async def hot(request: Request) -> Response:
    return _answer(await _reserve_only(_sku_of(await request.body()), datetime.now(UTC)))


async def ping(request: Request) -> Response:
    return JSONResponse({"ok": True})


app = Starlette(
    routes=[
        Route("/api/v1/ping", ping),
        Route("/raw/orders", orders, methods=["POST"]),
        Route("/raw/hot", hot, methods=["POST"]),
    ]
)
