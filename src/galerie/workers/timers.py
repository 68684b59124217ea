"""Timers: work the worker does on a schedule rather than on an event. Each timer is a
use case that is safe to run again (it announces or applies each thing once), so running
it on several workers or more often than its period costs nothing but a query.

Two schedules: the hourly timers (document deadlines, purging idempotency keys older than
24 hours and guest carts untouched for 30 days, restricting shops whose deposit was not
topped up by its deadline) and the frequent ones, every minute (closing
unpaid orders at their pay-by deadline, 30 minutes after checkout by default, so stock held
by an unpaid order comes back within a minute of its deadline; confirming the receipt of
shipped orders whose automatic confirmation deadline passed; folding the hot ledger
accounts' balance deltas into their balances, ADR 0017). When the sandbox payment
provider is configured, its webhook timer runs every second (`run_sandbox_webhooks_until`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta

from galerie.cart import purge_guest_carts
from galerie.db import Database
from galerie.deposits import restrict_overdue_shops
from galerie.fulfilment import confirm_overdue_orders
from galerie.kernel import Clock, Money
from galerie.ledger import fold_balance_deltas
from galerie.orders import close_unpaid_groups, purge_idempotency_keys
from galerie.payments import PaymentProvider, send_pending_refunds
from galerie.payments.sandbox import SandboxWebhookSender
from galerie.sellers import announce_document_deadlines
from galerie.settlement import (
    charge_annual_fees,
    grant_rebates,
    resume_unfinished_runs,
    run_payouts,
    send_requested_payouts,
)

log = logging.getLogger("galerie.workers.timers")
TIMER_PERIOD = timedelta(hours=1)
FREQUENT_PERIOD = timedelta(minutes=1)
SANDBOX_TICK = timedelta(seconds=1)

Timer = Callable[..., Awaitable[int]]  # (db, *, now) -> how many things it did
GUEST_CART_LIFE = timedelta(days=30)  # the guest cart cookie's life


async def purge_stale_guest_carts(db: Database, *, now: datetime) -> int:
    return await purge_guest_carts(db, older_than=now - GUEST_CART_LIFE)


HOURLY: Mapping[str, Timer] = {
    "document_deadlines": announce_document_deadlines,
    "idempotency_keys": purge_idempotency_keys,
    "guest_carts": purge_stale_guest_carts,
    "deposit_restrictions": restrict_overdue_shops,  # top-up deadline passed: restrict
}
FREQUENT: Mapping[str, Timer] = {
    "unpaid_orders": close_unpaid_groups,
    "overdue_receipts": confirm_overdue_orders,
    "balance_deltas": fold_balance_deltas,  # ADR 0017
}


async def _run(timers: Mapping[str, Timer], db: Database, now: datetime) -> dict[str, int]:
    return {name: await timer(db, now=now) for name, timer in timers.items()}


async def run_timers(db: Database, clock: Clock) -> dict[str, int]:
    """One pass of every timer; returns what each one did."""
    now = clock.now()
    return {**await _run(HOURLY, db, now), **await _run(FREQUENT, db, now)}


async def run_timers_until(
    stop: asyncio.Event,
    db: Database,
    clock: Clock,
    period: timedelta = TIMER_PERIOD,
    tick: timedelta = FREQUENT_PERIOD,
) -> None:
    """Run the frequent timers every `tick` and the hourly ones every `period` until
    `stop` is set (a failed pass is logged)."""
    hourly_due: datetime | None = None
    while not stop.is_set():
        now = clock.now()
        try:
            done = await _run(FREQUENT, db, now)
            if hourly_due is None or now >= hourly_due:
                done |= await _run(HOURLY, db, now)
                hourly_due = now + period
            log.info("timers ran", extra={"done": done})
        except Exception:
            log.exception("timers pass failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=tick.total_seconds())
        except TimeoutError:
            continue


async def send_sandbox_webhooks(sender: SandboxWebhookSender) -> int:
    """Send every due webhook of the sandbox provider; how many deliveries were claimed."""
    total = 0
    while claimed := await sender.send_due():
        total += claimed
    return total


async def run_sandbox_webhooks_until(
    stop: asyncio.Event, sender: SandboxWebhookSender, tick: timedelta = SANDBOX_TICK
) -> None:
    """The sandbox provider's webhook timer: every `tick` until `stop` is set, deliver what
    is due (first attempts, retries, and the duplicates and held events of chaos)."""
    while not stop.is_set():
        try:
            await send_sandbox_webhooks(sender)
        except Exception:
            log.exception("sandbox webhook pass failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=tick.total_seconds())
        except TimeoutError:
            continue


# --- refunds: pending refunds sent again to the provider (payments.refund_sending) ---
REFUND_TICK = timedelta(minutes=1)


async def run_pending_refunds_until(
    stop: asyncio.Event,
    db: Database,
    provider: PaymentProvider,
    clock: Clock,
    tick: timedelta = REFUND_TICK,
) -> None:
    """Every `tick` until `stop` is set, send every pending refund to the provider again
    with its own idempotency key (recorded by a cancellation, or whose process died
    before the provider's answer was recorded); the provider pays each once."""
    while not stop.is_set():
        try:
            await send_pending_refunds(db, provider, now=clock.now())
        except Exception:
            log.exception("pending refunds pass failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=tick.total_seconds())
        except TimeoutError:
            continue


# --- settlement (issue 6): payout runs, the annual fee and its rebate -----------------------
SETTLEMENT_PERIOD = timedelta(hours=1)


def payout_run_key(now: datetime, every_days: int, currency: str) -> str:
    """The run key of the period `now` falls in: periods of `every_days` days counted from
    day 1 of the proleptic Gregorian calendar (UTC; weekly periods begin on Sundays), named
    by their first day (`CNY:2026-11-30`)."""
    day = now.astimezone(UTC).date()
    start = day - timedelta(days=day.toordinal() % every_days)
    return f"{currency}:{start.isoformat()}"


def settlement_timers(
    provider: PaymentProvider | None, *, minimum: Money, every_days: int
) -> dict[str, Timer]:
    """The settlement timers (each safe to run again): the period's payout run when a
    provider is configured and `every_days` > 0 (a run key per period: once per period;
    first, any earlier run a crash left unfinished is finished),
    this year's annual fees and last year's rebates (each entry once)."""

    async def payout_run(db: Database, *, now: datetime) -> int:
        assert provider is not None
        await resume_unfinished_runs(db, provider, now=now)  # one killed as its period ended
        key = payout_run_key(now, every_days, minimum.currency)
        done = await run_payouts(db, provider, key=key, minimum=minimum, now=now)
        await send_requested_payouts(db, provider, now=now)  # any left unsent (a bank outage)
        return 0 if done.replayed else done.payouts

    async def annual_fees(db: Database, *, now: datetime) -> int:
        charged = await charge_annual_fees(db, year=now.year, now=now)
        return charged + await grant_rebates(db, year=now.year - 1, now=now)

    timers: dict[str, Timer] = {"annual_fees": annual_fees}
    if provider is not None and every_days > 0:
        timers["payout_run"] = payout_run
    return timers


async def run_settlement_until(
    stop: asyncio.Event,
    db: Database,
    clock: Clock,
    timers: Mapping[str, Timer],
    period: timedelta = SETTLEMENT_PERIOD,
) -> None:
    """Run the settlement timers every `period` until `stop` is set (a failed pass is
    logged)."""
    while not stop.is_set():
        try:
            log.info("settlement timers ran", extra={"done": await _run(timers, db, clock.now())})
        except Exception:
            log.exception("settlement timers pass failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=period.total_seconds())
        except TimeoutError:
            continue
