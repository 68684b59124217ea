"""Issue 6's settlement journey in a real browser: an operator sets two categories'
commission rates in the console (8% on Home & Garden, 12.5% on Apparel & Accessories, which
Clothing inherits); a shopper buys a teapot of one shop and two notebooks (Clothing) of
another in one checkout and pays through the sandbox provider's hosted page, whose signed
webhook pays the group; each shop's owner ships its order in the seller centre; the shopper
confirms receipt of the teapot, and the worker's automatic confirmation timer, its clock a
minute past the deadline the shopper was shown, confirms the notebooks. Each owner then
reads, on the shop's finance pages, exactly what the order paid minus the commission the
test computes from the rates it set; `galerie payout-run` pays both shops through the
sandbox provider, whose `payout.paid` webhooks mark the payouts paid; the operator sees the
run in the console and each owner sees the payout on the balance and the statement.
Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import sign_in_as, snapshot
from tests.e2e.settlement_fixtures import (
    NOTEBOOK,
    OPERATOR_EMAIL,
    PASSWORD,
    SHOP_A,
    SHOP_B,
    TEAPOT,
    SettlementServer,
    galerie_command,
    run_receipt_timer,
    settlement_server,
)
from tests.integration.sellers.factories import APPAREL, HOME

pytestmark = pytest.mark.e2e
__all__ = ["settlement_server"]  # the fixture, found by pytest through this module

WAIT_SECONDS = 60  # for what the server's in-process worker does asynchronously


@dataclass(frozen=True, slots=True)
class Sale:
    """One shop's order, in minor units: what the test expects the shop to be credited."""

    shop: str
    goods: int
    shipping: int
    rate_bp: int
    by_timer: bool = False  # received by the automatic confirmation, not by the shopper

    @property
    def total(self) -> int:
        return self.goods + self.shipping

    @property
    def commission(self) -> int:
        # the rates chosen make each commission a whole number of fen: no rounding to agree on
        assert self.goods * self.rate_bp % 10_000 == 0
        return self.goods * self.rate_bp // 10_000

    @property
    def credited(self) -> int:
        return self.total - self.commission


# The teapot: CN¥168.00, express CN¥8.00 at 8%. The notebooks: 2 x CN¥45.00, surface mail
# CN¥3.00 + CN¥1.00 for the second, at 12.5%.
TEAPOT_SALE = Sale(SHOP_A, goods=16_800, shipping=800, rate_bp=800)
NOTEBOOK_SALE = Sale(SHOP_B, goods=9_000, shipping=400, rate_bp=1_250, by_timer=True)


def cny(minor: int) -> str:
    """What the English pages show for `minor` fen."""
    sign = "-" if minor < 0 else ""
    return f"{sign}CN¥{abs(minor) // 100:,}.{abs(minor) % 100:02d}"


@dataclass(frozen=True, slots=True)
class People:
    operator: Page
    shopper: Page
    seller_a: Page
    seller_b: Page


@pytest.fixture
def people(browser: Browser, settlement_server: SettlementServer) -> Iterator[People]:
    contexts = [
        browser.new_context(base_url=settlement_server.base_url, locale="en-GB") for _ in range(4)
    ]
    yield People(*(context.new_page() for context in contexts))
    for context in contexts:
        context.close()


def snap(page: Page, name: str) -> None:
    snapshot(page, f"settlement-journey-{name}")


def sign_in(page: Page, email: str) -> None:
    sign_in_as(page, email, PASSWORD)


def until(page: Page, shown: Locator, done: Callable[[str], bool], what: str) -> None:
    """Reload `page` until the text of `shown` is `done`: for what the server's worker does
    asynchronously (the outbox, the sandbox provider's webhooks)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not done(text := shown.inner_text()):
        assert time.monotonic() < deadline, f"never happened: {what}; the page shows {text!r}"
        page.wait_for_timeout(300)
        page.reload()


def order_row(page: Page, shop: str) -> Locator:
    """The row of an orders table that links to `shop`."""
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=shop))


# The operator -------------------------------------------------------------------------------


def set_commission(page: Page, category: int, rate_bp: int, shown: str) -> None:
    page.goto(f"/console/categories/{category}")
    page.get_by_label("Commission in basis points").fill(str(rate_bp))
    page.get_by_role("button", name="Save the terms").click()
    expect(page).to_have_url(re.compile(rf"/console/categories/{category}$"))
    expect(page.locator("#commission")).to_have_text(shown)


# The shopper --------------------------------------------------------------------------------


def buy(page: Page, server: SettlementServer) -> None:
    """A teapot and two notebooks in the cart, checked out: the group's page."""
    page.goto(f"/products/{server.seeded.teapot}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TEAPOT)
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    page.goto(f"/products/{server.seeded.notebook}")
    expect(page.get_by_role("heading", level=1)).to_have_text(NOTEBOOK)
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.get_by_text("3 items")).to_be_visible()
    page.get_by_role("link", name="Check out").click()
    expect(page).to_have_url(re.compile(r"/checkout$"))
    for sale in (TEAPOT_SALE, NOTEBOOK_SALE):
        expect(page.get_by_role("region", name=sale.shop).locator(".cart-total")).to_have_text(
            f"Total for this shop: {cny(sale.total)}"
        )
    grand = TEAPOT_SALE.total + NOTEBOOK_SALE.total
    expect(page.locator("#checkout-total")).to_have_text(f"Total to pay: {cny(grand)}")
    snap(page, "02-checkout")
    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(re.compile(r"/account/orders/groups/\d+$"))


