"""A stateful model of the money's lifecycle (issue 6): checkouts placed over two shops,
paid through the sandbox's hosted page and signed webhook, webhooks duplicated, orders
shipped, received by the buyer or confirmed by the clock (escrow then released through the
outbox handler), unpaid orders cancelled or closed by the clock, paid ones cancelled (refunded
in full by the outbox handler), refunds of part or all of an order before and after release
(clawed back from the shop's payable, then deposit; refused when nothing covers them), payout
runs over the shops' payables (confirmed by the provider's webhook; a replay pays nothing),
deposit deductions by a finance operator (at once up to the approval threshold, above it
approved or rejected by a second operator, never by the proposer; refused beyond the deposit
held) and top-ups of a deposit below its requirement (paid on the provider's hosted page and
credited by its `deposit:` webhook, or a bank transfer finance records). Both shops start
holding their whole deposit (one paid through the provider, one by transfer). After every
step, on SQLite and PostgreSQL:

- the journal agrees with the cached balances and every currency sums to zero;
- no seller payable or deposit is below zero;
- each shop's deposit held is what the model says, in its cached balance and in its journal
  lines; the deductions pending are the model's; a shop a deduction left below its
  requirement has a running top-up countdown, and no shop at or above it has one;
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
from galerie.deposits import (
    DeductionNotPending,
    DeductionPurpose,
    DeductionStatus,
    DepositInsufficient,
    ProposerCannotDecide,
    approve_deduction,
    propose_deduction,
    record_deposit_transfer,
    reject_deduction,
)
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
    RecordedRefund,
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
from tests.integration.payments.lifecycle_deposits import (
    AUDIT,
    REQUIRED,
    THRESHOLD,
    People,
    deposits_seen,
    hold_deposits,
    make_people,
    pay_deposit,
    shop_balances,
)
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
    people: People
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
    """The run's loop and its prepared database (migrated, with a market of two shops
    holding their deposits, and two finance operators)."""

    loop: asyncio.AbstractEventLoop
    prepared: str
    market: Market
    people: People
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
        return World(self.loop, url, db, self.market, self.people, clock, endpoint, dispatcher)


@dataclass
class ModelOrder:
    id: int
    group_id: int
    shop_id: int
    total: int
    lines: dict[int, int]  # sku -> units
    goods: int  # the lines' total (the rest of the total is the shipping fee)
    pay_by: datetime
    status: str = "awaiting_payment"
    refunded: int = 0  # refunds recorded (and paid by the provider)


@dataclass(frozen=True, slots=True)
class PendingDeduction:
    shop_id: int
    amount: int
    proposer: int  # which of the two operators proposed it


@dataclass
class Model:
    deposits: dict[int, int]  # shop -> deposit held
    orders: dict[int, ModelOrder] = field(default_factory=dict)
    paid_groups: set[int] = field(default_factory=set)
    pending: dict[int, PendingDeduction] = field(default_factory=dict)  # by deduction id
    counting_down: set[int] = field(default_factory=set)  # shops a deduction left short


def _seen(rule_name: str) -> None:
    SEEN[rule_name] = SEEN.get(rule_name, 0) + 1


class LifecycleMachine(RuleBasedStateMachine):
    harness: ClassVar[Harness]

    def __init__(self) -> None:
        super().__init__()
        self.h = self.harness.world()
        self.model = Model({shop.shop_id: REQUIRED for shop in self.h.market.shops})
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
                price * units,
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
        more than remains (RefundExceedsPaid); before release all from escrow; after release
        the seller's part clawed back from the shop's payable, then from its deposit, and
        refused when both together cannot cover it (RefundNotCovered), changing nothing."""
        order = data.draw(st.sampled_from(self._orders("paid", "shipped", "completed")))
        amount = max(1, (order.total - order.refunded) * share // 100)
        self.refunds += 1
        payable, deposit = self.h.run(shop_balances(self.h.db, order.shop_id))
        assert deposit == self.model.deposits[order.shop_id]
        try:
            recorded = self.h.run(
                refund_shop_order(
                    self.h.db, self.h.endpoint.provider, order_id=order.id, reason="damaged",
                    key=f"model-{self.refunds}", now=self.h.clock.now(),
                    amount=Money(amount, "CNY"),
                )
            )  # fmt: skip
        except (RefundNotCovered, RefundExceedsPaid) as refused:
            self._check_refusal(order, amount, refused, (payable, deposit))
            _seen(f"refund_refused_{type(refused).__name__}")
            return
        assert recorded.status == "succeeded", recorded
        self._check_sources(order, recorded, payable)
        self._release_pending()  # the provider's refund webhook, applied once
        order.refunded += amount
        self.model.deposits[order.shop_id] -= recorded.from_deposit_minor
        _seen("refund_after_release" if order.status == "completed" else "refund_before_release")
        if recorded.from_deposit_minor:
            _seen("refund_from_deposit")

    @staticmethod
    def _check_refusal(
        order: ModelOrder, amount: int, refused: Exception, balances: tuple[int, int]
    ) -> None:
        """More than remains of the goods (the shipping fee goes only with a full refund),
        or, after release, a seller's part the payable and deposit together cannot cover."""
        assert isinstance(refused, (RefundNotCovered, RefundExceedsPaid))
        details = refused.details
        if isinstance(refused, RefundExceedsPaid):
            remaining = order.goods - order.refunded
            assert details["remaining"] == remaining < amount, (order, details)
            return
        assert order.status == "completed", order
        assert (details["payable"], details["deposit"]) == balances, (details, balances)
        assert details["seller_part"] > sum(balances), details

    @staticmethod
    def _check_sources(order: ModelOrder, recorded: RecordedRefund, payable: int) -> None:
        """Where the refund's money came from: escrow before release; after it, the payable
        as far as it went, the deposit for the rest of the seller's part."""
        if order.status != "completed":
            assert recorded.from_escrow_minor == recorded.amount.minor, recorded
            return
        seller = recorded.from_payable_minor + recorded.from_deposit_minor
        assert recorded.from_escrow_minor == 0, recorded
        assert seller + recorded.commission_returned_minor == recorded.amount.minor, recorded
        assert recorded.from_payable_minor == min(seller, payable), (recorded, payable)

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

    @rule(
        index=st.sampled_from((0, 1)),
        proposer=st.sampled_from((0, 1)),
        share=st.integers(min_value=1, max_value=120),
        penalty=st.booleans(),
    )
    def deduct(self, index: int, proposer: int, share: int, penalty: bool) -> None:
        """A finance operator deducts a share of a shop's deposit, with a reason: up to the
        approval threshold at once, above it pending a second operator; more than the
        deposit held is refused (DepositInsufficient) and changes nothing."""
        shop_id = self.h.market.shops[index].shop_id
        held = self.model.deposits[shop_id]
        amount = max(1, held * share // 100)
        purpose = DeductionPurpose.PENALTY if penalty else DeductionPurpose.COMPENSATION
        try:
            outcome = self.h.run(
                propose_deduction(
                    self.h.db, actor=self.h.people.operators[proposer], shop_id=shop_id,
                    amount_minor=amount, purpose=purpose, reason="model deduction",
                    approval_threshold_minor=THRESHOLD, now=self.h.clock.now(), audit=AUDIT,
                )
            )  # fmt: skip
        except DepositInsufficient:
            assert amount > held, (amount, held)
            _seen("deduction_refused")
            return
        assert amount <= held, (amount, held)
        if amount <= THRESHOLD:
            assert outcome.status is DeductionStatus.EXECUTED, outcome
            self._deducted(shop_id, amount)
            _seen("deduction_at_once")
            return
        assert outcome.status is DeductionStatus.PENDING, outcome
        self.model.pending[outcome.deduction_id] = PendingDeduction(shop_id, amount, proposer)
        _seen("deduction_proposed")

    @precondition(lambda self: bool(self.model.pending))
    @rule(data=st.data(), approve=st.booleans())
    def decide_deduction(self, data: st.DataObject, approve: bool) -> None:
        """The other operator approves a pending deduction (executed once; refused with
        DepositInsufficient, still pending, when the deposit no longer covers it) or rejects
        it (no money moves). Its proposer may not decide it; a decided one is not decided
        again."""
        deduction_id = data.draw(st.sampled_from(sorted(self.model.pending)))
        pending = self.model.pending[deduction_id]
        operators, now = self.h.people.operators, self.h.clock.now()
        proposer, other = operators[pending.proposer], operators[1 - pending.proposer]
        with pytest.raises(ProposerCannotDecide):
            self.h.run(approve_deduction(
                self.h.db, actor=proposer, deduction_id=deduction_id, now=now, audit=AUDIT
            ))  # fmt: skip
        if not approve:
            outcome = self.h.run(reject_deduction(
                self.h.db, actor=other, deduction_id=deduction_id, note="not warranted",
                now=now, audit=AUDIT,
            ))  # fmt: skip
            assert outcome.status is DeductionStatus.REJECTED, outcome
            _seen("deduction_rejected")
        elif pending.amount > self.model.deposits[pending.shop_id]:
            with pytest.raises(DepositInsufficient):
                self.h.run(approve_deduction(
                    self.h.db, actor=other, deduction_id=deduction_id, now=now, audit=AUDIT
                ))  # fmt: skip
            _seen("deduction_no_longer_covered")
            return
        else:
            outcome = self.h.run(approve_deduction(
                self.h.db, actor=other, deduction_id=deduction_id, now=now, audit=AUDIT
            ))  # fmt: skip
            assert outcome.status is DeductionStatus.EXECUTED, outcome
            self._deducted(pending.shop_id, pending.amount)
            _seen("deduction_approved")
        del self.model.pending[deduction_id]
        with pytest.raises(DeductionNotPending):
            self.h.run(approve_deduction(
                self.h.db, actor=other, deduction_id=deduction_id, now=now, audit=AUDIT
            ))  # fmt: skip

    def _deducted(self, shop_id: int, amount: int) -> None:
        self.model.deposits[shop_id] -= amount
        if self.model.deposits[shop_id] < REQUIRED:
            self.model.counting_down.add(shop_id)

    def _short(self) -> list[int]:
        """Shops whose deposit is below the requirement."""
        return sorted(shop for shop, held in self.model.deposits.items() if held < REQUIRED)

    @precondition(lambda self: bool(self._short()))
    @rule(data=st.data(), by_transfer=st.booleans())
    def top_up(self, data: st.DataObject, by_transfer: bool) -> None:
        """The shortfall of a deposit below its requirement is paid: by the owner on the
        provider's hosted page (its webhook credits the deposit once), or by a bank
        transfer a finance operator records."""
        shop_id = data.draw(st.sampled_from(self._short()))
        shortfall = REQUIRED - self.model.deposits[shop_id]
        if by_transfer:
            recorded = self.h.run(record_deposit_transfer(
                self.h.db, actor=self.h.people.operators[1], shop_id=shop_id,
                reference=f"bank {self.model.deposits[shop_id]}", now=self.h.clock.now(),
                audit=AUDIT,
            ))  # fmt: skip
            assert recorded == Money(shortfall, "CNY"), recorded
        else:
            before = len(self.h.endpoint.outcomes)
            self.h.run(pay_deposit(self.h.endpoint, self.h.people.owner, shop_id))
            assert self.h.endpoint.outcomes[before:] == ["deposit_paid"]
        self.model.deposits[shop_id] = REQUIRED
        self.model.counting_down.discard(shop_id)
        _seen("top_up_by_transfer" if by_transfer else "top_up_through_provider")

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
    def deposits_are_what_the_model_says(self) -> None:
        seen = self.h.run(deposits_seen(self.h.db))
        assert seen.held == self.model.deposits, (seen.held, self.model.deposits)
        assert seen.journal == seen.held, seen
        assert min(seen.held.values()) >= 0, seen
        assert seen.pending == set(self.model.pending), (seen.pending, self.model.pending)
        # Whatever left the deposit short (a deduction, a refund's claw-back) starts the
        # countdown; a top-up ends it.
        assert self.model.counting_down <= seen.counting_down == set(self._short()), seen

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
            people = loop.run_until_complete(make_people(db, market, START))
            endpoint = Endpoint(db, make_provider(db, FixedClock(START)), FixedClock(START))
            loop.run_until_complete(hold_deposits(endpoint, market, people))
        finally:
            loop.run_until_complete(db.dispose())
        harness = Harness(loop, prepared, market, people, tmp_path)
        machine = type("Machine", (LifecycleMachine,), {"harness": harness})
        SEEN.clear()
        run_state_machine_as_test(machine, settings=SETTINGS)  # type: ignore[no-untyped-call]
        for name in ("place", "pay", "duplicate_webhook", "stale_webhook", "ship", "cancel",
                     "cancel_paid", "refund_before_release", "payout", "refund_from_deposit",
                     "deduction_refused", "deduction_at_once", "deduction_approved",
                     "deduction_rejected", "top_up_by_transfer", "top_up_through_provider"):  # fmt: skip
            assert SEEN.get(name, 0) >= 1, sorted(SEEN.items())
        assert SEEN.get("confirm", 0) + SEEN.get("auto_confirm", 0) >= 1, SEEN
    finally:
        if prepared.startswith("postgresql"):
            loop.run_until_complete(drop_postgres_database(prepared))
        loop.close()
