"""A stateful model of the money's lifecycle (issue 6): checkouts placed over two shops,
paid through the sandbox's hosted page and signed webhook, webhooks duplicated, orders
shipped, received by the buyer or confirmed by the clock (escrow then released through the
outbox handler), unpaid orders cancelled or closed by the clock, paid ones cancelled (refunded
in full by the outbox handler), refunds of part or all of an order before and after release
(clawed back from the shop's payable, then deposit; refused when nothing covers them), payout
runs over the shops' payables (confirmed by the provider's webhook; a replay pays nothing). After
every step, on SQLite and PostgreSQL:

- the journal agrees with the cached balances and every currency sums to zero;
- no seller payable or deposit is below zero;
- each shop order's escrow holds exactly what the model says: its total from payment to
  receipt, nothing before or after; for a received order, seller share + commission (on
  its lines) + refunded == what was paid (reconcile checks the release entry's split);
- `reconcile` (ledger, payments, orders, the provider's records) finds nothing.

Hypothesis drives synchronous rules, so the test runs its own event loop against a database
of its own. The market (categories, shops, buyer) is made once per database; every
checkout buys fresh SKUs."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from galerie.db import Database, RawSQL
from galerie.fulfilment import confirm_overdue_orders, confirm_receipt, record_shipment
from galerie.kernel import FixedClock, Money
from galerie.orders import (
    Actor,
    OrderStatusChanged,
    cancel_order,
    close_unpaid_groups,
    place_order,
)
from galerie.payments import (
    RefundExceedsPaid,
    RefundNotCovered,
    WebhookRejected,
    cancellation_refund_handler,
    refund_shop_order,
    release_handler,
    send_pending_refunds,
    start_payment,
)
from galerie.payments.sandbox import HostedAction, SandboxWebhookSender, complete_session
from galerie.payments.sandbox.signing import delivery_headers, header_of, signature_header
from galerie.reconciliation import reconcile
from galerie.settlement import run_payouts
from galerie.workers.outbox import EventHandler, OutboxDispatcher, handler_registry
from galerie.workers.timers import send_sandbox_webhooks
from tests.conftest import (
    _postgres_reachable,
    copy_database,
    drop_postgres_database,
    migrated_database,
)
from tests.integration.orders.factories import (
    ADDRESS,
    Market,
    insert_live_sku,
    make_market,
    ship,
    stock,
)
from tests.integration.payments.invariants import assert_ledger_balances, order_money
from tests.integration.payments.support import SECRET, Endpoint, make_provider
from tests.integration.payments.test_paying_groups import BACK

T = TypeVar("T")
START = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
RECEIPT_DAYS = 10  # the shipping choice's automatic confirmation
SETTINGS = settings(
    max_examples=12,
    stateful_step_count=30,
    derandomize=True,  # the same examples every run: the coverage asserted below holds
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SEEN: dict[str, int] = {}  # rules that changed something, over the run: all must happen


@dataclass
class World:
    """One example's database (a copy of the prepared one), clock, provider and outbox."""

    loop: asyncio.AbstractEventLoop
    url: str
    db: Database
    market: Market
    clock: FixedClock
    endpoint: Endpoint
    dispatcher: OutboxDispatcher

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.run(self.db.dispose())
        if not self.url.startswith("sqlite"):
            self.run(drop_postgres_database(self.url))


@dataclass
class Harness:
    """The run's loop and its prepared database (migrated, with a market of two shops)."""

    loop: asyncio.AbstractEventLoop
    prepared: str
    market: Market
    directory: Path
    copies: itertools.count[int] = field(default_factory=itertools.count)

    def world(self) -> World:
        url = self.loop.run_until_complete(
            copy_database(self.prepared, self.directory, f"example-{next(self.copies)}")
        )
        db, clock = Database.from_url(url), FixedClock(START)
        endpoint = Endpoint(db, make_provider(db, clock), clock)
        release = EventHandler(
            name="payments.release_escrow", event_name=OrderStatusChanged.name,
            func=release_handler(clock),
        )  # fmt: skip
        refund = EventHandler(
            name="payments.refund_cancelled", event_name=OrderStatusChanged.name,
            func=cancellation_refund_handler(clock),
        )  # fmt: skip
        handlers = handler_registry([release, refund])
        dispatcher = OutboxDispatcher(db, handlers, clock)
        return World(self.loop, url, db, self.market, clock, endpoint, dispatcher)


@dataclass
class ModelOrder:
    id: int
    group_id: int
    shop_id: int
    total: int
    lines: dict[int, int]  # sku -> units
    pay_by: datetime
    status: str = "awaiting_payment"
    refunded: int = 0  # refunds recorded (and paid by the provider)


