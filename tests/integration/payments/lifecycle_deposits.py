"""The deposits side of the lifecycle model (test_lifecycle_machine.py): the people who move
deposits (the shops' owner pays them, two finance operators record transfers and deduct,
one approving the other's), paying a shop's shortfall through the provider's hosted page and
its `deposit:` webhook, and what the database holds of deposits, read in one go for the
model's invariant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from galerie.audit import AuditContext
from galerie.config import load_settings
from galerie.db import Database
from galerie.deposits import record_deposit_transfer
from galerie.identity import OperatorRole, Principal, load_principal
from galerie.payments import start_deposit_payment
from galerie.payments.sandbox import HostedAction, SandboxWebhookSender, complete_session
from galerie.workers.timers import send_sandbox_webhooks
from tests.factories import make_user
from tests.integration.orders.factories import Market
from tests.integration.payments.support import SECRET, Endpoint

REQUIRED = 100_000  # every factory shop's deposit requirement, CNY
# deductions above it wait for a second operator: the setting, as the console passes it
THRESHOLD = load_settings(
    {"GALERIE_DEPOSIT_DEDUCTION_APPROVAL_MINOR": "20000", "GALERIE_ENV": "test"}
).deposit_deduction_approval_minor
AUDIT = AuditContext(request_id="lifecycle-model")
BACK = "http://127.0.0.1:8000/seller/deposit"

# Per shop account: the cached balance and the sum of its journal lines (debit positive).
DEPOSITS_SQL = text(
    "SELECT a.owner_id, a.balance_minor, COALESCE(SUM(l.amount_minor), 0) "
    "FROM ledger_accounts a LEFT JOIN journal_lines l ON l.account_id = a.id "
    "WHERE a.kind = 'deposits_held' GROUP BY a.id, a.owner_id, a.balance_minor"
)
PENDING_SQL = text("SELECT id FROM deposit_deductions WHERE status = 'pending'")
COUNTDOWNS_SQL = text("SELECT shop_id FROM deposit_countdowns WHERE status = 'running'")
SHOP_BALANCES_SQL = text(
    "SELECT kind, owner_id, balance_minor FROM ledger_accounts "
    "WHERE kind IN ('seller_payable', 'deposits_held')"
)


@dataclass(frozen=True, slots=True)
class People:
    owner: Principal  # owns the market's shops: pays their deposits
    operators: tuple[Principal, Principal]  # finance: transfers and deductions


@dataclass(frozen=True, slots=True)
class DepositsSeen:
    held: dict[int, int]  # shop -> cached natural balance of its deposits held
    journal: dict[int, int]  # shop -> the same from its journal lines
    pending: set[int]  # deductions waiting for a second operator
    counting_down: set[int]  # shops with a running top-up countdown


async def _principal(db: Database, user_id: int) -> Principal:
    async with db.reading() as session:
        found = await load_principal(session, user_id)
    assert found is not None
    return found


async def make_people(db: Database, market: Market, now: datetime) -> People:
    finance = [
        (await make_user(db, now=now, operator_roles=(OperatorRole.FINANCE,))).user_id
        for _ in range(2)
    ]
    owner = await _principal(db, market.owner_user_id)
    return People(owner, (await _principal(db, finance[0]), await _principal(db, finance[1])))


async def pay_deposit(endpoint: Endpoint, owner: Principal, shop_id: int) -> None:
    """The owner pays the shop's shortfall on the hosted page; the sandbox delivers its
    webhook to our endpoint."""
    db, clock = endpoint.db, endpoint.clock
    started = await start_deposit_payment(
        db, endpoint.provider, actor=owner, shop_id=shop_id, return_url=BACK, cancel_url=BACK,
        now=clock.now(), audit=AUDIT,
    )  # fmt: skip
    token = started.hosted_url.rsplit("/", 1)[1]
    await complete_session(db, session_token=token, action=HostedAction.PAY, now=clock.now())
    await send_sandbox_webhooks(SandboxWebhookSender(db, endpoint, clock, secret=SECRET))


async def hold_deposits(endpoint: Endpoint, market: Market, people: People) -> None:
    """The prepared market's shops hold their whole deposit: the first paid through the
    provider, the second by a bank transfer finance records."""
    first, second = market.shops
    await pay_deposit(endpoint, people.owner, first.shop_id)
    assert endpoint.outcomes == ["deposit_paid"], endpoint.outcomes
    await record_deposit_transfer(
        endpoint.db, actor=people.operators[0], shop_id=second.shop_id, reference="bank 0",
        now=endpoint.clock.now(), audit=AUDIT,
    )  # fmt: skip


async def deposits_seen(db: Database) -> DepositsSeen:
    async with db.reading() as session:
        accounts = (await session.execute(DEPOSITS_SQL)).all()
        pending = (await session.execute(PENDING_SQL)).all()
        running = (await session.execute(COUNTDOWNS_SQL)).all()
    return DepositsSeen(
        {int(shop): -int(cached) for shop, cached, _ in accounts},
        {int(shop): -int(journal) for shop, _, journal in accounts},
        {int(row[0]) for row in pending},
        {int(row[0]) for row in running},
    )


async def shop_balances(db: Database, shop_id: int) -> tuple[int, int]:
    """The shop's payable and deposit held now (natural balances)."""
    async with db.reading() as session:
        rows = (await session.execute(SHOP_BALANCES_SQL)).all()
    found = {str(kind): -int(balance) for kind, owner, balance in rows if int(owner) == shop_id}
    return found.get("seller_payable", 0), found.get("deposits_held", 0)
