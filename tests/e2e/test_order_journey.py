"""Issue 5's whole journey in a real browser, through the pages only: a shopper signs in,
finds a teapot through the search page and picks its large variant, finds a notebook of a
second shop through the shops' list, checks both out in one go (a Japanese address is
refused by both shops, the Chinese one is accepted, one shipping method per shop), and pays
through the temporary demonstration hook. The first shop's owner, in a browser context of
their own, finds the order in the seller centre, ships it with a tracking number and opens
the packing slip. The shopper sees the parcel and confirms receipt. Last, the database:
one payment group of two orders, stock shipped out of one shop and committed in the other.
Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import sign_in_as, snapshot
from tests.e2e.order_fixtures import (
    NOTEBOOK,
    PASSWORD,
    SHOP_A,
    SHOP_B,
    TEAPOT,
    OrderServer,
    order_server,
    outcome,
)

pytestmark = pytest.mark.e2e
__all__ = ["order_server"]  # the fixture, found by pytest through this module

CARRIER, TRACKING = "sf-express", "SF1234567890"


@dataclass(frozen=True, slots=True)
class People:
    shopper: Page
    seller: Page


@pytest.fixture
def people(browser: Browser, order_server: OrderServer) -> Iterator[People]:
    contexts = [
        browser.new_context(base_url=order_server.base_url, locale="en-GB") for _ in range(2)
    ]
    yield People(*(context.new_page() for context in contexts))
    for context in contexts:
        context.close()


def snap(page: Page, name: str) -> None:
    snapshot(page, f"order-journey-{name}")


def sign_in(page: Page, email: str) -> None:
    sign_in_as(page, email, PASSWORD)


def order_row(page: Page, shop: str) -> Locator:
    """The row of an orders table that links to `shop`."""
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=shop))


# The shopper --------------------------------------------------------------------------------


def find_and_add_teapot(page: Page) -> None:
    """The header's search box, the search page, the product page's variant picker."""
    page.goto("/")
    page.get_by_role("searchbox", name="Search products").fill("celadon")
    page.get_by_role("searchbox", name="Search products").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=celadon$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “celadon”")
    expect(page.locator(".search-results")).not_to_contain_text(NOTEBOOK)
    expect(page.get_by_role("status").filter(has_text="product")).to_have_text("1 product")
    snap(page, "01-search")
    page.get_by_role("link", name=TEAPOT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TEAPOT)
    expect(page.locator("#product-price")).to_have_text("CN¥128.00")  # the first variant
    page.get_by_label("Large", exact=True).check()
    expect(page.locator("#product-price")).to_have_text("CN¥168.00")
    expect(page.locator("#product-stock")).to_have_text("Only 3 left")
    snap(page, "02-teapot")
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.get_by_role("region", name=SHOP_A)).to_contain_text("Large")


def find_and_add_notebooks(page: Page) -> None:
    """The shops' list, the second shop's page, two notebooks."""
    page.get_by_role("link", name="Shops", exact=True).click()
    page.get_by_role("link", name=SHOP_B).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SHOP_B)
    page.get_by_role("link", name=NOTEBOOK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NOTEBOOK)
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart$"))


def review_cart(page: Page) -> None:
    expect(page.get_by_text("3 items")).to_be_visible()
    teapots, notebooks = (page.get_by_role("region", name=shop) for shop in (SHOP_A, SHOP_B))
    expect(teapots).to_contain_text(TEAPOT)
    expect(teapots.locator(".cart-total")).to_have_text("Total for this shop: CN¥168.00")
    expect(notebooks).to_contain_text(NOTEBOOK)
    expect(notebooks.locator(".cart-total")).to_have_text("Total for this shop: CN¥90.00")
    snap(page, "03-cart")
    page.get_by_role("link", name="Check out").click()
    expect(page).to_have_url(re.compile(r"/checkout$"))


def check_out(page: Page) -> int:
    """Japan first (both shops refuse it), then the default Chinese address, express for the
    teapot and surface mail for the notebooks; returns the payment group's id."""
    place = page.get_by_role("button", name="Place order")
    page.get_by_label(re.compile("Tokyo")).check()
    page.get_by_role("button", name="Update the totals").click()
    refusals = page.get_by_text("This shop does not ship to this address.")
    expect(refusals).to_have_count(2)
    expect(place).to_be_disabled()
    snap(page, "04-checkout-japan")

    page.get_by_label(re.compile("Shanghai")).check()
    page.get_by_role("button", name="Update the totals").click()
    expect(refusals).to_have_count(0)
    expect(page.get_by_label(re.compile("Shanghai"))).to_be_checked()
    express = page.get_by_role("region", name=SHOP_A).get_by_label(re.compile("^Express"))
    surface = page.get_by_role("region", name=SHOP_B).get_by_label(re.compile("^Surface mail"))
    express.check()
    surface.check()
    page.get_by_role("button", name="Update the totals").click()
    expect(express).to_be_checked()
    expect(surface).to_be_checked()
    expect(page.get_by_role("region", name=SHOP_A).locator(".cart-total")).to_have_text(
        "Total for this shop: CN¥176.00"
    )  # 168 + 8 express
    expect(page.get_by_role("region", name=SHOP_B).locator(".cart-total")).to_have_text(
        "Total for this shop: CN¥94.00"
    )  # 90 + 3 + 1 surface mail for two
    expect(page.get_by_text("Items: CN¥258.00")).to_be_visible()
    expect(page.get_by_text("Shipping: CN¥12.00")).to_be_visible()
    expect(page.locator("#checkout-total")).to_have_text("Total to pay: CN¥270.00")
    snap(page, "05-checkout")
    place.click()
    expect(page).to_have_url(re.compile(r"/account/orders/groups/\d+$"))
    found = re.search(r"/groups/(\d+)$", page.url)
    assert found is not None
    return int(found.group(1))


