"""The annual fee's rebate, pure arithmetic on parameters held as data (no I/O).

A shop pays each approved top-level category's annual fee once a year (the amount kept on
`shop_categories`, from sellers.fees.FeeSchedule). At year end part of it comes back when
the shop's goods sales in that top-level category that year reach the category's
thresholds. Defaults (Tmall's published scheme, major units of CNY): half the fee back at
180,000 of sales, all of it at 360,000; a category may have its own tiers
(`RebateSchedule.by_top_level`). Half of an odd number of minor units rounds down (the
platform keeps the odd unit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from galerie.kernel import CURRENCY_EXPONENTS, Money

FULL_BP = 10_000


@dataclass(frozen=True, slots=True)
class RebateTier:
    """From `sales_major` of goods sales in the year, `share_bp` of the fee comes back."""

    sales_major: int
    share_bp: int


def _default_tiers() -> tuple[RebateTier, ...]:
    return (RebateTier(180_000, 5_000), RebateTier(360_000, FULL_BP))


@dataclass(frozen=True)
class RebateSchedule:
    currency: str = "CNY"
    tiers: Sequence[RebateTier] = field(default_factory=_default_tiers)
    by_top_level: Mapping[int, Sequence[RebateTier]] = field(default_factory=dict)

    def tiers_for(self, top_level_id: int) -> Sequence[RebateTier]:
        return self.by_top_level.get(top_level_id, self.tiers)

    def minor(self, major: int) -> int:
        return major * int(10 ** CURRENCY_EXPONENTS[self.currency])


def rebate_share_bp(sales: Money, tiers: Sequence[RebateTier], schedule: RebateSchedule) -> int:
    """The share of the fee (basis points) that comes back for `sales`: the highest tier
    reached, 0 below every tier or in another currency than the schedule's."""
    if sales.currency != schedule.currency:
        return 0
    reached = [t.share_bp for t in tiers if sales.minor >= schedule.minor(t.sales_major)]
    return min(max(reached, default=0), FULL_BP)


def rebate_amount(fee: Money, sales: Money, top_level_id: int, schedule: RebateSchedule) -> Money:
    """What comes back of `fee` for the year's `sales` in the category: 0 <= it <= fee."""
    share = rebate_share_bp(sales, schedule.tiers_for(top_level_id), schedule)
    return Money(fee.minor * share // FULL_BP, fee.currency)


def fee_key(shop_id: int, category_id: int, year: int) -> str:
    return f"annual-fee:{shop_id}:{category_id}:{year}"


def rebate_key(shop_id: int, category_id: int, year: int) -> str:
    return f"annual-fee-rebate:{shop_id}:{category_id}:{year}"


def fee_split(fee: Money, available: Money) -> tuple[Money, Money]:
    """(from the payable, owed as fees receivable): the payable pays what it can."""
    paid = Money(max(0, min(fee.minor, available.minor)), fee.currency)
    return paid, fee - paid
