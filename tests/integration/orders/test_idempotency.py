"""Idempotency keys on both databases (Stripe's semantics): the same key and body 100
times make one order and replay the same response; a different body is refused; a
duplicate while the first runs is refused as in progress; a failed request frees its key;
keys live 24 hours, then the purge removes them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from galerie.db import Database, RawSQL
from galerie.inventory import InsufficientStock
from galerie.kernel import FixedClock, ValidationFailed
from galerie.orders import (
    IdempotencyInProgress,
    IdempotencyKeyReused,
    StoredResponse,
    place_order_once,
    purge_idempotency_keys,
    run_once,
)
from tests.integration.orders.factories import (
    ADDRESS,
    Market,
    counts,
    insert_live_sku,
    levels,
    ship,
    stock,
)


async def _setup(db: Database, market: Market, clock: FixedClock, units: int = 5) -> dict[str, Any]:
    shop = market.shops[0]
    sku = await insert_live_sku(db, clock.now(), shop_id=shop.shop_id)
    if units:
        await stock(db, clock.now(), shop, sku, units)
    return {"lines": [(sku, 1)], "shipping": ship(shop.shop_id), "address": ADDRESS}


async def test_one_hundred_replays_make_one_order_and_the_same_answer(
    db: Database, market: Market, clock: FixedClock
) -> None:
    request = await _setup(db, market, clock)
    sku = request["lines"][0][0]
    answers = [
        await place_order_once(
            db,
            idempotency_key="checkout-42",
            buyer_id=market.buyer_id,
            now=clock.now(),
            **request,
        )
        for _ in range(100)
    ]
    assert {(a.status, a.replayed) for a in answers[1:]} == {(201, True)}
    assert answers[0].replayed is False
    assert all(a.body == answers[0].body for a in answers)
    found = await counts(db)
    assert (found["groups"], found["orders"], found["keys"]) == (1, 1, 1)
    assert await levels(db, [sku]) == {sku: (5, 4, 1, 0)}
    # another buyer's identical key is another request
    other = await place_order_once(
        db,
        idempotency_key="checkout-42",
        buyer_id=market.other_buyer_id,
        now=clock.now(),
        **request,
    )
    assert other.replayed is False
    assert other.body["payment_group_id"] != answers[0].body["payment_group_id"]


async def test_the_same_key_with_another_body_is_refused(
    db: Database, market: Market, clock: FixedClock
) -> None:
    request = await _setup(db, market, clock)
    await place_order_once(
        db, idempotency_key="k", buyer_id=market.buyer_id, now=clock.now(), **request
    )
    before = await counts(db)
    changed = request | {"lines": [(request["lines"][0][0], 2)]}
    with pytest.raises(IdempotencyKeyReused) as caught:
        await place_order_once(
            db, idempotency_key="k", buyer_id=market.buyer_id, now=clock.now(), **changed
        )
    assert caught.value.code == "idempotency_key_reused"
    assert await counts(db) == before
    for bad in ("", " ", "x" * 256, "tab\there"):
        with pytest.raises(ValidationFailed):
            await place_order_once(
                db, idempotency_key=bad, buyer_id=market.buyer_id, now=clock.now(), **request
            )


async def test_a_duplicate_while_the_first_runs_is_refused_as_in_progress(
    db: Database, clock: FixedClock
) -> None:
    seen: list[str] = []

    async def first(_: RawSQL) -> StoredResponse:
        async def never(_: RawSQL) -> StoredResponse:
            raise AssertionError("the duplicate must not run")

        try:
            await run_once(db, scope="s", key="k", request={"a": 1}, now=clock.now(), work=never)
        except IdempotencyInProgress as refused:
            seen.append(refused.code)
        return StoredResponse(200, {"done": True})

    answer = await run_once(db, scope="s", key="k", request={"a": 1}, now=clock.now(), work=first)
    assert seen == ["idempotency_in_progress"]
    assert answer == StoredResponse(200, {"done": True})
    again = await run_once(db, scope="s", key="k", request={"a": 1}, now=clock.now(), work=first)
    assert again == StoredResponse(200, {"done": True}, replayed=True)
    assert seen == ["idempotency_in_progress"]


async def test_a_failed_request_frees_its_key_for_a_retry(
    db: Database, market: Market, clock: FixedClock
) -> None:
    request = await _setup(db, market, clock, units=0)
    before = await counts(db)
    with pytest.raises(InsufficientStock):
        await place_order_once(
            db, idempotency_key="k", buyer_id=market.buyer_id, now=clock.now(), **request
        )
    assert await counts(db) == before  # no key kept, no order
    await stock(db, clock.now(), market.shops[0], request["lines"][0][0], 1)
    answer = await place_order_once(
        db, idempotency_key="k", buyer_id=market.buyer_id, now=clock.now(), **request
    )
    assert (answer.status, answer.replayed) == (201, False)


async def test_keys_are_kept_24_hours_then_purged(
    db: Database, market: Market, clock: FixedClock
) -> None:
    request = await _setup(db, market, clock)
    start = clock.now()
    await place_order_once(db, idempotency_key="k", buyer_id=market.buyer_id, now=start, **request)
    assert await purge_idempotency_keys(db, now=start + timedelta(hours=23, minutes=59)) == 0
    replay = await place_order_once(
        db,
        idempotency_key="k",
        buyer_id=market.buyer_id,
        now=start + timedelta(hours=23),
        **request,
    )
    assert replay.replayed
    assert await purge_idempotency_keys(db, now=start + timedelta(hours=24)) == 1
    assert (await counts(db))["keys"] == 0


async def test_a_run_that_dies_leaves_its_key_free_at_once(db: Database, clock: FixedClock) -> None:
    """The claim lives in the run's own transaction: a run killed mid-request (here a
    cancellation) rolls it back with everything else, so a retry runs at once."""
    start = clock.now()

    async def dies(_: RawSQL) -> StoredResponse:
        raise asyncio.CancelledError  # the process went away mid-request

    with pytest.raises(asyncio.CancelledError):
        await run_once(db, scope="s", key="k", request={"a": 1}, now=start, work=dies)
    assert (await counts(db))["keys"] == 0

    async def works(_: RawSQL) -> StoredResponse:
        return StoredResponse(201, {"ran": True})

    taken = await run_once(
        db, scope="s", key="k", request={"a": 1}, now=start + timedelta(seconds=1), work=works
    )
    assert taken == StoredResponse(201, {"ran": True})
    with pytest.raises(IdempotencyKeyReused):
        await run_once(
            db, scope="s", key="k", request={"a": 2}, now=start + timedelta(minutes=2), work=works
        )
    replay = await run_once(
        db, scope="s", key="k", request={"a": 1}, now=start + timedelta(minutes=3), work=works
    )
    assert replay == StoredResponse(201, {"ran": True}, replayed=True)


async def test_a_key_older_than_a_day_starts_afresh_even_unpurged(
    db: Database, clock: FixedClock
) -> None:
    start = clock.now()
    runs: list[int] = []

    async def works(_: RawSQL) -> StoredResponse:
        runs.append(1)
        return StoredResponse(201, {"run": len(runs)})

    await run_once(db, scope="s", key="k", request={"a": 1}, now=start, work=works)
    later = start + timedelta(hours=24)
    again = await run_once(db, scope="s", key="k", request={"a": 2}, now=later, work=works)
    assert (again, len(runs)) == (StoredResponse(201, {"run": 2}), 2)
    assert (await counts(db))["keys"] == 1
