"""The crash loop (issue 6): real server and worker processes killed with SIGKILL at random
points, 200 times, while payments are made, receipts confirmed, paid orders cancelled
(refunded), receipts confirmed by the clock and payouts run; then every unacknowledged
operation retried until acknowledged and the worker run until drained. On SQLite and
PostgreSQL:

- no half-written movement: every currency sums to zero, the journal agrees with the
  cached balances, no payable or deposit below zero, no provider event left `received`;
- every operation is there exactly once: each confirmed receipt (acknowledged, or answered
  on a retry) completed its order and released its escrow once (`release:<order>`); each
  cancellation refunded the order once, in full; each payment captured its group once;
  every payout the runs made was paid once; every webhook the provider saw answered 2xx
  was applied;
- each checkout placed through the API with an Idempotency-Key (sent again, same bytes,
  until answered) made one payment group and moved its stock once;
- `galerie reconcile --json` exits 0 with 0 discrepancies.

The processes are children of a fork server (crash_support) that imported Galerie once, so
a kill and a restart cost milliseconds; the reconcile command is forked from it too. Each
kill waits (at most 0.2 s, 1 s) for a moment of work (the server: a request of ours or a
webhook in flight; the worker: entering a step of its pass drawn at random: timers,
outbox, webhooks, refunds, payout run, payouts), then lands at a random point in the next
20 ms; the figures printed say what each killed process was doing. Every process reads a
shared clock which the loop moves forward, so that retries, leases and the automatic
confirmation come due. The loop's random choices come from one seed, printed (GALERIE_CRASH_SEED=<seed>
replays the plan, though not the processes' timing; GALERIE_CRASH_KILLS changes the number
of kills). Payments are made on the provider's side in this process (the hosted page is
the provider's); their webhooks go through the killed worker and server.

The set-up (orders placed, paid and shipped before the loop) runs in this process in one
transaction; its outbox events (mails, indexing) are marked dispatched, so that the
worker's time goes to the loop's work."""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select, update

from galerie.config import Settings, load_settings
from galerie.db import Database, RawSQL
from galerie.db.outbox import OutboxEvent
from galerie.fulfilment import record_shipment
from galerie.fulfilment.models import ReceiptTimer
from galerie.identity import Permission
from galerie.kernel import FixedClock
from galerie.orders import Actor, place_order
from galerie.orders.models import Order, OrderLine
from galerie.payments import start_payment
from galerie.payments.sandbox import (
    HostedAction,
    SandboxProvider,
    SandboxWebhookSender,
    complete_session,
)
from galerie.reconciliation import reconcile
from galerie.workers.timers import send_sandbox_webhooks
from tests.factories import make_token
from tests.integration.checkout.factories import Checkout, make_checkout
from tests.integration.orders.factories import (
    ADDRESS,
    Market,
    insert_live_sku,
    levels,
    make_market,
    ship,
)
from tests.integration.orders.factories import stock as receive
from tests.integration.payments.crash_support import (
    WEBHOOKS,
    WORKER_STEPS,
    ForkServer,
    SharedClock,
)
from tests.integration.payments.invariants import assert_ledger_balances, order_money
from tests.integration.payments.support import Endpoint

KILLS = int(os.environ.get("GALERIE_CRASH_KILLS", "200"))
SEED = int(os.environ.get("GALERIE_CRASH_SEED", str(random.SystemRandom().randrange(2**32))))
SIZES = {"pay": 16, "confirm": 24, "auto": 20, "cancel": 16}  # orders (pay: two-shop groups)
PLACEMENTS = 24  # checkouts placed through the API, each with its Idempotency-Key
# Seconds a kill waits for its moment (then kills anyway): a worker's first pass after a
# restart (the timers) takes a few tenths of a second on a busy machine
BUSY_WAIT = {"serve": 0.2, "work": 1.0}
KILL_WITHIN = 0.02  # seconds after that: the kill's random point
RECEIPT_DAYS = 10
LOOP_ADVANCE = 20.0  # at most this many seconds of shared time pass at each kill
BACK = "http://127.0.0.1/account/orders"
SECRET_KEY = "crash-loop-" + "k" * 40


