"""The sandbox provider through the PaymentProvider port, on SQLite and PostgreSQL:
checkout sessions, refunds capped at the captured amount, idempotent refunds and payouts,
the records for reconciliation, and the webhooks each movement queues."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from galerie.db import Database
from galerie.kernel import FixedClock, Money, ValidationFailed
from galerie.payments import (
    BadProviderAmount,
    PaymentNotCaptured,
    PaymentProvider,
    ProviderIdempotencyConflict,
    ProviderPaymentNotFound,
    ProviderRecord,
    RecordKind,
    RefundExceedsCaptured,
)
from galerie.payments.sandbox import SESSION_LIFE, SandboxProvider
from galerie.payments.sandbox.models import SandboxPayout, SandboxRefund
from tests.integration.payments.support import (
    make_provider,
    paid_payment,
    payment_row,
    queued,
    token_of,
)


def test_the_sandbox_plays_the_port(db: Database, clock: FixedClock) -> None:
    provider: PaymentProvider = make_provider(db, clock)
    assert provider.name == "sandbox"


async def test_a_checkout_session_is_a_hosted_page_url(db: Database, clock: FixedClock) -> None:
    provider = make_provider(db, clock)
    checkout = await provider.create_checkout_session(
        reference="pg-42", amount=Money(12_345, "CNY"), return_url="https://m.example/back",
        cancel_url="https://m.example/cancel", webhook_url="https://m.example/hook",
    )  # fmt: skip
    assert checkout.url == f"http://127.0.0.1:8000/sandbox/pay/{token_of(checkout)}"
    assert token_of(checkout).startswith("sbcs_")
    assert checkout.provider_payment_id.startswith("sbpay_")
    assert checkout.expires_at == clock.now() + SESSION_LIFE
    row = await payment_row(db, checkout.provider_payment_id)
    assert (row.reference, row.amount_minor, row.currency, row.status, row.refunded_minor) == (
        "pg-42", 12_345, "CNY", "open", 0,
    )  # fmt: skip
    assert (row.return_url, row.cancel_url, row.webhook_url) == (
        "https://m.example/back", "https://m.example/cancel", "https://m.example/hook",
    )  # fmt: skip
    assert await queued(db) == []


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("amount", Money(0, "CNY"), "bad_provider_amount"),
        ("amount", Money(-5, "CNY"), "bad_provider_amount"),
        ("reference", " ", "bad_reference"),
        ("reference", "x" * 101, "bad_reference"),
        ("return_url", "javascript:alert(1)", "bad_return_url"),
    ],
)
async def test_a_bad_checkout_is_refused_and_records_nothing(
    db: Database, clock: FixedClock, field: str, value: object, code: str
) -> None:
    args: dict[str, object] = {
        "reference": "pg-1", "amount": Money(100, "CNY"), "return_url": "/back",
        "cancel_url": "/cancel",
    }  # fmt: skip
    args[field] = value
    with pytest.raises(ValidationFailed) as refused:
        await make_provider(db, clock).create_checkout_session(**args)  # type: ignore[arg-type]
    assert refused.value.code == code
    now = clock.now()
    assert (
        await make_provider(db, clock).list_records(created_from=now, created_to=now + timedelta(1))
        == []
    )


async def test_refunds_add_up_to_the_captured_amount_and_no_more(
    db: Database, clock: FixedClock
) -> None:
    provider = make_provider(db, clock)
    checkout = await paid_payment(provider, db, clock, minor=10_000)
    pid = checkout.provider_payment_id
    first = await provider.refund(
        provider_payment_id=pid, amount=Money(3_000, "CNY"), idempotency_key="r1"
    )
    assert (first.amount, first.replayed, first.refund_id[:5]) == (
        Money(3_000, "CNY"),
        False,
        "sbre_",
    )
    await provider.refund(provider_payment_id=pid, amount=Money(7_000, "CNY"), idempotency_key="r2")
    with pytest.raises(RefundExceedsCaptured) as refused:
        await provider.refund(provider_payment_id=pid, amount=Money(1, "CNY"), idempotency_key="r3")
    assert refused.value.details == {"captured": 10_000, "refunded": 10_000}
    assert (await payment_row(db, pid)).refunded_minor == 10_000
    assert await queued(db) == [
        ("payment.succeeded", "pending"), ("refund.succeeded", "pending"),
        ("refund.succeeded", "pending"),
    ]  # fmt: skip
    async with db.reading() as session:
        keys = list(
            await session.scalars(select(SandboxRefund.idempotency_key).order_by(SandboxRefund.id))
        )
    assert keys == ["r1", "r2"]


async def test_a_refund_above_what_is_left_changes_nothing(db: Database, clock: FixedClock) -> None:
    provider = make_provider(db, clock)
    pid = (await paid_payment(provider, db, clock, minor=500)).provider_payment_id
    await provider.refund(provider_payment_id=pid, amount=Money(200, "CNY"), idempotency_key="a")
    with pytest.raises(RefundExceedsCaptured):
        await provider.refund(
            provider_payment_id=pid, amount=Money(301, "CNY"), idempotency_key="b"
        )
    assert (await payment_row(db, pid)).refunded_minor == 200
    assert [t for t, _ in await queued(db)] == ["payment.succeeded", "refund.succeeded"]
    # the refused key was not spent: it can be used for an amount that fits
    again = await provider.refund(
        provider_payment_id=pid, amount=Money(300, "CNY"), idempotency_key="b"
    )
    assert not again.replayed


async def test_the_same_refund_key_replays_and_another_amount_is_refused(
    db: Database, clock: FixedClock
) -> None:
    provider = make_provider(db, clock)
    pid = (await paid_payment(provider, db, clock)).provider_payment_id
    first = await provider.refund(
        provider_payment_id=pid, amount=Money(100, "CNY"), idempotency_key="k"
    )
    replay = await provider.refund(
        provider_payment_id=pid, amount=Money(100, "CNY"), idempotency_key="k"
    )
    assert (replay.refund_id, replay.replayed) == (first.refund_id, True)
    with pytest.raises(ProviderIdempotencyConflict):
        await provider.refund(
            provider_payment_id=pid, amount=Money(101, "CNY"), idempotency_key="k"
        )
    assert (await payment_row(db, pid)).refunded_minor == 100
    assert [t for t, _ in await queued(db)] == ["payment.succeeded", "refund.succeeded"]


async def test_refunds_need_a_captured_payment_in_its_currency(
    db: Database, clock: FixedClock
) -> None:
    provider = make_provider(db, clock)
    unpaid = await provider.create_checkout_session(
        reference="pg-2", amount=Money(100, "CNY"), return_url="/r", cancel_url="/c"
    )
    with pytest.raises(PaymentNotCaptured):
        await provider.refund(
            provider_payment_id=unpaid.provider_payment_id,
            amount=Money(1, "CNY"),
            idempotency_key="u",
        )
    paid = (await paid_payment(provider, db, clock)).provider_payment_id
    with pytest.raises(BadProviderAmount):
        await provider.refund(provider_payment_id=paid, amount=Money(1, "EUR"), idempotency_key="e")
    with pytest.raises(BadProviderAmount):
        await provider.refund(provider_payment_id=paid, amount=Money(0, "CNY"), idempotency_key="z")
    with pytest.raises(ProviderPaymentNotFound):
        await provider.refund(
            provider_payment_id="sbpay_nope", amount=Money(1, "CNY"), idempotency_key="n"
        )
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(SandboxRefund)) == 0
    assert (await payment_row(db, paid)).refunded_minor == 0


async def test_payouts_are_idempotent_by_key(db: Database, clock: FixedClock) -> None:
    provider = make_provider(db, clock)
    first = await provider.payout(
        destination="shop-7", amount=Money(4_200, "CNY"), idempotency_key="p1"
    )
    again = await provider.payout(
        destination="shop-7", amount=Money(4_200, "CNY"), idempotency_key="p1"
    )
    assert (again.payout_id, again.replayed, first.replayed) == (first.payout_id, True, False)
    with pytest.raises(ProviderIdempotencyConflict):
        await provider.payout(
            destination="shop-8", amount=Money(4_200, "CNY"), idempotency_key="p1"
        )
    with pytest.raises(ProviderIdempotencyConflict):
        await provider.payout(
            destination="shop-7", amount=Money(4_201, "CNY"), idempotency_key="p1"
        )
    with pytest.raises(BadProviderAmount):
        await provider.payout(destination="shop-7", amount=Money(0, "CNY"), idempotency_key="p2")
    async with db.reading() as session:
        rows = (
            await session.execute(select(SandboxPayout.destination, SandboxPayout.amount_minor))
        ).all()
    assert [tuple(row) for row in rows] == [("shop-7", 4_200)]
    assert await queued(db) == [("payout.paid", "pending")]


async def test_records_list_payments_refunds_and_payouts_in_a_window(
    db: Database, clock: FixedClock
) -> None:
    provider: SandboxProvider = make_provider(db, clock)
    start = clock.now()
    paid = await paid_payment(provider, db, clock, minor=900, ref="pg-9")
    clock.advance(timedelta(seconds=1))
    refund = await provider.refund(
        provider_payment_id=paid.provider_payment_id, amount=Money(300, "CNY"), idempotency_key="x"
    )
    clock.advance(timedelta(seconds=1))
    payout = await provider.payout(
        destination="shop-1", amount=Money(600, "CNY"), idempotency_key="y"
    )
    clock.advance(timedelta(seconds=1))
    await provider.create_checkout_session(
        reference="pg-10", amount=Money(5, "CNY"), return_url="/r", cancel_url="/c"
    )
    records = await provider.list_records(
        created_from=start, created_to=start + timedelta(seconds=3)
    )
    assert records == [
        ProviderRecord(RecordKind.PAYMENT, paid.provider_payment_id, Money(900, "CNY"), "succeeded",
                       start, reference="pg-9"),
        ProviderRecord(RecordKind.REFUND, refund.refund_id, Money(300, "CNY"), "succeeded",
                       start + timedelta(seconds=1), payment_id=paid.provider_payment_id),
        ProviderRecord(RecordKind.PAYOUT, payout.payout_id, Money(600, "CNY"), "paid",
                       start + timedelta(seconds=2), destination="shop-1"),
    ]  # fmt: skip
