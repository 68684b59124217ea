"""Pure ledger rules: account kinds as data, journal lines, the balance check and the
fingerprint that makes a replay recognisable. No I/O.

Signs: a line's amount is signed, debit positive and credit negative, so every entry sums to
zero per currency and so does the whole ledger. Each kind has a normal side: the *natural*
balance (what `balance_of` reports: money held in escrow, owed to a seller, earned as
commission) is the signed sum for debit-normal kinds and its negation for credit-normal ones.
A kind that may not go negative keeps its natural balance >= 0."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from galerie.kernel import Money, ValidationFailed
from galerie.ledger.errors import BadAccount, EntryUnbalanced

MAX_LINES = 100
KEY_LENGTH = 120
MEMO_LENGTH = 200
_KEY = re.compile(r"^[A-Za-z0-9_.:/=+-]{1,120}$")


class OwnerKind(StrEnum):
    PLATFORM = "platform"
    SHOP_ORDER = "shop_order"
    SHOP = "shop"


class AccountKind(StrEnum):
    PROVIDER_CLEARING = "provider_clearing"
    ESCROW = "escrow"
    SELLER_PAYABLE = "seller_payable"
    COMMISSION_REVENUE = "commission_revenue"
    PLATFORM_DISCOUNTS = "platform_discounts"
    DEPOSITS_HELD = "deposits_held"
    FEES_RECEIVABLE = "fees_receivable"
    REFUNDS = "refunds"
    PAYOUTS_IN_TRANSIT = "payouts_in_transit"


@dataclass(frozen=True, slots=True)
class KindRule:
    owner: OwnerKind
    normal_sign: int  # +1 debit-normal (assets, expenses), -1 credit-normal
    may_go_negative: bool


KIND_RULES: dict[AccountKind, KindRule] = {
    AccountKind.PROVIDER_CLEARING: KindRule(OwnerKind.PLATFORM, +1, True),
    AccountKind.ESCROW: KindRule(OwnerKind.SHOP_ORDER, -1, False),
    AccountKind.SELLER_PAYABLE: KindRule(OwnerKind.SHOP, -1, False),
    AccountKind.COMMISSION_REVENUE: KindRule(OwnerKind.PLATFORM, -1, True),
    AccountKind.PLATFORM_DISCOUNTS: KindRule(OwnerKind.PLATFORM, +1, True),
    AccountKind.DEPOSITS_HELD: KindRule(OwnerKind.SHOP, -1, False),
    AccountKind.FEES_RECEIVABLE: KindRule(OwnerKind.SHOP, +1, True),
    AccountKind.REFUNDS: KindRule(OwnerKind.PLATFORM, -1, True),
    AccountKind.PAYOUTS_IN_TRANSIT: KindRule(OwnerKind.PLATFORM, -1, True),
}
PLATFORM_OWNER_ID = 0  # platform accounts have no owner row; 0 keeps the unique key exact


def owner_id_for(kind: AccountKind, owner_id: int | None) -> int:
    """The stored owner id of an account of `kind`: 0 for platform accounts (which take
    none), the shop or shop order id otherwise (which they must have)."""
    rule = KIND_RULES[kind]
    if rule.owner is OwnerKind.PLATFORM:
        if owner_id is not None:
            raise BadAccount(f"{kind} is a platform account and has no owner", kind=kind)
        return PLATFORM_OWNER_ID
    if owner_id is None or owner_id <= 0:
        raise BadAccount(f"{kind} belongs to a {rule.owner}: give its id", kind=kind)
    return owner_id


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a journal entry: a signed amount (debit positive) on one account."""

    account_id: int
    amount: Money


def debit(account_id: int, amount: Money) -> Line:
    return Line(account_id, amount)


def credit(account_id: int, amount: Money) -> Line:
    return Line(account_id, -amount)


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValidationFailed(
            "a business key is 1-120 letters, digits or _.:/=+-", field="key", code="bad_entry_key"
        )
    return key


def check_lines(lines: Sequence[Line]) -> dict[str, int]:
    """Refuse an entry that is not postable; return the debit total per currency."""
    if not 2 <= len(lines) <= MAX_LINES:
        raise EntryUnbalanced(f"an entry has 2 to {MAX_LINES} lines", lines=len(lines))
    sums: dict[str, int] = defaultdict(int)
    debits: dict[str, int] = defaultdict(int)
    for line in lines:
        if line.amount.minor == 0:
            raise EntryUnbalanced("a line moves a non-zero amount", account_id=line.account_id)
        sums[line.amount.currency] += line.amount.minor
        debits[line.amount.currency] += max(line.amount.minor, 0)
    unbalanced = {currency: total for currency, total in sums.items() if total != 0}
    if unbalanced:
        raise EntryUnbalanced("the lines do not sum to zero per currency", off=unbalanced)
    return dict(debits)


def fingerprint(lines: Sequence[Line], memo: str, reversal_of: int | None) -> str:
    """A digest of what an entry says, independent of line order: a replay under the same
    key must say the same."""
    body = sorted((line.account_id, line.amount.currency, line.amount.minor) for line in lines)
    text = json.dumps([body, memo, reversal_of], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def per_account(lines: Sequence[Line]) -> list[tuple[int, str, int]]:
    """(account id, currency, net change) in account-id order: the order in which balances
    are updated, so concurrent postings lock rows in one order and cannot deadlock."""
    net: dict[tuple[int, str], int] = defaultdict(int)
    for line in lines:
        net[(line.account_id, line.amount.currency)] += line.amount.minor
    return [(account, currency, change) for (account, currency), change in sorted(net.items())]