@dataclass
class Plan:
    """What the loop does and what it must leave: the orders of each kind, the groups to
    pay during the loop, the answers each operation got."""

    market: Market
    token: str
    orders: dict[str, list[int]] = field(default_factory=dict)  # kind -> order ids
    totals: dict[int, int] = field(default_factory=dict)
    to_pay: list[int] = field(default_factory=list)  # payment groups
    answers: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)  # (status, tries)
    server_errors: list[str] = field(default_factory=list)
    checkout: Checkout | None = None  # the SKUs (one per shop) and address of the placements
    # Idempotency-Key -> (payment group, SKU, tries)
    placed: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    skus: list[int] = field(default_factory=list)  # one per shop, for the seeded orders
    in_flight: int = 0  # requests sent and not answered yet


def _env(url: str, directory: Path) -> dict[str, str]:
    return {
        "GALERIE_ENV": "test",
        "GALERIE_DATABASE_URL": url,
        "GALERIE_SECRET_KEY": SECRET_KEY,
        "GALERIE_VAR_DIR": str(directory / "var"),
        "GALERIE_PAYMENT_PROVIDER": "sandbox",
        "GALERIE_IN_PROCESS_WORKER": "0",
        "GALERIE_PAYOUT_MINIMUM_MINOR": "100",
        "GALERIE_LOG_FORMAT": "console",
        "GALERIE_SEARCH_REFRESH_SECONDS": "0",
        "GALERIE_PAGE_REFRESH_SECONDS": "0",
    }


def _sandbox(settings: Settings, db: Database, clock: FixedClock) -> SandboxProvider:
    return SandboxProvider(
        db, clock, webhook_secret=settings.sandbox_webhook_secret,
        page_base_url=settings.base_url, webhook_url=settings.sandbox_webhook_url,
    )  # fmt: skip


def _say(text: str) -> None:
    print(text, flush=True)  # noqa: T201 - the seed and the figures (-s shows them, as a failure does)


# -- seeding, in this process, before any server runs ---------------------------------------


async def _place(db: Database, plan: Plan, now: datetime, shops: list[int], units: int) -> int:
    market = plan.market
    lines = [(plan.skus[index], units) for index in shops]
    chosen = ship(*(market.shops[i].shop_id for i in shops), days=RECEIPT_DAYS)
    async with db.transaction() as session:
        group = await place_order(
            session, buyer_id=market.buyer_id, lines=lines, shipping=chosen, address=ADDRESS,
            now=now, pay_within=timedelta(days=2),
        )  # fmt: skip
    return group.id


async def _pay(
    db: Database, provider: SandboxProvider, buyer: int, group: int, now: datetime
) -> None:
    started = await start_payment(
        db, provider, buyer_id=buyer, payment_group_id=group, return_url=BACK, cancel_url=BACK,
        now=now,
    )  # fmt: skip
    token = started.hosted_url.rsplit("/", 1)[1]
    await complete_session(db, session_token=token, action=HostedAction.PAY, now=now)


async def _orders_of(db: Database, group: int) -> list[tuple[int, int, dict[int, int], int]]:
    """(order id, shop id, sku -> units, total) of the group's orders."""
    async with db.reading() as session:
        orders = (
            await session.execute(
                select(Order.id, Order.shop_id, Order.total_minor)
                .where(Order.payment_group_id == group)
                .order_by(Order.id)
            )
        ).all()
        found = []
        for order_id, shop_id, total in orders:
            lines = await session.execute(
                select(OrderLine.sku_id, OrderLine.quantity).where(OrderLine.order_id == order_id)
            )
            units = {int(sku): int(n) for sku, n in lines}
            found.append((int(order_id), int(shop_id), units, int(total)))
        return found