def pay(page: Page) -> dict[str, str]:
    """Through the sandbox provider's hosted page; the group is paid when its signed
    webhook arrives (the server's worker sends it within seconds). Returns each shop's
    order number."""
    expect(page.locator("#group-status")).to_have_text("Awaiting payment · Total: CN¥270.00")
    for shop, total in ((SHOP_A, "CN¥176.00"), (SHOP_B, "CN¥94.00")):
        expect(order_row(page, shop)).to_contain_text(total)
        expect(order_row(page, shop)).to_contain_text("Awaiting payment")
    snap(page, "06-awaiting-payment")
    page.get_by_role("button", name="Pay now").click()
    expect(page).to_have_url(re.compile(r"/sandbox/pay/[^/]+$"))
    expect(page.locator("#sandbox-amount")).to_have_text("CN¥270.00")
    snap(page, "06b-hosted-payment-page")
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page).to_have_url(re.compile(r"/account/orders/groups/\d+\?payment=returned$"))
    deadline = time.monotonic() + 60  # the webhook is asynchronous: wait for it to land
    while "Paid ·" not in page.locator("#group-status").inner_text():
        assert time.monotonic() < deadline, "the payment webhook never paid the group"
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator("#group-status")).to_have_text("Paid · Total: CN¥270.00")
    expect(page.get_by_role("button", name="Pay now")).to_have_count(0)
    numbers = {}
    for shop in (SHOP_A, SHOP_B):
        row = order_row(page, shop)
        expect(row).to_contain_text("Paid, to ship")
        numbers[shop] = row.get_by_role("link").first.inner_text()
    snap(page, "07-paid")
    return numbers


# The seller ---------------------------------------------------------------------------------