def pay(page: Page) -> dict[str, str]:
    """Through the sandbox provider's hosted page: "Pay" there, back to the group's page,
    paid when the provider's signed webhook lands. Each shop's order number."""
    grand = cny(TEAPOT_SALE.total + NOTEBOOK_SALE.total)
    expect(page.locator("#group-status")).to_have_text(f"Awaiting payment · Total: {grand}")
    page.get_by_role("button", name="Pay now").click()
    expect(page).to_have_url(re.compile(r"/sandbox/pay/[^/]+$"))
    expect(page.locator("#sandbox-amount")).to_have_text(grand)
    snap(page, "03-hosted-payment-page")
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page).to_have_url(re.compile(r"/account/orders/groups/\d+\?payment=returned$"))
    status = page.locator("#group-status")
    until(page, status, lambda text: "Paid ·" in text, "the payment webhook paid the group")
    expect(status).to_have_text(f"Paid · Total: {grand}")
    numbers = {}
    for sale in (TEAPOT_SALE, NOTEBOOK_SALE):
        row = order_row(page, sale.shop)
        expect(row).to_contain_text("Paid, to ship")
        expect(row).to_contain_text(cny(sale.total))
        numbers[sale.shop] = row.get_by_role("link").first.inner_text()
    snap(page, "04-paid")
    return numbers


def open_order(page: Page, number: str) -> None:
    page.goto("/account/orders")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def confirm_receipt(page: Page, number: str) -> None:
    open_order(page, number)
    expect(page.locator("#order-status")).to_have_text("Status: Shipped, awaiting receipt")
    page.get_by_role("link", name="Confirm receipt").click()
    page.get_by_role("button", name="Yes, I received my order").click()
    expect(page.locator("#order-status")).to_have_text("Status: Received")
    snap(page, "07-confirmed-by-shopper")


def shown_deadline(page: Page, number: str) -> datetime:
    """The automatic confirmation's deadline as the shopper's order page states it."""
    open_order(page, number)
    expect(page.locator("#order-status")).to_have_text("Status: Shipped, awaiting receipt")
    text = page.locator("#auto-confirm").inner_text()
    found = re.search(r"received on (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", text)
    assert found is not None, text
    return datetime.strptime(found.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


# The sellers --------------------------------------------------------------------------------


def open_shop(page: Page, shop: str) -> None:
    page.get_by_role("link", name="Seller centre", exact=True).click()
    page.get_by_role("link", name="Your shops").click()
    page.get_by_role("link", name=shop).click()


def ship(page: Page, sale: Sale, number: str) -> None:
    open_shop(page, sale.shop)
    page.get_by_role("link", name="Orders", exact=True).click()
    rows = page.locator("#shop-orders tbody tr")
    expect(rows).to_have_count(1)  # the other shop's order is not this shop's
    expect(rows).to_contain_text(number)
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.locator("#order-status")).to_have_text("Status: Paid, to ship")
    page.get_by_label("Warehouse").select_option(label="Shanghai Pudong (SH1)")
    page.get_by_label("Carrier").fill("sf-express")
    page.get_by_label("Tracking number").fill(f"SF{number[-6:]}")
    page.get_by_role("button", name="Ship these units").click()
    expect(page.locator("#order-status")).to_have_text("Status: Shipped, awaiting receipt")
    snap(page, f"05-shipped-{sale.rate_bp}")


def check_escrow(page: Page, sale: Sale) -> None:
    """Before receipt: the order's whole total held in escrow, nothing available."""
    open_shop(page, sale.shop)
    page.get_by_role("link", name="Balance and payouts").click()
    expect(page.locator("#balance-escrow")).to_have_text(cny(sale.total))
    expect(page.locator("#balance-available")).to_have_text(cny(0))
    snap(page, f"06-escrow-{sale.rate_bp}")