async def _paid_order(
    db: Database, settings: Settings, plan: Plan, at: datetime, units: int, *, shipped: bool
) -> tuple[int, int]:
    """A one-shop order placed, paid (its webhook applied here) and maybe shipped at `at`."""
    market = plan.market
    clock = FixedClock(at)
    provider = _sandbox(settings, db, clock)
    shop = market.shops[units % 2]
    group = await _place(db, plan, at, [units % 2], units)
    await _pay(db, provider, market.buyer_id, group, at)
    sender = SandboxWebhookSender(
        db, Endpoint(db, provider, clock), clock, secret=settings.sandbox_webhook_secret
    )
    await send_sandbox_webhooks(sender)
    ((order_id, _, lines, total),) = await _orders_of(db, group)
    if shipped:
        await record_shipment(
            db, order_id=order_id, quantities=lines,
            actor=Actor.seller(market.owner_user_id, shop.shop_id), now=at,
        )  # fmt: skip
    return order_id, total


async def _seed(
    db: Database, settings: Settings, now: datetime, rng: random.Random, tmp: Path
) -> Plan:
    market = await make_market(db, now - timedelta(days=RECEIPT_DAYS + 1), tmp, shops=2)
    token = await make_token(
        db, user_id=market.buyer_id, now=now - timedelta(days=RECEIPT_DAYS + 1),
        permissions=[Permission.ACCOUNT_VIEW.value, Permission.ACCOUNT_MANAGE.value],
    )  # fmt: skip
    plan = Plan(market, token, {kind: [] for kind in SIZES})
    setup = now - timedelta(days=RECEIPT_DAYS + 1)
    plan.checkout = await make_checkout(db, setup, market)
    for shop, sku in zip(market.shops, plan.checkout.skus, strict=True):
        await receive(db, now, shop, sku, PLACEMENTS)
    for shop in market.shops:  # the seeded orders' SKU, one per shop, plenty in stock
        price = rng.randint(1_000, 9_999)
        sku = await insert_live_sku(db, setup, shop_id=shop.shop_id, price_minor=price)
        await receive(db, setup, shop, sku, 10 * sum(SIZES.values()))
        plan.skus.append(sku)
    span = KILLS * LOOP_ADVANCE / 2  # about the shared time the loop covers
    for kind in ("confirm", "auto", "cancel"):
        for _ in range(SIZES[kind]):
            units = rng.randint(1, 5)
            if kind == "auto":  # its automatic confirmation falls due during the loop
                at = now - timedelta(days=RECEIPT_DAYS, seconds=-rng.uniform(0, span))
            else:
                at = now - timedelta(hours=1)
            order_id, total = await _paid_order(
                db, settings, plan, at, units, shipped=kind != "cancel"
            )
            plan.orders[kind].append(order_id)
            plan.totals[order_id] = total
    for _ in range(SIZES["pay"] // 2):
        group = await _place(db, plan, now, [0, 1], rng.randint(1, 5))
        plan.to_pay.append(group)
        for order_id, _, _, total in await _orders_of(db, group):
            plan.orders["pay"].append(order_id)
            plan.totals[order_id] = total
    return plan


async def _set_up_events_delivered(db: Database, now: datetime) -> None:
    """The set-up's outbox events (the mails and indexing of placing, paying and shipping
    the seeded orders: nothing the loop checks) count as dispatched, so that the worker's
    time goes to what the loop does."""
    async with db.transaction() as session:
        await session.execute(
            update(OutboxEvent).where(OutboxEvent.dispatched_at.is_(None)).values(dispatched_at=now)
        )


# -- the loop --------------------------------------------------------------------------------


async def _until_answered(
    http: httpx.AsyncClient, plan: Plan, name: str, order_id: int, body: dict[str, str] | None
) -> None:
    """POST until the server answers (a killed server's connection error, or a 5xx, is
    retried, as a client does); the answer and the number of tries."""
    path = f"/api/v1/me/orders/{order_id}/{name}"
    tries = 0
    while True:
        tries += 1
        try:
            plan.in_flight += 1
            answer = await http.post(path, json=body)
        except httpx.TransportError:
            await asyncio.sleep(0.005)
            continue
        finally:
            plan.in_flight -= 1
        if answer.status_code >= 500:
            plan.server_errors.append(f"{name} {order_id}: {answer.status_code} {answer.text}")
            await asyncio.sleep(0.005)
            continue
        plan.answers[(name, order_id)] = (answer.status_code, tries)
        return


async def _place_once(http: httpx.AsyncClient, plan: Plan, key: str, rng: random.Random) -> None:
    """Place a checkout through the API with its Idempotency-Key, the same bytes sent again
    until answered: after a kill the retry either places it or replays the stored answer
    (409 `idempotency_in_progress` while a dead server's transaction is still being rolled
    back: a client waits and retries)."""
    assert plan.checkout is not None
    sku = rng.choice(plan.checkout.skus)
    body = json.dumps(
        {"address_id": plan.checkout.china, "lines": [{"sku_id": sku, "quantity": 1}]}
    ).encode()
    headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
    tries = 0
    while True:
        tries += 1
        try:
            plan.in_flight += 1
            answer = await http.post("/api/v1/checkout/orders", content=body, headers=headers)
        except httpx.TransportError:
            await asyncio.sleep(0.005)
            continue
        finally:
            plan.in_flight -= 1
        if answer.status_code >= 500:
            plan.server_errors.append(f"checkout {key}: {answer.status_code} {answer.text}")
        elif answer.status_code == 409 and answer.json().get("code") == "idempotency_in_progress":
            pass
        else:
            assert answer.status_code == 201, (key, answer.status_code, answer.text)
            plan.placed[key] = (answer.json()["payment_group_id"], sku, tries)
            return
        await asyncio.sleep(0.01)


async def _operation(
    kind: str, target: int, http: httpx.AsyncClient, db: Database, settings: Settings,
    clock: SharedClock, plan: Plan,
) -> None:  # fmt: skip
    if kind == "pay":  # the buyer pays on the provider's page; its webhook comes later
        provider = _sandbox(settings, db, FixedClock(clock.now()))
        await _pay(db, provider, plan.market.buyer_id, target, clock.now())
    elif kind == "place":
        await _place_once(http, plan, f"crash-checkout-{target}", random.Random(SEED + target))
    elif kind == "confirm":
        await _until_answered(http, plan, "confirm-receipt", target, None)
    else:
        await _until_answered(http, plan, "cancel", target, {"reason": "crash loop"})


async def _until(victim: str, step: int, clock: SharedClock, plan: Plan) -> bool:
    """Wait (up to BUSY_WAIT) for the moment to kill: the worker entering `step` of its
    pass; the server with a request in flight (ours, or the worker's webhook); whether it
    came."""
    deadline, entered = time.monotonic() + BUSY_WAIT[victim], clock.entered(step)
    while True:
        if victim == "work" and clock.entered(step) > entered:
            return True
        if victim == "serve" and (plan.in_flight or clock.step == step):
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.001)


