"""Deposit and annual-fee arithmetic, and the transition tables as data."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from galerie.identity import Permission
from galerie.kernel import Money
from galerie.sellers.fees import FeeSchedule, annual_fee, required_deposit, special_kind
from galerie.sellers.rules import ShopType
from galerie.sellers.states import (
    APPLICATION_TRANSITIONS,
    SHOP_TRANSITIONS,
    ApplicationAction,
    ApplicationStatus,
    ShopStatus,
)

CNY = FeeSchedule()
R, TM = frozenset({"R"}), frozenset({"TM"})
CLOTHES = "Apparel & Accessories > Clothing"
MEDICINE = "Health & Beauty > Health Care > Medicine & Drugs"


def deposit(
    shop_type: ShopType, marks: list[frozenset[str]], paths: list[str], schedule: FeeSchedule = CNY
) -> Money:
    return required_deposit(shop_type, brand_marks=marks, category_paths=paths, schedule=schedule)


def test_deposits_by_shop_type_and_mark() -> None:
    assert deposit(ShopType.FLAGSHIP, [R], [CLOTHES]) == Money(5_000_000, "CNY")
    assert deposit(ShopType.AUTHORISED, [R, TM | R], [CLOTHES]) == Money(5_000_000, "CNY")
    assert deposit(ShopType.FLAGSHIP, [R, TM], [CLOTHES]) == Money(10_000_000, "CNY")
    assert deposit(ShopType.MULTI_BRAND, [R, R], [CLOTHES]) == Money(10_000_000, "CNY")
    assert deposit(ShopType.MULTI_BRAND, [R, TM], [CLOTHES]) == Money(15_000_000, "CNY")
    assert deposit(ShopType.INDIVIDUAL, [], [CLOTHES]) == Money(100_000, "CNY")
    assert deposit(
        ShopType.INDIVIDUAL, [], [CLOTHES], FeeSchedule(individual_deposit=500)
    ) == Money(50_000, "CNY")


def test_special_categories() -> None:
    assert special_kind(MEDICINE, CNY) == "medicine"
    assert special_kind("Home & Garden > Bathroom Accessories > Medicine Cabinets", CNY) is None
    assert special_kind("Business & Industrial > Services", CNY) == "services"
    assert deposit(ShopType.FLAGSHIP, [R], [CLOTHES, MEDICINE]) == Money(30_000_000, "CNY")
    assert deposit(ShopType.FLAGSHIP, [R], ["Business & Industrial > Services"]) == Money(
        1_000_000, "CNY"
    )
    assert deposit(ShopType.FLAGSHIP, [R], [CLOTHES, "X > Services"]) == Money(5_000_000, "CNY")


def test_amounts_follow_the_currency_exponent() -> None:
    assert deposit(ShopType.FLAGSHIP, [R], [CLOTHES], FeeSchedule(currency="JPY")) == Money(
        50_000, "JPY"
    )


def test_annual_fees() -> None:
    assert annual_fee(166, CNY) == Money(6_000_000, "CNY")
    assert annual_fee(536, CNY) == Money(3_000_000, "CNY")
    assert annual_fee(536, FeeSchedule(annual_fee_by_top_level={536: 45_000})) == Money(
        4_500_000, "CNY"
    )


def test_each_action_has_one_permission_and_sanctions_need_reasons() -> None:
    by_action: dict[object, set[object]] = {}
    for (_, action), step in (*APPLICATION_TRANSITIONS.items(), *SHOP_TRANSITIONS.items()):
        by_action.setdefault(action, set()).add(step.permission)
        if step.permission in (Permission.CONSOLE_VETTING, Permission.CONSOLE_MODERATION):
            assert step.reason_required, action
    assert all(len(perms) == 1 for perms in by_action.values())


def test_terminal_states_have_no_exit() -> None:
    for terminal in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        assert not any(state == terminal for state, _ in APPLICATION_TRANSITIONS)
    assert not any(state == ShopStatus.CLOSED for state, _ in SHOP_TRANSITIONS)


@given(st.lists(st.sampled_from(list(ApplicationAction)), max_size=30))
def test_only_an_operator_decision_reaches_a_verdict(actions: list[ApplicationAction]) -> None:
    """Whatever the sequence of steps the table allows, approved and rejected are reached
    only by a vetting step, and every reachable state is a known one."""
    state = ApplicationStatus.DRAFT
    for action in actions:
        step = APPLICATION_TRANSITIONS.get((state, action))
        if step is None:
            continue
        if step.to in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
            assert step.permission is Permission.CONSOLE_VETTING
        if step.permission is not None and step.permission.value.startswith("seller."):
            assert step.to == ApplicationStatus.SUBMITTED
        state = ApplicationStatus(step.to)
