"""Benchmarks of placing an order (issue 5), each against its raw floor in the same run:

- `place_order_postgres`: POST /api/v1/checkout/orders (buy now: one line of one SKU, a
  saved address, a unique Idempotency-Key per request), a different SKU per request out of
  20,000 (uncontended), vs the raw asyncpg floor doing one transaction per POST: the
  conditional stock UPDATE, INSERT payment group, order and line
  (benchmarks/targets/raw_checkout.py). Goal: >= 40%.
- `place_order_sqlite`: the same on a SQLite file vs the sqlite3 floor (one writer, BEGIN
  IMMEDIATE, the same statements). Goal: >= 40%.
- `hot_sku`: 64 connections (or --connections if more) all buying one SKU, on PostgreSQL,
  vs the floor's conditional single-row UPDATE in its transaction. Goal: >= 50%. Afterwards
  nothing may be oversold: on_hand = available + reserved + committed, the units reserved
  equal the units in order lines, and every 2xx answer counted has its line.

The databases are seeded by benchmarks/checkout_seed.py. When Galerie answers 404 or 405
(the endpoint is not there), the floor is still measured, then the run stops with a
BenchmarkError saying so."""

from __future__ import annotations

import asyncio
import http.client
import json
import secrets
import statistics
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from typing import Any

from benchmarks.catalog import PG_ADMIN, Target, _create_postgres, _drop_postgres, _galerie_env
from benchmarks.catalog import _result as result_of
from benchmarks.checkout_seed import CheckoutSeed, seed_checkout, stock_of
from benchmarks.harness import HOST, BenchmarkError, Server
from benchmarks.load import Measurement, Varying, measure
from benchmarks.suite import BenchmarkResult, RunOptions

PRODUCTS = 20_000
HOT_PRODUCTS = 100
HOT_CONNECTIONS = 64
CHECKOUT = "/api/v1/checkout/orders"
BODY = '{{"address_id": {address}, "lines": [{{"sku_id": {sku}, "quantity": 1}}]}}'


@dataclass(frozen=True, slots=True)
class Post:
    key: str
    label: str
    server: str
    path: str
    first_sku: int
    skus: int
    headers: dict[str, str]  # "{n}" in a value is filled per request (benchmarks.load)
    check: Callable[[int, bytes], bool]