STEP_NAMES = dict(enumerate(
    ("idle", "timers", "outbox", "webhooks", "refunds", "payout run", "payouts", "starting")
))  # fmt: skip


def _moment(victim: str, clock: SharedClock, plan: Plan) -> str:
    """What the process was doing when killed (as far as the test can see)."""
    if victim == "work":
        return f"worker {STEP_NAMES[clock.step]}"
    if plan.in_flight:
        return "server with requests in flight"
    return "server, worker posting webhooks" if clock.step == WEBHOOKS else "server otherwise"


@dataclass
class Figures:
    kills: Counter[str] = field(default_factory=Counter)
    moments: Counter[str] = field(default_factory=Counter)  # what the killed was doing
    restart_seconds: float = 0.0
    loop_seconds: float = 0.0
    drain_seconds: float = 0.0
    seed_seconds: float = 0.0


async def _crash_loop(
    forks: ForkServer, http: httpx.AsyncClient, db: Database, settings: Settings,
    clock: SharedClock, plan: Plan, rng: random.Random, figures: Figures,
) -> dict[str, int]:  # fmt: skip
    """KILLS kills of the server or the worker at random moments while the operations run;
    the pids of the processes left running."""
    operations = [("pay", group) for group in plan.to_pay]
    operations += [("confirm", order) for order in plan.orders["confirm"]]
    operations += [("cancel", order) for order in plan.orders["cancel"]]
    operations += [("place", n) for n in range(PLACEMENTS)]
    rng.shuffle(operations)
    running: set[asyncio.Task[None]] = set()
    generation = 0
    pids = {"serve": forks.start("serve"), "work": forks.start("work", str(generation))}
    started = time.monotonic()
    for kill in range(KILLS):
        while operations and rng.random() < len(operations) / (KILLS - kill):
            kind, target = operations.pop()
            running.add(asyncio.create_task(
                _operation(kind, target, http, db, settings, clock, plan)
            ))  # fmt: skip
        victim = rng.choice(("serve", "work"))
        moment = rng.choice(WORKER_STEPS) if victim == "work" else WEBHOOKS
        await _until(victim, moment, clock, plan)
        await asyncio.sleep(rng.uniform(0.0, KILL_WITHIN))
        restart = time.monotonic()
        forks.kill(pids[victim])
        figures.moments[_moment(victim, clock, plan)] += 1
        generation = kill // 25  # a new payout run every 25 kills; a killed one is resumed
        pids[victim] = forks.start(victim, *([str(generation)] if victim == "work" else []))
        figures.restart_seconds += time.monotonic() - restart
        figures.kills[victim] += 1
        clock.advance(rng.uniform(0.0, LOOP_ADVANCE))
    if running:
        await asyncio.gather(*running)
    figures.loop_seconds = time.monotonic() - started
    return pids


