"""Deposits and annual fees: pure arithmetic on parameters held as data.

Defaults are Tmall's published amounts, in major units of the market currency:
- deposit by shop type and trademark kind: flagship and authorised 50,000 when every brand
  has a registered ("R") mark, 100,000 when any brand has only a filed ("TM") mark;
  multi-brand 100,000 / 150,000; individual shops 1,000;
- special categories, recognised by a segment of the category's path (case-insensitive):
  "Medicine & Drugs" or "Pharmacy" -> medicine, 300,000; a segment named "Services" ->
  services, 10,000. The shop's deposit is the largest amount over its categories, where a
  category that is not special counts for the shop type's amount (so a shop selling only
  services pays 10,000 and a shop with medicine among its categories pays 300,000);
- annual fee per approved top-level category: 30,000, except 60,000 for Google taxonomy
  top-level categories 166 Apparel & Accessories, 222 Electronics, 141 Cameras & Optics
  and 469 Health & Beauty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from galerie.kernel import CURRENCY_EXPONENTS, Money
from galerie.sellers.rules import ShopType

REGISTERED, FILED = "R", "TM"


def _brand_deposits() -> dict[tuple[ShopType, str], int]:
    return {
        (ShopType.FLAGSHIP, REGISTERED): 50_000,
        (ShopType.FLAGSHIP, FILED): 100_000,
        (ShopType.AUTHORISED, REGISTERED): 50_000,
        (ShopType.AUTHORISED, FILED): 100_000,
        (ShopType.MULTI_BRAND, REGISTERED): 100_000,
        (ShopType.MULTI_BRAND, FILED): 150_000,
    }


@dataclass(frozen=True)
class FeeSchedule:
    """Amounts in major units of `currency`; `Money` in minor units comes out."""

    currency: str = "CNY"
    brand_deposits: Mapping[tuple[ShopType, str], int] = field(default_factory=_brand_deposits)
    individual_deposit: int = 1_000
    special_deposits: Mapping[str, int] = field(
        default_factory=lambda: {"medicine": 300_000, "services": 10_000}
    )
    special_path_segments: Mapping[str, str] = field(
        default_factory=lambda: {
            "medicine & drugs": "medicine",
            "pharmacy": "medicine",
            "services": "services",
        }
    )
    annual_fee: int = 30_000
    annual_fee_by_top_level: Mapping[int, int] = field(
        default_factory=lambda: {166: 60_000, 222: 60_000, 141: 60_000, 469: 60_000}
    )

    def money(self, major: int) -> Money:
        return Money(major * 10 ** CURRENCY_EXPONENTS[self.currency], self.currency)


def trademark_level(brand_marks: Iterable[frozenset[str]]) -> str:
    """ "R" when every brand has a registered mark, "TM" when any has only filed ones."""
    return FILED if any(REGISTERED not in marks for marks in brand_marks) else REGISTERED


def special_kind(path: str | Iterable[str], schedule: FeeSchedule) -> str | None:
    """The special kind of a category from its path ("A > B > C" or its segments)."""
    segments = path.split(">") if isinstance(path, str) else list(path)
    for segment in segments:
        kind = schedule.special_path_segments.get(segment.strip().casefold())
        if kind is not None:
            return kind
    return None


def required_deposit(
    shop_type: ShopType,
    *,
    brand_marks: Iterable[frozenset[str]],
    category_paths: Iterable[str],
    schedule: FeeSchedule,
) -> Money:
    if shop_type is ShopType.INDIVIDUAL:
        base = schedule.individual_deposit
    else:
        base = schedule.brand_deposits[(shop_type, trademark_level(brand_marks))]
    amounts = [
        schedule.special_deposits[kind] if kind else base
        for kind in (special_kind(path, schedule) for path in category_paths)
    ]
    return schedule.money(max(amounts, default=base))


def annual_fee(top_level_id: int, schedule: FeeSchedule) -> Money:
    return schedule.money(schedule.annual_fee_by_top_level.get(top_level_id, schedule.annual_fee))