@dataclass
class Model:
    orders: dict[int, ModelOrder] = field(default_factory=dict)
    paid_groups: set[int] = field(default_factory=set)


def _seen(rule_name: str) -> None:
    SEEN[rule_name] = SEEN.get(rule_name, 0) + 1


class LifecycleMachine(RuleBasedStateMachine):
    harness: ClassVar[Harness]

    def __init__(self) -> None:
        super().__init__()
        self.model = Model()
        self.h = self.harness.world()
        self.refunds = 0
        self.runs = 0

    def teardown(self) -> None:
        self.h.close()

    # -- helpers ---------------------------------------------------------------------

    def _orders(self, *statuses: str) -> list[ModelOrder]:
        return sorted(
            (o for o in self.model.orders.values() if o.status in statuses), key=lambda o: o.id
        )

    def _payable_orders(self) -> list[ModelOrder]:
        """Unpaid orders whose group may still be paid (before its pay-by time)."""
        now = self.h.clock.now()
        return [o for o in self._orders("awaiting_payment") if o.pay_by > now]

    def _overdue_orders(self) -> list[ModelOrder]:
        now = self.h.clock.now()
        return [o for o in self._orders("awaiting_payment") if o.pay_by <= now]

    async def _webhooks(self) -> int:
        """The sandbox delivers its queued webhooks (payments, refunds) to our endpoint."""
        endpoint = self.h.endpoint
        sender = SandboxWebhookSender(self.h.db, endpoint, self.h.clock, secret=SECRET)
        return await send_sandbox_webhooks(sender)

    def _release_pending(self) -> None:
        """Run the outbox as the worker would (the release handler); none may fail."""

        async def drain() -> list[Any]:
            while await self.h.dispatcher.dispatch_pending():
                pass
            await send_pending_refunds(self.h.db, self.h.endpoint.provider, now=self.h.clock.now())
            await self._webhooks()
            async with self.h.db.reading() as session:
                raw = await RawSQL.of(session)
                return await raw.fetch(
                    "SELECT event_name, last_error FROM outbox_events WHERE last_error IS NOT NULL"
                )

        failed = self.h.run(drain())
        assert failed == [], failed

    # -- rules -----------------------------------------------------------------------

    @rule(
        shops=st.sets(st.sampled_from((0, 1)), min_size=1),
        units=st.integers(min_value=1, max_value=3),
        price=st.integers(min_value=1, max_value=99_999),
    )
    def place(self, shops: set[int], units: int, price: int) -> None:
        db, clock, market = self.h.db, self.h.clock, self.h.market
        now = clock.now()

        async def go() -> Any:
            lines = []
            for index in sorted(shops):
                shop = market.shops[index]
                sku = await insert_live_sku(db, now, shop_id=shop.shop_id, price_minor=price)
                await stock(db, now, shop, sku, units)
                lines.append((sku, units))
            chosen = ship(*(market.shops[i].shop_id for i in sorted(shops)), days=RECEIPT_DAYS)
            async with db.transaction() as session:
                return await place_order(
                    session, buyer_id=market.buyer_id, lines=lines, shipping=chosen,
                    address=ADDRESS, now=now,
                )  # fmt: skip

        group = self.h.run(go())
        for placed in group.orders:
            self.model.orders[placed.id] = ModelOrder(
                placed.id,
                group.id,
                placed.shop_id,
                placed.total.minor,
                {line.sku_id: line.quantity for line in placed.lines},
                group.pay_by,
            )
        _seen("place")

    @precondition(lambda self: bool(self._payable_orders()))
    @rule(data=st.data())
    def pay(self, data: st.DataObject) -> None:
        unpaid = sorted({o.group_id for o in self._payable_orders()})
        group_id = data.draw(st.sampled_from(unpaid))
        db, clock, endpoint = self.h.db, self.h.clock, self.h.endpoint

        async def go() -> int:
            started = await start_payment(
                db,
                endpoint.provider,
                buyer_id=self.h.market.buyer_id,
                payment_group_id=group_id,
                return_url=BACK,
                cancel_url=BACK,
                now=clock.now(),
            )
            token = started.hosted_url.rsplit("/", 1)[1]
            await complete_session(
                db, session_token=token, action=HostedAction.PAY, now=clock.now()
            )
            return await self._webhooks()

        before = len(endpoint.outcomes)
        self.h.run(go())
        assert endpoint.outcomes[before:] == ["succeeded"]
        for order in self.model.orders.values():
            if order.group_id == group_id and order.status == "awaiting_payment":
                order.status = "paid"
        self.model.paid_groups.add(group_id)
        _seen("pay")

    @precondition(lambda self: bool(self.h.endpoint.bodies))
    @rule(data=st.data(), stale=st.booleans())
    def duplicate_webhook(self, data: st.DataObject, stale: bool) -> None:
        """The provider delivers an event again (re-signed now, as its retries are), or a
        replay of an old signature arrives: the first changes nothing, the second is
        refused before anything is read."""
        headers, body = data.draw(st.sampled_from(self.h.endpoint.bodies))
        endpoint, clock = self.h.endpoint, self.h.clock
        now = int(clock.now().timestamp())
        if not stale:
            headers = {**headers, **delivery_headers(
                secret=SECRET, body=body, event_id=header_of(headers, "Sandbox-Event-Id") or "",
                timestamp=now,
            )}  # fmt: skip
        else:
            signature = signature_header(SECRET, body, timestamp=now - 301)
            headers = {**headers, "Sandbox-Signature": signature}

        async def go() -> str:
            event = endpoint.provider.verify_webhook(body, headers, now=clock.now())
            return await endpoint.apply(event)

        if stale:
            with pytest.raises(WebhookRejected):
                self.h.run(go())
            _seen("stale_webhook")
            return
        assert self.h.run(go()) == "duplicate"
        _seen("duplicate_webhook")

    @precondition(lambda self: bool(self._orders("paid")))
    @rule(data=st.data())
    def ship_order(self, data: st.DataObject) -> None:
        order = data.draw(st.sampled_from(self._orders("paid")))
        actor = Actor.seller(self.h.market.owner_user_id, order.shop_id)
        self.h.run(
            record_shipment(
                self.h.db,
                order_id=order.id,
                quantities=order.lines,
                actor=actor,
                now=self.h.clock.now(),
            )
        )
        order.status = "shipped"
        _seen("ship")

    @precondition(lambda self: bool(self._orders("shipped")))
    @rule(data=st.data())
    def confirm(self, data: st.DataObject) -> None:
        order = data.draw(st.sampled_from(self._orders("shipped")))
        self.h.run(
            confirm_receipt(
                self.h.db,
                order_id=order.id,
                actor=Actor.buyer(self.h.market.buyer_id),
                now=self.h.clock.now(),
            )
        )
        order.status = "completed"
        self._release_pending()
        _seen("confirm")

    @precondition(lambda self: bool(self._orders("shipped")))
    @rule()
    def auto_confirm(self) -> None:
        shipped = self._orders("shipped")
        self.h.clock.advance(timedelta(days=RECEIPT_DAYS, minutes=1))
        done = self.h.run(confirm_overdue_orders(self.h.db, now=self.h.clock.now()))
        assert done == len(shipped)
        for order in shipped:
            order.status = "completed"
        self._release_pending()
        _seen("auto_confirm")

    @precondition(lambda self: bool(self._payable_orders()))
    @rule(data=st.data())
    def cancel_unpaid(self, data: st.DataObject) -> None:
        order = data.draw(st.sampled_from(self._payable_orders()))
        self.h.run(
            cancel_order(
                self.h.db,
                order_id=order.id,
                actor=Actor.buyer(self.h.market.buyer_id),
                reason="changed my mind",
                now=self.h.clock.now(),
            )
        )
        order.status = "cancelled"
        _seen("cancel")

    @precondition(lambda self: bool(self._overdue_orders()))
    @rule()
    def close_unpaid(self) -> None:
        """The timer closes groups left unpaid past their pay-by time, with their orders."""
        overdue = self._overdue_orders()
        closed = self.h.run(close_unpaid_groups(self.h.db, now=self.h.clock.now()))
        assert closed == len({o.group_id for o in overdue})
        for order in overdue:
            order.status = "closed"
        _seen("close_unpaid")

    @precondition(lambda self: bool(self._orders("paid")))
    @rule(data=st.data())
    def cancel_paid(self, data: st.DataObject) -> None:
        """A paid order cancelled before shipment is refunded in full (the outbox handler
        records the refund, the provider pays it)."""
        order = data.draw(st.sampled_from(self._orders("paid")))
        self.h.run(
            cancel_order(
                self.h.db,
                order_id=order.id,
                actor=Actor.buyer(self.h.market.buyer_id),
                reason="no longer needed",
                now=self.h.clock.now(),
            )
        )
        self._release_pending()
        order.status, order.refunded = "cancelled", order.total
        _seen("cancel_paid")

    @precondition(lambda self: bool(self._orders("paid", "shipped", "completed")))
    @rule(data=st.data(), share=st.integers(min_value=1, max_value=100))
    def refund(self, data: st.DataObject, share: int) -> None:
        """A partial or full refund of a paid order's goods, before or after release: never
        more than remains (RefundExceedsPaid), and after release refused when the shop's
        payable and deposit cannot cover it (RefundNotCovered), changing nothing."""
        order = data.draw(st.sampled_from(self._orders("paid", "shipped", "completed")))
        amount = max(1, (order.total - order.refunded) * share // 100)
        self.refunds += 1

        async def go() -> str:
            recorded = await refund_shop_order(
                self.h.db,
                self.h.endpoint.provider,
                order_id=order.id,
                reason="damaged",
                key=f"model-{self.refunds}",
                now=self.h.clock.now(),
                amount=Money(amount, "CNY"),
            )
            return recorded.status

        try:
            status = self.h.run(go())
        except (RefundExceedsPaid, RefundNotCovered) as refused:
            _seen(f"refund_refused_{type(refused).__name__}")
            return
        assert status == "succeeded", status
        self._release_pending()  # the provider's refund webhook, applied once
        order.refunded += amount
        _seen("refund_after_release" if order.status == "completed" else "refund_before_release")

    @rule()
    def payout_run(self) -> None:
        """A payout run pays every shop's payable (a minimum of one unit) through the
        provider, whose payout.paid webhooks confirm them; a replay of its key pays nothing."""
        self.runs += 1
        key = f"CNY:model-{self.runs}"

        async def go() -> tuple[int, int]:
            done = await run_payouts(
                self.h.db, self.h.endpoint.provider, key=key, minimum=Money(1, "CNY"),
                now=self.h.clock.now(),
            )  # fmt: skip
            await self._webhooks()
            again = await run_payouts(
                self.h.db, self.h.endpoint.provider, key=key, minimum=Money(1, "CNY"),
                now=self.h.clock.now(),
            )  # fmt: skip
            return done.payouts, int(again.replayed)

        payouts, replayed = self.h.run(go())
        assert replayed == 1
        if payouts:
            _seen("payout")

    @rule()
    def wait(self) -> None:
        """Half an hour passes: unpaid checkouts run out of time."""
        self.h.clock.advance(timedelta(minutes=31))
        _seen("wait")

    # -- invariants ------------------------------------------------------------------

    @invariant()
    def the_ledger_balances(self) -> None:
        self.h.run(assert_ledger_balances(self.h.db))

    @invariant()
    def every_order_holds_what_the_model_says(self) -> None:
        stored = self.h.run(order_money(self.h.db))
        for order in self.model.orders.values():
            money = stored[order.id]
            assert money.status == order.status, (order, money)
            assert money.refunded == order.refunded, (order, money)
            held = order.total - order.refunded if order.status in ("paid", "shipped") else 0
            assert money.escrow == held, (order, money)
            if order.status == "completed":  # the commission kept is on what was not refunded
                assert 0 <= money.commission <= order.total - order.refunded, (order, money)

    @invariant()
    def reconciliation_finds_nothing(self) -> None:
        report = self.h.run(
            reconcile(self.h.db, provider=self.h.endpoint.provider, now=self.h.clock.now())
        )
        assert report.ok, report.lines()


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_the_money_lifecycle_keeps_its_invariants(backend_name: str, tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    prepared = ""
    try:
        if backend_name == "postgresql" and not loop.run_until_complete(_postgres_reachable()):
            pytest.skip("no PostgreSQL server")
        prepared = loop.run_until_complete(migrated_database(backend_name, tmp_path, "prepared"))
        db = Database.from_url(prepared)
        try:
            market = loop.run_until_complete(make_market(db, START, tmp_path, shops=2))
        finally:
            loop.run_until_complete(db.dispose())
        harness = Harness(loop, prepared, market, tmp_path)
        machine = type("Machine", (LifecycleMachine,), {"harness": harness})
        SEEN.clear()
        run_state_machine_as_test(machine, settings=SETTINGS)  # type: ignore[no-untyped-call]
        for name in ("place", "pay", "duplicate_webhook", "stale_webhook", "ship", "cancel",
                     "cancel_paid", "refund_before_release", "payout"):  # fmt: skip
            assert SEEN.get(name, 0) >= 1, SEEN
        assert SEEN.get("confirm", 0) + SEEN.get("auto_confirm", 0) >= 1, SEEN
    finally:
        if prepared.startswith("postgresql"):
            loop.run_until_complete(drop_postgres_database(prepared))
        loop.close()