UNFINISHED = {
    "outbox events": "SELECT COUNT(*) FROM outbox_events WHERE dispatched_at IS NULL",
    "webhooks to deliver": "SELECT COUNT(*) FROM sandbox_webhook_events WHERE status = 'pending'",
    "refunds pending": "SELECT COUNT(*) FROM refunds WHERE status = 'pending'",
    "payouts unconfirmed": "SELECT COUNT(*) FROM payouts WHERE status IN ('requested', 'sent')",
    "payout runs running": "SELECT COUNT(*) FROM payout_runs WHERE status = 'running'",
}


async def _unfinished(db: Database, now: datetime) -> dict[str, int]:
    async with db.reading() as session:
        raw = await RawSQL.of(session)
        counts = {name: int((await raw.fetch(sql))[0][0]) for name, sql in UNFINISHED.items()}
        counts["receipts overdue"] = int(
            await session.scalar(
                select(func.count()).where(
                    ReceiptTimer.confirmed_at.is_(None), ReceiptTimer.confirm_by <= now
                )
            )
            or 0
        )
    return {name: count for name, count in counts.items() if count}


STUCK_POLLS = 400  # 400 polls (13 hours of shared time) without progress: stuck


async def _drain(db: Database, clock: SharedClock) -> None:
    """The worker and the server run (no more kills) until nothing is left to do; the
    shared clock moves on so that leases run out and retries come due. Nothing moving
    for longer than every retry schedule is a failure (not a slow machine)."""
    clock.advance(3600)
    last, still = await _unfinished(db, clock.now()), 0
    while last:
        await asyncio.sleep(0.05)
        clock.advance(120)
        left = await _unfinished(db, clock.now())
        still = still + 1 if left == last else 0
        assert still < STUCK_POLLS, f"not drained: {left}"
        last = left


# -- the checks ------------------------------------------------------------------------------


async def _count(db: Database, sql: str) -> dict[str, int]:
    async with db.reading() as session:
        raw = await RawSQL.of(session)
        return {str(k): int(n) for k, n in await raw.fetch(sql)}


RETRIED = (
    "SELECT 'outbox events', COUNT(*) FROM outbox_events WHERE attempts > 1 UNION ALL "
    "SELECT 'outbox events in all', COUNT(*) FROM outbox_events WHERE attempts > 0 UNION ALL "
    "SELECT 'webhooks', COUNT(*) FROM sandbox_webhook_events WHERE attempts > 1"
)


