"""A stateful model of random postings, replays and reversals over two currencies, with
accounts that may and may not go negative. After every step: the cached balances equal the
model and the journal (check_balances), the sum of all accounts is zero per currency, no
non-negative account is below zero, and refusals happen exactly when the model says.

Hypothesis drives synchronous rules, so the test runs its own event loop against a database
of its own (SQLite always; PostgreSQL too when a server answers). Platform accounts are
shared by all examples, so each example starts its model from the balances it finds."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from galerie.db import Database, RawSQL
from galerie.kernel import Money
from galerie.ledger import (
    Account,
    AccountKind,
    AlreadyReversed,
    BalanceWouldGoNegative,
    Line,
    PostedEntry,
    account_for,
    check_balances,
    post_entry,
    reverse_entry,
)
from tests.conftest import _postgres_reachable, drop_at_the_end, migrated_database

T = TypeVar("T")
NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
CURRENCIES = ("CNY", "EUR")
KINDS = (
    AccountKind.PROVIDER_CLEARING,
    AccountKind.ESCROW,
    AccountKind.SELLER_PAYABLE,
    AccountKind.DEPOSITS_HELD,
    AccountKind.COMMISSION_REVENUE,
    AccountKind.REFUNDS,
)
PLATFORM = {AccountKind.PROVIDER_CLEARING, AccountKind.COMMISSION_REVENUE, AccountKind.REFUNDS}
INDEX = st.integers(min_value=0, max_value=len(KINDS) - 1)
AMOUNT = st.integers(min_value=1, max_value=5_000)
SETTINGS = settings(
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
EXAMPLES = itertools.count(1)
OUTCOMES = {"posted": 0, "refused": 0}  # both paths must be exercised


@dataclass(frozen=True, slots=True)
class Harness:
    loop: asyncio.AbstractEventLoop
    db: Database

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)


class LedgerMachine(RuleBasedStateMachine):
    harness: ClassVar[Harness]

    def __init__(self) -> None:
        super().__init__()
        self.example = next(EXAMPLES)
        self.accounts = {c: self.harness.run(self._accounts(c)) for c in CURRENCIES}
        # account id -> signed balance (debit positive), starting from what the database has
        self.model = {a.id: a.balance.minor * a.normal_sign for a in self._all()}
        self.posted: list[PostedEntry] = []
        self.reversed: set[int] = set()
        self.keys = itertools.count(1)

    async def _accounts(self, currency: str) -> list[Account]:
        async with self.harness.db.transaction() as session:
            return [
                await account_for(
                    session,
                    kind=kind,
                    currency=currency,
                    now=NOW,
                    owner_id=None if kind in PLATFORM else self.example,
                )
                for kind in KINDS
            ]

    def _all(self) -> list[Account]:
        return [a for c in CURRENCIES for a in self.accounts[c]]

    def _allowed(self, lines: list[Line]) -> bool:
        after = dict(self.model)
        for line in lines:
            after[line.account_id] += line.amount.minor
        return all(a.may_go_negative or after[a.id] * a.normal_sign >= 0 for a in self._all())

    def _post(self, lines: list[Line], reverse: PostedEntry | None = None) -> PostedEntry | None:
        allowed = self._allowed(lines)
        key = f"m{self.example}:{next(self.keys)}"

        async def go() -> PostedEntry:
            async with self.harness.db.transaction() as session:
                if reverse is not None:
                    return await reverse_entry(
                        session, entry_id=reverse.id, key=key, memo="undo", now=NOW
                    )
                return await post_entry(session, key=key, lines=lines, memo="move", now=NOW)

        try:
            entry = self.harness.run(go())
        except BalanceWouldGoNegative:
            assert not allowed
            OUTCOMES["refused"] += 1
            return None
        assert allowed
        OUTCOMES["posted"] += 1
        for line in lines:
            self.model[line.account_id] += line.amount.minor
        self.posted.append(entry)
        return entry

    @rule(currency=st.sampled_from(CURRENCIES), source=INDEX, to=INDEX, amount=AMOUNT)
    def move(self, currency: str, source: int, to: int, amount: int) -> None:
        accounts = self.accounts[currency]
        money = Money(amount, currency)
        self._post([Line(accounts[to].id, money), Line(accounts[source].id, -money)])

    @rule(source=INDEX, into=st.tuples(INDEX, INDEX), amount=AMOUNT, split=AMOUNT)
    def split_in_two_currencies(
        self, source: int, into: tuple[int, int], amount: int, split: int
    ) -> None:
        lines: list[Line] = []
        for currency in CURRENCIES:
            accounts = self.accounts[currency]
            parts = Money(amount, currency).allocate([split, 5_000])
            lines.append(Line(accounts[source].id, -Money(amount, currency)))
            lines += [Line(accounts[t].id, p) for t, p in zip(into, parts, strict=True) if p.minor]
        self._post(lines)

    @rule(data=st.data())
    def replay(self, data: st.DataObject) -> None:
        if not self.posted:
            return
        entry = data.draw(st.sampled_from(self.posted))

        async def go() -> PostedEntry:
            async with self.harness.db.transaction() as session:
                if entry.reversal_of is not None:
                    return await reverse_entry(
                        session, entry_id=entry.reversal_of, key=entry.key, memo=entry.memo,
                        now=NOW,
                    )  # fmt: skip
                return await post_entry(
                    session, key=entry.key, lines=list(entry.lines), memo=entry.memo, now=NOW
                )

        again = self.harness.run(go())
        assert (again.id, again.replayed) == (entry.id, True)

    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        if not self.posted:
            return
        entry = data.draw(st.sampled_from(self.posted))
        undo = [Line(line.account_id, -line.amount) for line in entry.lines]
        if entry.id in self.reversed:
            with pytest.raises(AlreadyReversed):
                self._post(undo, reverse=entry)
            return
        if self._post(undo, reverse=entry) is not None:
            self.reversed.add(entry.id)

    @invariant()
    def balances_match_the_model_and_the_journal(self) -> None:
        async def read() -> tuple[dict[int, int], dict[str, int]]:
            async with self.harness.db.reading() as session:
                raw = await RawSQL.of(session)
                rows = await raw.fetch("SELECT id, balance_minor FROM ledger_accounts")
                totals = await raw.fetch(
                    "SELECT currency, SUM(balance_minor) FROM ledger_accounts GROUP BY currency"
                )
            return {int(i): int(b) for i, b in rows}, {str(c): int(t) for c, t in totals}

        stored, totals = self.harness.run(read())
        assert {i: stored[i] for i in self.model} == self.model
        assert set(totals.values()) <= {0}
        for account in self._all():
            assert account.may_go_negative or stored[account.id] * account.normal_sign >= 0
        check = self.harness.run(check_balances(self.harness.db))
        assert check.ok, check


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_postings_keep_the_ledger_balanced(backend_name: str, tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    url = ""
    try:
        if backend_name == "postgresql" and not loop.run_until_complete(_postgres_reachable()):
            pytest.skip("no PostgreSQL server")
        url = loop.run_until_complete(migrated_database(backend_name, tmp_path, "ledger"))
        db = Database.from_url(url)
        machine = type("Machine", (LedgerMachine,), {"harness": Harness(loop, db)})
        OUTCOMES.update(posted=0, refused=0)
        try:
            run_state_machine_as_test(machine, settings=SETTINGS)  # type: ignore[no-untyped-call]
            assert min(OUTCOMES.values()) >= 10, OUTCOMES
        finally:
            loop.run_until_complete(db.dispose())
    finally:
        if backend_name == "postgresql" and url:
            drop_at_the_end(url)
        loop.close()
