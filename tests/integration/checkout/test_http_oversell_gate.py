"""The oversell gate over HTTP, on SQLite and PostgreSQL: 1,000 buyers, each with its own
token and its own connection to a real server (`galerie serve`'s app under uvicorn, its
production pool), post a buy-now checkout of one unit of a SKU that has 10, all released
together: exactly 10 answers 201, 990 answers 409 (`insufficient_stock`, or
`cart_has_problems` when the checkout's read already saw none left), none 5xx, and the
stock row and the order lines agree: 10 reserved, 0 available."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

from benchmarks.catalog import _galerie_env
from benchmarks.checkout import CHECKOUT
from benchmarks.checkout_seed import add_shoppers, seed_checkout, stock_of
from benchmarks.harness import HOST, Server
from benchmarks.load import LoadSettings
from benchmarks.suite import RunOptions
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

BUYERS = 1000
UNITS = 10
REFUSALS = {"insufficient_stock", "cart_has_problems"}


async def _set_stock(url: str, sku_id: int, units: int) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE stock_levels SET on_hand = :u, available = :u WHERE sku_id = :s"),
                {"u": units, "s": sku_id},
            )
    finally:
        await engine.dispose()


def _request(token: str, address_id: int, sku_id: int, n: int) -> bytes:
    body = json.dumps({"address_id": address_id, "lines": [{"sku_id": sku_id, "quantity": 1}]})
    head = (
        f"POST {CHECKOUT} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nIdempotency-Key: gate-{n}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return (head + body).encode()


async def _buy(port: int, request: bytes, go: asyncio.Event) -> tuple[int, str]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        await go.wait()
        writer.write(request)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout=120)
    finally:
        writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    code = json.loads(body).get("code", "") if status >= 400 and body.startswith(b"{") else ""
    return status, str(code)


async def _release_together(port: int, requests: list[bytes]) -> list[tuple[int, str]]:
    go = asyncio.Event()
    buyers = [asyncio.ensure_future(_buy(port, request, go)) for request in requests]
    await asyncio.sleep(1.0)  # every connection opened (the server accepts them all)
    go.set()
    return await asyncio.gather(*buyers)


async def test_1000_buyers_over_http_for_10_units(fresh_url: str, tmp_path: Path) -> None:
    seed = await seed_checkout(fresh_url, 1)
    shoppers = [(seed.user_id, seed.address_id, seed.token)]
    shoppers += await add_shoppers(fresh_url, BUYERS - 1)
    await _set_stock(fresh_url, seed.hot_sku, UNITS)
    options = RunOptions(LoadSettings(1, 1, 1, "python"), 1, 0, tmp_path)
    requests = [_request(token, address, seed.hot_sku, n)
                for n, (_, address, token) in enumerate(shoppers)]  # fmt: skip
    server = Server("Galerie", "benchmarks.targets.galerie_app:app", log_path=tmp_path / "g.log",
                    env=_galerie_env(options, fresh_url))  # fmt: skip
    with server:
        answers = await _release_together(server.port, requests)
        log = server.log_tail()
    statuses = Counter(status for status, _ in answers)
    assert statuses == {201: UNITS, 409: BUYERS - UNITS}, (statuses, log)
    # refused at the reservation, or already by the read when it saw none left
    assert {code for status, code in answers if status == 409} <= REFUSALS, Counter(answers)
    assert await stock_of(fresh_url, seed.hot_sku) == (UNITS, 0, UNITS, 0, UNITS)