async def _check_exactly_once(db: Database, plan: Plan) -> None:
    money = await order_money(db)
    entries = await _count(db, "SELECT key, COUNT(*) FROM journal_entries GROUP BY key")
    refunds = await _count(
        db, "SELECT CAST(order_id AS VARCHAR(20)) || ':' || status, COUNT(*) FROM refunds "
        "GROUP BY order_id, status",
    )  # fmt: skip
    for kind in ("confirm", "auto"):
        for order_id in plan.orders[kind]:
            got = money[order_id]
            assert (got.status, got.escrow, got.refunded) == ("completed", 0, 0), (kind, got)
            assert entries.get(f"release:{order_id}") == 1, (kind, order_id)
    for order_id in plan.orders["cancel"]:
        got = money[order_id]
        total = plan.totals[order_id]
        assert (got.status, got.escrow, got.refunded) == ("cancelled", 0, total), got
        assert refunds.get(f"{order_id}:succeeded") == 1, (order_id, refunds)
    for order_id in plan.orders["pay"]:
        got = money[order_id]
        assert (got.status, got.escrow) == ("paid", plan.totals[order_id]), got
    for (name, order_id), (status, tries) in plan.answers.items():
        # an answer other than 200 only on a retry, when a killed try had committed
        assert status == 200 or (status == 409 and tries > 1), (name, order_id, status, tries)
    assert plan.server_errors == [], plan.server_errors
    payments = await _count(db, "SELECT status, COUNT(*) FROM payments GROUP BY status")
    groups = len(plan.to_pay) + SIZES["confirm"] + SIZES["auto"] + SIZES["cancel"]
    assert payments == {"succeeded": groups}, payments
    captures = sum(n for key, n in entries.items() if key.startswith("capture:"))
    assert captures == groups, captures
    half_applied = await _count(
        db, "SELECT event_type, COUNT(*) FROM payment_provider_events WHERE outcome = 'received' "
        "GROUP BY event_type",
    )  # fmt: skip
    assert half_applied == {}, half_applied
    webhooks = await _count(
        db, "SELECT status, COUNT(*) FROM sandbox_webhook_events GROUP BY status"
    )
    assert set(webhooks) == {"delivered"}, webhooks
    payouts = await _count(db, "SELECT status, COUNT(*) FROM payouts GROUP BY status")
    assert payouts, "no payout was made"
    assert set(payouts) == {"paid"}, payouts
    paid = sum(n for key, n in entries.items() if key.startswith("payout-paid:"))
    assert paid == payouts["paid"], (paid, payouts)
    await _check_placed_once(db, plan)


async def _check_placed_once(db: Database, plan: Plan) -> None:
    """Each Idempotency-Key placed one checkout (its answer names it), whatever the kills;
    the stock of the SKUs sold so moved once per checkout (unpaid ones closed by the timer
    gave theirs back)."""
    assert plan.checkout is not None
    assert len(plan.placed) == PLACEMENTS, plan.placed
    groups = {group for group, _, _ in plan.placed.values()}
    assert len(groups) == PLACEMENTS, plan.placed
    keys = await _count(
        db, "SELECT state, COUNT(*) FROM idempotency_keys WHERE key LIKE 'crash-checkout-%' "
        "GROUP BY state",
    )  # fmt: skip
    assert keys == {"done": PLACEMENTS}, keys
    async with db.reading() as session:
        rows = (
            await session.execute(
                select(Order.payment_group_id, Order.status, OrderLine.sku_id, OrderLine.quantity)
                .join(OrderLine, OrderLine.order_id == Order.id)
                .where(OrderLine.sku_id.in_(plan.checkout.skus))
            )
        ).all()
    assert {int(group) for group, _, _, _ in rows} == groups, rows
    assert len(rows) == PLACEMENTS, rows  # one order, one line per checkout
    for group, status, sku, quantity in rows:
        assert quantity == 1
        assert (int(group), int(sku)) in {(g, s) for g, s, _ in plan.placed.values()}
        assert status in ("awaiting_payment", "closed"), status
    found = await levels(db, plan.checkout.skus)
    for sku in plan.checkout.skus:
        waiting = sum(1 for _, status, s, _ in rows if s == sku and status == "awaiting_payment")
        on_hand, available, reserved, committed = found[sku]
        assert (on_hand, reserved, committed) == (5 + PLACEMENTS, waiting, 0), found[sku]
        assert available == on_hand - waiting, found[sku]