def check_balance(page: Page, sale: Sale, number: str) -> None:
    """The shop's finance page once the worker released the order's escrow, then the
    statement's sale line: the order's total, its commission, what the shop was credited."""
    open_shop(page, sale.shop)
    page.get_by_role("link", name="Balance and payouts").click()
    available = page.locator("#balance-available")
    until(page, available, lambda text: text == cny(sale.credited), f"{number} released")
    expect(page.locator("#balance-escrow")).to_have_text(cny(0))
    expect(page.locator("#balance-transit")).to_have_text(cny(0))
    expect(page.locator("#shop-payouts")).to_have_count(0)
    snap(page, f"08-balance-{sale.rate_bp}")
    page.get_by_role("link", name="Statement of account").click()
    lines = page.locator("#statement-lines tbody tr")
    expect(lines).to_have_count(1)
    cells = lines.first.locator("td")
    expect(cells.nth(2)).to_have_text("Order received (after commission)")
    expect(cells.nth(3)).to_have_text(number)
    expect(cells.nth(4)).to_have_text(cny(sale.total))
    expect(cells.nth(5)).to_have_text(cny(sale.commission))
    expect(cells.nth(6)).to_have_text(cny(sale.credited))
    expect(cells.nth(7)).to_have_text(cny(sale.credited))
    snap(page, f"09-statement-{sale.rate_bp}")
    # the statement's order: its line's commission at the rate set, the shipping fee
    cells.nth(3).get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {number}")
    line = page.locator("#order-lines tbody tr")
    expect(line).to_have_count(1)
    rate = f"{sale.rate_bp // 100}.{sale.rate_bp % 100:02d} %"
    expect(line.locator("td").nth(4)).to_have_text(f"{rate} · {cny(sale.commission)}")
    expect(page.locator("#order-shipping")).to_have_text(cny(sale.shipping))
    expect(page.locator("#order-total")).to_have_text(cny(sale.total))
    received = page.locator("#order-history li").last
    expect(received).to_contain_text("Received")
    if sale.by_timer:
        expect(received).to_contain_text("confirmed automatically at the deadline")
    else:
        expect(received).not_to_contain_text("automatically")
    snap(page, f"09b-order-commission-{sale.rate_bp}")


def check_paid_out(page: Page, sale: Sale) -> None:
    """After the payout run: the payout paid (the provider's webhook), nothing left, and the
    statement's payout line taking the balance to zero."""
    open_shop(page, sale.shop)
    page.get_by_role("link", name="Balance and payouts").click()
    payout = page.locator("#shop-payouts tbody tr")
    until(page, payout, lambda text: "Paid" in text, f"{sale.shop}'s payout paid")
    expect(payout).to_have_count(1)
    expect(payout.locator("td").nth(1)).to_have_text("Payout run")
    expect(payout.locator("td").nth(2)).to_have_text(cny(sale.credited))
    expect(payout.locator("td").nth(3)).to_have_text("Paid")
    expect(page.locator("#balance-available")).to_have_text(cny(0))
    expect(page.locator("#balance-transit")).to_have_text(cny(0))
    snap(page, f"11-paid-out-{sale.rate_bp}")
    page.get_by_role("link", name="Statement of account").click()
    lines = page.locator("#statement-lines tbody tr")
    expect(lines).to_have_count(2)
    cells = lines.nth(1).locator("td")
    expect(cells.nth(2)).to_have_text("Payout to your bank")
    expect(cells.nth(6)).to_have_text(cny(-sale.credited))
    expect(cells.nth(7)).to_have_text(cny(0))
    snap(page, f"12-statement-paid-out-{sale.rate_bp}")


# The journey --------------------------------------------------------------------------------


def test_two_shop_cart_paid_shipped_received_settled_and_paid_out(
    people: People, settlement_server: SettlementServer
) -> None:
    seeded = settlement_server.seeded
    sign_in(people.operator, OPERATOR_EMAIL)
    set_commission(people.operator, HOME, TEAPOT_SALE.rate_bp, "8.00 %")
    set_commission(people.operator, APPAREL, NOTEBOOK_SALE.rate_bp, "12.50 %")
    snap(people.operator, "01-commission")

    shopper = people.shopper
    sign_in(shopper, seeded.shopper_email)
    buy(shopper, settlement_server)
    numbers = pay(shopper)
    teapot, notebooks = numbers[SHOP_A], numbers[SHOP_B]

    sellers = ((people.seller_a, TEAPOT_SALE, teapot), (people.seller_b, NOTEBOOK_SALE, notebooks))
    for page, email in ((people.seller_a, seeded.seller_a_email),
                        (people.seller_b, seeded.seller_b_email)):  # fmt: skip
        sign_in(page, email)
    for page, sale, number in sellers:
        ship(page, sale, number)
        check_escrow(page, sale)

    confirm_receipt(shopper, teapot)
    assert shown_deadline(shopper, notebooks) > datetime.now(UTC) + timedelta(days=1)
    assert run_receipt_timer(settlement_server, number=notebooks) == 1
    open_order(shopper, notebooks)
    expect(shopper.locator("#order-status")).to_have_text("Status: Received")
    snap(shopper, "07-confirmed-by-timer")

    for page, sale, number in sellers:
        check_balance(page, sale, number)

    output = galerie_command(settlement_server, "payout-run")
    paid = TEAPOT_SALE.credited + NOTEBOOK_SALE.credited
    total = re.escape(f"{paid // 100}.{paid % 100:02d} CNY")
    assert re.fullmatch(rf"payout run CNY:\d{{4}}-\d\d-\d\d: 2 payouts, {total}\n", output), output
    people.operator.goto("/console/payout-runs")
    run = people.operator.locator("#payout-runs tbody tr")
    expect(run).to_have_count(1)
    expect(run.locator("td").nth(3)).to_have_text("2")
    expect(run.locator("td").nth(4)).to_have_text(cny(paid))
    snap(people.operator, "10-payout-run")

    for page, sale, _ in sellers:
        check_paid_out(page, sale)
