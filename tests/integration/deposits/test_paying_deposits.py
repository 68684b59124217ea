"""A seller pays its shop's deposit through the sandbox provider, on SQLite and PostgreSQL:
the hosted page, then the signed webhook (the same endpoint as group payments) credits the
shop's deposit once (`deposit:<payment>`), which lets the shop publish; a duplicated
webhook changes nothing; a failed payment credits nothing; another organisation cannot pay
(or see) the shop; a covered deposit has nothing to pay."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.deposits import (
    DepositCovered,
    ShopNotFound,
    UnjournalledDeposit,
    deposit_payments_of,
    record_deposit_transfer,
    unjournalled_deposit_payments,
)
from galerie.deposits.models import DepositPayment
from galerie.kernel import Conflict, FixedClock, Forbidden
from galerie.payments import apply_provider_event, start_deposit_payment
from galerie.payments.sandbox import (
    HostedAction,
    SandboxWebhookSender,
    complete_session,
)
from galerie.sellers import ShopAction, change_shop_status
from galerie.workers.timers import send_sandbox_webhooks
from tests.integration.deposits.support import events, ledger, shop_state
from tests.integration.payments.support import SECRET, Endpoint, make_provider
from tests.integration.sellers.factories import People, insert_shop

BACK = "http://127.0.0.1:8000/seller/shops/1/deposit"
REQUIRED = 100_000  # the factory's deposit, CNY


async def _pay(
    db: Database, clock: FixedClock, people: People, shop_id: int, audit: AuditContext,
    action: HostedAction = HostedAction.PAY,
) -> Endpoint:  # fmt: skip
    provider = make_provider(db, clock)
    started = await start_deposit_payment(
        db, provider, actor=people["owner"], shop_id=shop_id, return_url=BACK, cancel_url=BACK,
        now=clock.now(), audit=audit,
    )  # fmt: skip
    token = started.hosted_url.rsplit("/", 1)[1]
    await complete_session(db, session_token=token, action=action, now=clock.now())
    endpoint = Endpoint(db, provider, clock)
    sender = SandboxWebhookSender(db, endpoint, clock, secret=SECRET)
    assert await send_sandbox_webhooks(sender) == 1
    return endpoint


async def test_paying_through_the_provider_credits_the_deposit_once_and_publishes(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, deposit_paid=False)
    with pytest.raises(Conflict) as unpaid:
        await change_shop_status(
            db, actor=people["owner"], shop_id=shop, action=ShopAction.PUBLISH,
            now=clock.now(), audit=audit,
        )  # fmt: skip
    assert unpaid.value.code == "deposit_not_paid"
    endpoint = await _pay(db, clock, people, shop, audit)
    assert endpoint.outcomes == ["deposit_paid"]
    journal = {("provider_clearing", 0): REQUIRED, ("deposits_held", shop): -REQUIRED}
    assert await ledger(db) == journal
    assert await shop_state(db, shop) == ("preparing", REQUIRED)
    paid = await events(db, "ShopDepositPaid")  # mailed: the shop may be published
    assert [(e["shop_id"], e["actor_user_id"]) for e in paid] == [(shop, people["owner"].user_id)]
    headers, body = endpoint.bodies[0]
    event = endpoint.provider.verify_webhook(body, headers, now=clock.now())
    again = await apply_provider_event(db, provider="sandbox", event=event, now=clock.now())
    assert again == "duplicate"
    assert await ledger(db) == journal  # nothing posted twice
    assert len(await events(db, "ShopDepositPaid")) == 1
    async with db.reading() as session:  # what `galerie reconcile` will read
        assert await unjournalled_deposit_payments(session) == []
        ours = await deposit_payments_of(session, provider="sandbox")
    assert list(ours.values()) == [("succeeded", REQUIRED, "CNY")]
    published = await change_shop_status(
        db, actor=people["owner"], shop_id=shop, action=ShopAction.PUBLISH, now=clock.now(),
        audit=audit,
    )  # fmt: skip
    assert published == "live"
    with pytest.raises(DepositCovered):
        await start_deposit_payment(
            db, endpoint.provider, actor=people["owner"], shop_id=shop, return_url=BACK,
            cancel_url=BACK, now=clock.now(), audit=audit,
        )  # fmt: skip


async def test_a_failed_payment_credits_nothing_and_a_second_click_reuses_the_page(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, deposit_paid=False)
    provider = make_provider(db, clock)
    args: dict[str, Any] = {"shop_id": shop, "return_url": BACK, "cancel_url": BACK, "audit": audit}
    first = await start_deposit_payment(
        db, provider, actor=people["owner"], now=clock.now(), **args
    )
    second = await start_deposit_payment(
        db, provider, actor=people["manager"], now=clock.now(), **args
    )
    assert (second.payment_id, second.hosted_url, second.reused) == (
        first.payment_id, first.hosted_url, True,
    )  # fmt: skip
    await complete_session(
        db, session_token=first.hosted_url.rsplit("/", 1)[1], action=HostedAction.FAIL,
        now=clock.now(),
    )  # fmt: skip
    endpoint = Endpoint(db, provider, clock)
    assert await send_sandbox_webhooks(SandboxWebhookSender(db, endpoint, clock, secret=SECRET))
    assert endpoint.outcomes == ["failed"]
    assert await ledger(db) == {}
    assert await shop_state(db, shop) == ("preparing", 0)


async def test_another_organisation_cannot_pay_and_staff_may_not(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, deposit_paid=False)
    provider = make_provider(db, clock)
    args: dict[str, Any] = {"shop_id": shop, "return_url": BACK, "cancel_url": BACK, "audit": audit}
    with pytest.raises(ShopNotFound):
        await start_deposit_payment(db, provider, actor=people["rival"], now=clock.now(), **args)
    with pytest.raises(Forbidden) as staff:
        await start_deposit_payment(db, provider, actor=people["staff"], now=clock.now(), **args)
    assert getattr(staff.value, "code", None) == "forbidden"
    assert await ledger(db) == {}


async def test_finance_records_a_bank_transfer_once(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, deposit_paid=False)
    paid = await record_deposit_transfer(
        db, actor=people["finance"], shop_id=shop, reference="Wire 2026-118", now=clock.now(),
        audit=audit,
    )  # fmt: skip
    assert (paid.minor, paid.currency) == (REQUIRED, "CNY")
    with pytest.raises(DepositCovered):
        await record_deposit_transfer(
            db, actor=people["finance"], shop_id=shop, reference="again", now=clock.now(),
            audit=audit,
        )  # fmt: skip
    with pytest.raises(Forbidden) as refused:
        await record_deposit_transfer(
            db, actor=people["moderation"], shop_id=shop, reference="x", now=clock.now(),
            audit=audit,
        )  # fmt: skip
    assert getattr(refused.value, "code", None) == "forbidden"
    assert await ledger(db) == {
        ("provider_clearing", 0): REQUIRED,
        ("deposits_held", shop): -REQUIRED,
    }


async def test_a_captured_deposit_payment_without_its_entry_is_reported(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, deposit_paid=False)
    started = await start_deposit_payment(
        db, make_provider(db, clock), actor=people["owner"], shop_id=shop, return_url=BACK,
        cancel_url=BACK, now=clock.now(), audit=audit,
    )  # fmt: skip
    async with db.transaction() as session:  # a capture recorded with its posting lost
        await session.execute(
            update(DepositPayment)
            .where(DepositPayment.id == started.payment_id)
            .values(status="succeeded", captured_minor=REQUIRED)
        )
    async with db.reading() as session:
        found = await unjournalled_deposit_payments(session)
    assert found == [UnjournalledDeposit(started.payment_id, REQUIRED, 0)]