def _post(port: int, path: str, body: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _placed(status: int, body: bytes) -> bool:
    """Galerie's 201: {payment_group_id, total, pay_by, orders: [...]}, one order here."""
    if status != 201:
        return False
    data = json.loads(body)
    return {"payment_group_id", "total", "pay_by", "orders"} <= set(data) and (
        len(data["orders"]) == 1
    )


def _floor_placed(status: int, body: bytes) -> bool:
    return status == 201 and bool({"order_id", "sku_id"} & set(json.loads(body)))


def _plan(seed: CheckoutSeed, floor_label: str, *, hot: bool) -> list[Post]:
    galerie_headers = {
        "Authorization": f"Bearer {seed.token}",
        "Content-Type": "application/json",
        "Idempotency-Key": "bench-{run}-{n}",
    }
    first, skus = (seed.hot_sku, 1) if hot else (1, seed.skus)
    floor_first = seed.hot_floor_sku if hot else 1
    label = "Galerie, one hot SKU" if hot else "Galerie checkout (POST, one line)"
    return [
        Post(
            "raw", floor_label, "raw", "/raw/hot" if hot else "/raw/orders", floor_first,
            skus, {"Content-Type": "application/json"}, _floor_placed,
        ),
        Post("galerie", label, "galerie", CHECKOUT, first, skus, galerie_headers, _placed),
    ]  # fmt: skip


def _fill(post: Post, seed: CheckoutSeed, run: str) -> tuple[dict[str, str], Varying]:
    headers = {name: value.replace("{run}", run) for name, value in post.headers.items()}
    body = BODY.format(address=seed.address_id, sku="{item}")
    return headers, Varying("POST", body, post.first_sku, post.skus)


def _check(servers: dict[str, Server], plan: list[Post], seed: CheckoutSeed) -> bool:
    """Each target places one order; False when Galerie has no checkout endpoint."""
    for post in plan:
        headers, varying = _fill(post, seed, secrets.token_hex(6))
        headers = {name: value.replace("{n}", "0") for name, value in headers.items()}
        body = varying.body.replace("{item}", str(post.first_sku + post.skus - 1))
        status, answer = _post(servers[post.server].port, post.path, body, headers)
        if post.server == "galerie" and status in (404, 405):
            return False
        if not post.check(status, answer):
            raise BenchmarkError(
                f"{post.label}: POST {post.path} answered {status} {answer[:300]!r}"
            )
    return True


def _one(server: Server, post: Post, seed: CheckoutSeed, settings: Any) -> Measurement:
    headers, varying = _fill(post, seed, secrets.token_hex(6))
    before = server.cpu_seconds()
    figures = measure(server.url(post.path), headers, settings, varying)
    after = server.cpu_seconds()
    if before is not None and after is not None and figures.requests:
        figures = replace(
            figures, server_cpu_us_per_request=(after - before) / figures.requests * 1e6
        )
    if figures.non_2xx:
        raise BenchmarkError(
            f"{post.label}: {figures.non_2xx} of {figures.requests} answers were not 2xx; "
            f"log:\n{server.log_tail()}"
        )
    return figures


def _measure(
    options: RunOptions, name: str, servers: dict[str, Server], plan: list[Post], seed: CheckoutSeed
) -> tuple[dict[str, list[Measurement]], dict[str, int], list[str]]:
    """Warm-up, then interleaved rounds; also the 2xx answers counted per target (warm-up
    and the check included)."""
    load = options.load
    if name == "hot_sku":
        load = replace(load, connections=max(load.connections, HOT_CONNECTIONS))
    answered = {post.key: 1 for post in plan}
    notes: list[str] = []
    measured: dict[str, list[Measurement]] = {post.key: [] for post in plan}
    runs = [(0, replace(load, duration=options.warmup))] if options.warmup > 0 else []
    runs += [(n, load) for n in range(1, options.rounds + 1)]
    for number, settings in runs:
        for post in plan:
            figures = _one(servers[post.server], post, seed, settings)
            answered[post.key] += figures.requests
            if figures.socket_errors:
                notes.append(f"{post.label}: {figures.socket_errors} socket errors (timeouts?)")
            what = f"round {number}/{options.rounds}" if number else "warm-up"
            options.progress(
                f"[{name}] {what:11} {post.label:44} {figures.requests_per_second:>9,.0f} req/s"
                f"  p99 {figures.p99_ms:7.2f} ms"
            )
            if number:
                measured[post.key].append(figures)
    return measured, answered, notes


def _run(
    options: RunOptions, name: str, url: str, raw_db: str, seed: CheckoutSeed, plan: list[Post]
) -> tuple[dict[str, list[Measurement]], list[str]]:
    logs = options.work_dir / "logs"
    servers = {
        "raw": Server(
            "raw checkout floor", "benchmarks.targets.raw_checkout:app",
            log_path=logs / f"{name}-raw.log", env=seed.floor_env(raw_db),
        ),
        "galerie": Server(
            "Galerie", "benchmarks.targets.galerie_app:app", log_path=logs / f"{name}.log",
            env=_galerie_env(options, url),
        ),
    }  # fmt: skip
    with ExitStack() as stack:
        for server in servers.values():
            options.progress(f"[{name}] starting {server.name}")
            stack.enter_context(server)
        if not _check(servers, plan, seed):
            measured, _, _ = _measure(options, name, servers, plan[:1], seed)
            floor = statistics.median(m.requests_per_second for m in measured["raw"])
            raise BenchmarkError(
                f"Galerie has no checkout endpoint: POST {CHECKOUT} answered 404/405 "
                f"(the floor, {plan[0].label}, measured {floor:,.0f} req/s)"
            )
        measured, answered, notes = _measure(options, name, servers, plan, seed)
    if name == "hot_sku":
        _check_not_oversold(url, seed, answered)
    return measured, notes


def _check_not_oversold(url: str, seed: CheckoutSeed, answered: dict[str, int]) -> None:
    """Nothing oversold: the stock identity holds, Galerie reserved exactly the units in its
    order lines, and each side reserved at least the units the load generator counted 2xx
    answers for (a few more are normal: answers still in flight when a run's clock stopped
    are not counted)."""
    for key, sku in (("galerie", seed.hot_sku), ("raw", seed.hot_floor_sku)):
        on_hand, available, reserved, committed, lines = asyncio.run(stock_of(url, sku))
        if on_hand != available + reserved + committed or available < 0:
            raise BenchmarkError(
                f"SKU {sku}: on_hand {on_hand} != {available}+{reserved}+{committed}"
            )
        if key == "galerie" and reserved != lines:
            raise BenchmarkError(f"SKU {sku}: {reserved} units reserved, {lines} in order lines")
        if reserved < answered[key]:
            raise BenchmarkError(f"SKU {sku}: {answered[key]} answers 2xx, {reserved} reserved")


def _postgres(options: RunOptions) -> tuple[str, bool]:
    given = options.database_url
    if given and "postgres" in given:
        return given.replace("postgresql+asyncpg://", "postgresql://"), False
    dsn = asyncio.run(_create_postgres())
    if dsn is None:
        raise BenchmarkError(f"no PostgreSQL server answers on {PG_ADMIN}")
    return dsn, True


def _on_postgres(
    options: RunOptions, name: str, products: int, floor: str, *, hot: bool
) -> dict[str, Any]:
    dsn, throwaway = _postgres(options)
    try:
        url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
        options.progress(f"[{name}] seeding {products:,} products (PostgreSQL)")
        seed = asyncio.run(seed_checkout(url, products))
        plan = _plan(seed, floor, hot=hot)
        measured, notes = _run(options, name, url, dsn, seed, plan)
    finally:
        if throwaway:
            asyncio.run(_drop_postgres(dsn))
    return {"plan": plan, "measured": measured, "notes": notes}


def _targets(plan: list[Post]) -> list[Target]:
    return [Target(p.key, p.label, p.server, p.path, lambda body: True) for p in plan]


def run_place_order_postgres(options: RunOptions) -> BenchmarkResult:
    name = "place_order_postgres"
    floor = "raw asyncpg place-order transaction (floor)"
    got = _on_postgres(options, name, PRODUCTS, floor, hot=False)
    goal = ("checkout >= 40% of the raw place-order transaction", "galerie", 0.4)
    title = f"{name}: one-line orders, a different SKU each (of {PRODUCTS:,}), PostgreSQL"
    notes = [
        *got["notes"],
        "Galerie also keeps an idempotency record, reads the catalog, quotes shipping, "
        "writes a stock movement, history and events",
    ]
    return result_of(options, name, title, _targets(got["plan"]), got["measured"], goal, notes)


def run_place_order_sqlite(options: RunOptions) -> BenchmarkResult:
    name = "place_order_sqlite"
    path = options.work_dir / f"{name}.sqlite3"
    path.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{path}"
    options.progress(f"[{name}] seeding {PRODUCTS:,} products (SQLite)")
    seed = asyncio.run(seed_checkout(url, PRODUCTS))
    plan = _plan(seed, "raw sqlite3 place-order transaction (floor)", hot=False)
    measured, notes = _run(options, name, url, str(path), seed, plan)
    goal = ("checkout >= 40% of the single-writer raw place-order rate", "galerie", 0.4)
    title = f"{name}: one-line orders, a different SKU each (of {PRODUCTS:,}), SQLite"
    return result_of(options, name, title, _targets(plan), measured, goal, notes)


def run_hot_sku(options: RunOptions) -> BenchmarkResult:
    name = "hot_sku"
    floor = "raw single-row conditional UPDATE (floor)"
    got = _on_postgres(options, name, HOT_PRODUCTS, floor, hot=True)
    connections = max(options.load.connections, HOT_CONNECTIONS)
    goal = ("one hot SKU >= 50% of the raw single-row rate, 0 oversold", "galerie", 0.5)
    title = f"{name}: {connections} connections buying one SKU, PostgreSQL"
    notes = [
        *got["notes"],
        "checked after the run: 0 oversold, units reserved = units in order lines",
    ]
    return result_of(options, name, title, _targets(got["plan"]), got["measured"], goal, notes)


BENCHMARKS: dict[str, Callable[[RunOptions], BenchmarkResult]] = {
    "place_order_postgres": run_place_order_postgres,
    "place_order_sqlite": run_place_order_sqlite,
    "hot_sku": run_hot_sku,
}