def ship(page: Page, number: str, other: str) -> None:
    page.get_by_role("link", name="Seller centre", exact=True).click()
    page.get_by_role("link", name="Your shops").click()
    page.get_by_role("link", name=SHOP_A).click()
    page.get_by_role("link", name="Orders", exact=True).click()
    rows = page.locator("#shop-orders tbody tr")
    expect(rows).to_have_count(1)  # the other shop's order is not this shop's
    expect(rows).to_contain_text(number)
    expect(rows).not_to_contain_text(other)
    expect(rows).to_contain_text("Paid, to ship")
    expect(rows).to_contain_text("CN¥176.00")
    snap(page, "08-seller-orders")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {number}")
    expect(page.locator("#order-status")).to_have_text("Status: Paid, to ship")
    expect(page.locator(".address")).to_contain_text("88 Century Avenue")
    expect(page.get_by_role("spinbutton", name="Units in this parcel")).to_have_value("1")
    page.get_by_label("Warehouse").select_option(label="Shanghai Pudong (SH1)")
    page.get_by_label("Carrier").fill(CARRIER)
    page.get_by_label("Tracking number").fill(TRACKING)
    snap(page, "09-ship-form")
    page.get_by_role("button", name="Ship these units").click()
    expect(page.locator("#order-status")).to_have_text("Status: Shipped, awaiting receipt")
    expect(page.locator("#parcels")).to_contain_text(f"{CARRIER} · {TRACKING} · On its way")
    expect(page.locator("#order-lines tbody tr")).to_contain_text(TEAPOT)
    expect(page.get_by_role("button", name="Ship these units")).to_have_count(0)

    page.get_by_role("link", name="Packing slip").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Packing slip")
    expect(page.locator("#slip-number")).to_have_text(number)
    expect(page.locator("#slip-address")).to_contain_text("88 Century Avenue")
    expect(page.locator("#slip-lines tbody")).to_contain_text(TEAPOT)
    snap(page, "10-packing-slip")


# The journey --------------------------------------------------------------------------------


def test_search_add_from_two_shops_check_out_pay_ship_confirm_receipt(
    people: People, order_server: OrderServer
) -> None:
    seeded = order_server.seeded
    shopper, seller = people.shopper, people.seller
    sign_in(shopper, seeded.shopper_email)
    find_and_add_teapot(shopper)
    find_and_add_notebooks(shopper)
    review_cart(shopper)
    group = check_out(shopper)
    numbers = pay(shopper)

    sign_in(seller, seeded.seller_email)
    ship(seller, numbers[SHOP_A], numbers[SHOP_B])

    receive(shopper, numbers[SHOP_A])

    found = outcome(order_server)
    assert found.groups == 1
    assert found.orders == {
        seeded.shop_a: (group, "completed"),
        seeded.shop_b: (group, "paid"),
    }
    # The large teapot: 3 received, 1 shipped out. The notebooks: 10, 2 committed to ship.
    assert found.stock == {seeded.large: (2, 2, 0, 0), seeded.notebook_sku: (10, 8, 0, 2)}


def receive(page: Page, number: str) -> None:
    """The shopper's orders list, the shipped order's parcel, confirmation behind a step."""
    page.goto("/account/orders")
    expect(order_row(page, SHOP_A)).to_contain_text("Shipped")
    expect(order_row(page, SHOP_B)).to_contain_text("Paid")
    snap(page, "11-orders-shipped")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.locator("#order-status")).to_have_text("Status: Shipped, awaiting receipt")
    parcel = page.locator("section.parcel")
    expect(parcel).to_have_count(1)
    expect(parcel.get_by_role("heading")).to_have_text(f"{CARRIER} · {TRACKING} · On its way")
    expect(page.locator("#auto-confirm")).to_contain_text("confirmed as received on")
    snap(page, "12-order-shipped")

    page.get_by_role("link", name="Confirm receipt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm receipt")
    expect(page.locator("main")).to_contain_text(f"every parcel of order {number}")
    page.get_by_role("button", name="Yes, I received my order").click()
    expect(page).to_have_url(re.compile(r"/account/orders/\d+$"))
    expect(page.locator("#order-status")).to_have_text("Status: Received")
    expect(page.get_by_role("link", name="Confirm receipt")).to_have_count(0)
    snap(page, "13-received")

    page.goto("/account/orders")
    expect(order_row(page, SHOP_A)).to_contain_text("Received")
    expect(order_row(page, SHOP_B)).to_contain_text("Paid, to ship")
