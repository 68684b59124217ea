"""Issue 3's whole journey in a real browser, with three people in three browser contexts:
a seller applies through the wizard and is checked (a missing document sends the application
back), an operator requests changes, the seller resubmits and is approved; the seller
decorates the shop and is refused publication until a finance operator records the deposit;
the live shop is public; a moderation operator suspends it (a visitor gets 404) and
reinstates it (public again). Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import snapshot
from tests.e2e.shop_fixtures import (
    ARTS,
    OPERATOR_EMAIL,
    OPERATOR_PASSWORD,
    ShopServer,
    create_organisation,
    shop_server_fixture,
)

pytestmark = pytest.mark.e2e
__all__ = ["shop_server_fixture"]  # the fixture, found by pytest through this module

SELLER_EMAIL = "zoe.seller@example.test"
SELLER_PASSWORD = "linocut-meadow-5260"
SHOP_NAME = "Atelier Zoë"
SLUG = "atelier-zoe"
VALID_UNTIL = datetime.now(UTC).date() + timedelta(days=3 * 365)
DESCRIPTION = "Hand-printed posters & <b>linocuts</b>, made in Lyon."
# The smallest file the content check accepts as a PDF, and a real one besides.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True, slots=True)
class People:
    seller: Page
    operator: Page
    visitor: Page


@pytest.fixture
def people(browser: Browser, shop_server: ShopServer) -> Iterator[People]:
    contexts = [
        browser.new_context(base_url=shop_server.base_url, locale="en-GB") for _ in range(3)
    ]
    yield People(*(context.new_page() for context in contexts))
    for context in contexts:
        context.close()


def snap(page: Page, name: str) -> None:
    snapshot(page, f"shop-journey-{name}")


def submit(page: Page, action: str) -> None:
    page.click(f"form[action='{action}'] button[type=submit]")


def status_of(page: Page, selector: str, status: str) -> None:
    expect(page.locator(selector)).to_have_class(re.compile(rf"\bstatus-{status}\b"))


# The seller ---------------------------------------------------------------------------------


def register_seller(page: Page) -> None:
    page.goto("/register")
    page.fill("input[name=display_name]", "Zoë Seller")
    page.fill("input[name=email]", SELLER_EMAIL)
    page.fill("input[name=password]", SELLER_PASSWORD)
    submit(page, "/register")
    expect(page.locator("form[action='/signout']")).to_be_visible()


def fill_entity_step(page: Page) -> None:
    page.goto("/seller/applications/new")
    page.check("input[name=applicant_kind][value=individual]")
    for name, value in {
        "legal_name": "Zoë Martin",
        "registration_number": "ID-75-0042",
        "country": "FR",
        "address": "12 rue des Imprimeurs, 69002 Lyon",
        "legal_representative": "Zoë Martin",
        "contact_email": SELLER_EMAIL,
        "contact_phone": "+33 4 78 00 00 00",
        "bank_account_holder": "Zoë Martin",
        "bank_account_number": "FR76 3000 6000 0112 3456 7890 189",
    }.items():
        page.fill(f"form[action='/seller/applications/new'] input[name={name}]", value)
    snap(page, "01-entity-step")
    submit(page, "/seller/applications/new")
    expect(page).to_have_url(re.compile(r"/seller/applications/new/shop$"))


def choose_individual_shop(page: Page) -> int:
    page.check("input[name=shop_type][value=individual]")
    page.check(f"input[name=category_ids][value='{ARTS}']")
    snap(page, "02-shop-step")
    submit(page, "/seller/applications/new/shop")
    expect(page).to_have_url(re.compile(r"/seller/applications/\d+/documents$"))
    found = re.search(r"/seller/applications/(\d+)/documents$", page.url)
    assert found is not None
    return int(found.group(1))


def upload(page: Page, application_id: int, kind: str, file: Path, until: date) -> None:
    action = f"/seller/applications/{application_id}/documents"
    page.goto(action)
    rows = page.locator("table a[href^='/seller/documents/']")
    before = rows.count()
    page.select_option(f"form[action='{action}'] select[name=kind]", kind)
    page.set_input_files(f"form[action='{action}'] input[name=file]", str(file))
    page.fill(f"form[action='{action}'] input[name=valid_until]", until.isoformat())
    submit(page, action)
    expect(page).to_have_url(re.compile(rf"{action}$"))
    expect(rows).to_have_count(before + 1)


def submit_application(page: Page, application_id: int, status: str) -> None:
    page.goto(f"/seller/applications/{application_id}")
    submit(page, f"/seller/applications/{application_id}/submit")
    expect(page).to_have_url(re.compile(rf"/seller/applications/{application_id}$"))
    status_of(page, "#application-status", status)


def decorate(page: Page, shop_id: int) -> None:
    page.goto(f"/seller/shops/{shop_id}")
    action = f"/seller/shops/{shop_id}/decoration"
    page.fill(f"form[action='{action}'] input[name=name]", SHOP_NAME)
    page.fill(f"form[action='{action}'] input[name=slug]", SLUG)
    page.fill(f"form[action='{action}'] textarea[name=description_en]", DESCRIPTION)
    page.fill(f"form[action='{action}'] textarea[name=navigation]", "Posters\nLinocuts")
    expect(page.locator("#shop-preview h2")).to_have_text(SHOP_NAME)  # the live preview
    submit(page, action)
    expect(page).to_have_url(re.compile(rf"/seller/shops/{shop_id}$"))
    expect(page.locator("h1")).to_have_text(SHOP_NAME)
    status_of(page, "#shop-status", "preparing")
    snap(page, "10-decorated")


def publish(page: Page, shop_id: int) -> None:
    page.goto(f"/seller/shops/{shop_id}")
    submit(page, f"/seller/shops/{shop_id}/publish")


# The operator -------------------------------------------------------------------------------


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/signin")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    submit(page, "/signin")
    expect(page.locator("form[action='/signout']")).to_be_visible()


def decide(page: Page, application_id: int, decision: str, reason: str) -> None:
    page.goto(f"/console/applications/{application_id}")
    page.check(f"input[name=decision][value={decision}]")
    page.fill("textarea[name=reason]", reason)
    submit(page, f"/console/applications/{application_id}/decision")
    expect(page).to_have_url(
        re.compile(rf"/console/applications/{application_id}\?done={decision}$")
    )
    expect(page.locator("[role=status].alert-success")).to_be_visible()
    expect(page.locator("td.reason", has_text=reason)).to_have_count(1)


def sanction(page: Page, shop_id: int, action: str, reason: str) -> None:
    page.goto(f"/console/shops/{shop_id}")
    page.check(f"input[name=action][value={action}]")
    page.fill("textarea[name=reason]", reason)
    submit(page, f"/console/shops/{shop_id}/status")
    expect(page).to_have_url(re.compile(rf"/console/shops/{shop_id}\?done={action}$"))
    expect(page.locator("td.reason", has_text=reason)).to_have_count(1)


# The anonymous visitor ----------------------------------------------------------------------


def visit(page: Page, expected: int) -> None:
    response = page.goto(f"/shops/{SLUG}")
    assert response is not None
    assert response.status == expected
    if expected == 200:
        expect(page.locator("h1#shop-name")).to_have_text(SHOP_NAME)
        expect(page.locator(".shop-page")).to_contain_text(DESCRIPTION)  # text, inert
        expect(page.locator(".shop-page b")).to_have_count(0)


# The journey --------------------------------------------------------------------------------


def test_apply_vet_decorate_publish_suspend_reinstate(
    people: People, shop_server: ShopServer, tmp_path: Path
) -> None:
    seller, operator, visitor = people.seller, people.operator, people.visitor
    register_seller(seller)
    create_organisation(shop_server, owner_email=SELLER_EMAIL, name="Zoë Martin (EI)")
    sign_in(operator, OPERATOR_EMAIL, OPERATOR_PASSWORD)

    application_id = apply_and_be_checked(seller, tmp_path)
    shop_id = vet(seller, operator, application_id, tmp_path)
    open_shop(seller, operator, visitor, shop_id)

    sanction(operator, shop_id, "suspend", "Counterfeit posters reported by a rights holder.")
    snap(operator, "15-suspended")
    visit(visitor, 404)
    snap(visitor, "16-storefront-suspended-404")
    sanction(operator, shop_id, "reinstate", "The rights holder withdrew the report.")
    visit(visitor, 200)
    snap(visitor, "17-storefront-reinstated")


def apply_and_be_checked(seller: Page, tmp_path: Path) -> int:
    """The wizard, then a first submission missing the bank proof: the automatic checks send
    it back with the finding; with the proof uploaded, the resubmission goes to review."""
    id_card, bank_proof = tmp_path / "id-card.pdf", tmp_path / "bank-proof.pdf"
    id_card.write_bytes(PDF)
    bank_proof.write_bytes(PDF)
    later = VALID_UNTIL

    fill_entity_step(seller)
    application_id = choose_individual_shop(seller)
    upload(seller, application_id, "legal_representative_id", id_card, later)
    snap(seller, "03-documents")

    submit_application(seller, application_id, "changes_requested")
    finding = seller.locator("li[data-code=missing_document]")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("Bank account proof")
    snap(seller, "04-checks-failed")

    upload(seller, application_id, "bank_account_proof", bank_proof, later)
    submit_application(seller, application_id, "under_review")
    expect(seller.locator("li[data-code]")).to_have_count(0)
    snap(seller, "05-under-review")
    return application_id


def vet(seller: Page, operator: Page, application_id: int, tmp_path: Path) -> int:
    """Changes requested, resubmitted, approved; returns the shop the approval opened."""
    operator.goto(f"/console/applications/{application_id}")
    expect(operator.locator(".document-list li")).to_have_count(2)
    snap(operator, "06-console-review")
    reason = "The ID scan is cut off: upload the whole card, both sides."
    decide(operator, application_id, "request_changes", reason)

    seller.goto(f"/seller/applications/{application_id}")
    status_of(seller, "#application-status", "changes_requested")
    expect(seller.locator("td", has_text=reason)).to_have_count(1)
    snap(seller, "07-changes-requested")
    whole_card = tmp_path / "id-card-both-sides.pdf"
    whole_card.write_bytes(PDF)
    later = VALID_UNTIL
    upload(seller, application_id, "legal_representative_id", whole_card, later)
    submit_application(seller, application_id, "under_review")
    snap(seller, "08-resubmitted")

    decide(operator, application_id, "approve", "Identity and bank account verified.")
    link = operator.locator("a[href^='/console/shops/']")
    expect(link).to_have_count(1)
    snap(operator, "09-approved")
    found = re.fullmatch(r"/console/shops/(\d+)", link.get_attribute("href") or "")
    assert found is not None
    return int(found.group(1))


def open_shop(seller: Page, operator: Page, visitor: Page, shop_id: int) -> None:
    """Discreet launch: decorated but refused publication until the deposit is recorded."""
    seller.goto("/seller/shops")
    expect(seller.locator(f"a[href='/seller/shops/{shop_id}']")).to_have_count(1)
    decorate(seller, shop_id)
    visit(visitor, 404)  # preparing: not public

    publish(seller, shop_id)
    expect(seller.locator("#shop-error")).to_be_visible()
    status_of(seller, "#shop-status", "preparing")
    snap(seller, "11-publish-refused")
    visit(visitor, 404)

    operator.goto("/console/deposits")
    paid = f"/console/shops/{shop_id}/deposit-paid"
    submit(operator, paid)
    expect(operator).to_have_url(re.compile(r"/console/deposits$"))
    expect(operator.locator(f"form[action='{paid}']")).to_have_count(0)
    snap(operator, "12-deposit-paid")

    publish(seller, shop_id)
    expect(seller).to_have_url(re.compile(rf"/seller/shops/{shop_id}$"))
    status_of(seller, "#shop-status", "live")
    snap(seller, "13-live")
    visit(visitor, 200)
    snap(visitor, "14-storefront-live")