def _reconcile_command(forks: ForkServer, output: Path) -> dict[str, object]:
    """`galerie reconcile --json` (forked from the fork server rather than a new
    interpreter): exit status 0 and its report."""
    status, printed = forks.cli("reconcile", "--json", output=output)
    assert status == 0, printed
    report: dict[str, object] = json.loads(printed)
    assert report["discrepancies"] == [], report
    assert report["ok"] is True, report
    return report


async def test_killed_servers_and_workers_leave_every_operation_once(
    fresh_url: str, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    _say(f"crash loop seed {SEED} (GALERIE_CRASH_SEED={SEED} replays it)")
    env = _env(fresh_url, tmp_path)
    clock = SharedClock.create(tmp_path / "clock")
    began = time.monotonic()
    forks = ForkServer(env, tmp_path / "clock", tmp_path / "processes.log", tmp_path)
    _say(f"fork server ready in {time.monotonic() - began:.1f} s")
    settings = load_settings({**env, "GALERIE_BASE_URL": forks.base_url})
    db = Database.from_url(fresh_url)
    figures = Figures()
    try:
        seeding = time.monotonic()
        assert db.engine is not None
        # One outer transaction (each use case a savepoint in it): one commit, as `galerie
        # seed` does, rather than one per step.
        async with db.engine.connect() as connection, connection.begin():
            seed_db = Database.bound_to(connection)
            plan = await _seed(seed_db, settings, clock.now(), rng, tmp_path)
            await _set_up_events_delivered(seed_db, clock.now())
        figures.seed_seconds = time.monotonic() - seeding
        headers = {"Authorization": f"Bearer {plan.token}"}
        async with httpx.AsyncClient(base_url=forks.base_url, headers=headers, timeout=30) as http:
            pids = await _crash_loop(forks, http, db, settings, clock, plan, rng, figures)
            drained = time.monotonic()
            await _drain(db, clock)
            figures.drain_seconds = time.monotonic() - drained
        for pid in pids.values():
            forks.kill(pid)
        await assert_ledger_balances(db)
        await _check_exactly_once(db, plan)
        report = await reconcile(db, provider=_sandbox(settings, db, FixedClock(clock.now())),
                                 now=clock.now())  # fmt: skip
        assert report.ok, report.lines()
        again = await _count(db, RETRIED)
        began = time.monotonic()
        command = _reconcile_command(forks, tmp_path / "reconcile.json")
        _say(f"reconcile command {time.monotonic() - began:.1f} s")
    finally:
        forks.close()
        await db.dispose()
    retried = sum(1 for _, tries in plan.answers.values() if tries > 1)
    retried += sum(1 for _, _, tries in plan.placed.values() if tries > 1)
    _say(
        f"seed {SEED}: {sum(figures.kills.values())} kills {dict(figures.kills)} "
        f"(killed while: {dict(sorted(figures.moments.items()))}), "
        f"{len(plan.answers) + len(plan.to_pay) + len(plan.placed)} operations "
        f"({retried} retried), "
        f"restarts {figures.restart_seconds:.2f} s in all, loop {figures.loop_seconds:.1f} s, "
        f"drain {figures.drain_seconds:.1f} s, seed {figures.seed_seconds:.1f} s; taken again "
        f"after a kill or a failure: {again}; reconcile: {command['counts']}, "
        f"{len(command['discrepancies'])} discrepancies"  # type: ignore[arg-type]
    )
