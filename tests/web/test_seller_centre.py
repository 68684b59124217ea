"""The seller centre in pages: the application wizard from start to resubmission, document
uploads (bad files refused inline, nothing stored) and downloads, shops with their deposit,
decoration with a live preview, and publishing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import select

from galerie.db import Database
from galerie.identity import SellerRole
from galerie.kernel import FixedClock
from galerie.sellers.models import ApplicationDocument, SellerApplication, Shop
from galerie.storage import MAX_UPLOAD_BYTES, InMemoryStorage
from galerie.web.auth import galerie_of_app
from tests.factories import make_user
from tests.integration.sellers.factories import HOME, insert_shop, load_categories
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import count, csrf_token, post_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ENTITY = {
    "applicant_kind": "individual",
    "legal_name": "Zhang Wei",
    "registration_number": "110101199003070011",
    "country": "cn",
    "address": "1 Nanjing Road, Shanghai",
    "legal_representative": "Zhang Wei",
    "contact_email": "zw@example.com",
    "contact_phone": "+86 21 5555 0101",
    "bank_account_holder": "Zhang Wei",
    "bank_account_number": "6222 0202 0011 2233",
}


@pytest.fixture
async def owner(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> int:
    """A seller organisation's owner, signed in; returns the organisation's id."""
    await load_categories(db, clock.now(), tmp_path)
    made = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    await sign_in_as(client, app, made.user_id)
    assert made.organisation_id is not None
    return made.organisation_id


def storage(app: Litestar) -> InMemoryStorage:
    found = galerie_of_app(app).storage
    assert isinstance(found, InMemoryStorage)
    return found


async def upload(
    client: httpx.AsyncClient,
    app_id: int,
    kind: str,
    data: bytes,
    name: str = "scan.pdf",
    **fields: str,
) -> httpx.Response:
    form = {"kind": kind, "_csrf_token": await csrf_token(client), **fields}
    return await client.post(
        f"/seller/applications/{app_id}/documents",
        data=form,
        files={"file": (name, data, "application/pdf")},
    )


async def start(client: httpx.AsyncClient) -> int:
    """Steps one and two of a new application; returns its id."""
    first = await post_form(client, "/seller/applications/new", ENTITY)
    assert first.status_code == 303
    assert first.headers["location"] == "/seller/applications/new/shop"
    second = await post_form(
        client,
        "/seller/applications/new/shop",
        [("shop_type", "individual"), ("category_ids", str(HOME))],
    )
    assert second.status_code == 303, second.text
    location = second.headers["location"]
    assert location.startswith("/seller/applications/")
    assert location.endswith("/documents")
    return int(location.split("/")[3])


async def application(db: Database, app_id: int) -> SellerApplication:
    async with db.reading() as session:
        found = await session.get(SellerApplication, app_id)
    assert found is not None
    return found


async def test_the_application_journey_in_pages(
    app: Litestar, client: httpx.AsyncClient, db: Database, owner: int
) -> None:
    listing = await client.get("/seller/applications")
    assert listing.status_code == 200
    assert "Your organisation has not applied for a shop yet." in listing.text
    step = await client.get("/seller/applications/new")
    assert step.status_code == 200
    assert 'aria-current="step"' in step.text
    app_id = await start(client)
    saved = await application(db, app_id)
    assert (saved.organisation_id, saved.status, saved.country) == (owner, "draft", "CN")
    assert saved.category_ids == [HOME]
    assert saved.bank_account_number == "6222020200112233"
    # Step one again: a change is saved on the step's own POST.
    edited = await post_form(
        client,
        f"/seller/applications/{app_id}/entity",
        {**ENTITY, "legal_name": "Zhang Wei Trading"},
    )
    assert edited.status_code == 303
    assert edited.headers["location"] == f"/seller/applications/{app_id}/shop"
    assert (await application(db, app_id)).legal_name == "Zhang Wei Trading"
    # Documents: one of the two an individual needs.
    uploaded = await upload(
        client, app_id, "legal_representative_id", PDF, valid_until="2026-12-01"
    )
    assert uploaded.status_code == 303
    page = await client.get(f"/seller/applications/{app_id}/documents")
    assert "scan.pdf" in page.text
    assert "Expires within 30 days" in page.text  # the clock says 2026-11-11
    # Submit: the automatic checks send it back.
    submitted = await post_form(client, f"/seller/applications/{app_id}/submit", {})
    assert submitted.status_code == 303
    assert (await application(db, app_id)).status == "changes_requested"
    review = await client.get(f"/seller/applications/{app_id}")
    assert "A required document is missing." in review.text
    assert "(Bank account proof)" in review.text
    assert "Automatic checks found problems" in review.text
    assert "Submit the application again" in review.text
    # Fix it and resubmit.
    assert (
        await upload(client, app_id, "bank_account_proof", PDF, name="bank.png.pdf")
    ).status_code == 303
    resubmitted = await post_form(client, f"/seller/applications/{app_id}/submit", {})
    assert resubmitted.status_code == 303
    assert (await application(db, app_id)).status == "under_review"
    final = await client.get(f"/seller/applications/{app_id}")
    assert "Resubmitted by the seller" in final.text
    assert "Automatic checks passed" in final.text
    assert "A required document is missing." not in final.text
    assert "Submit the application" not in final.text  # no longer editable
    assert await count(db, ApplicationDocument) == 2
    assert "Under review" in (await client.get("/seller/applications")).text


async def test_step_errors_are_inline_and_save_nothing(
    client: httpx.AsyncClient, db: Database, owner: int
) -> None:
    bad = await post_form(client, "/seller/applications/new", {**ENTITY, "country": "9Z"})
    assert bad.status_code == 422
    assert 'id="country-error"' in bad.text
    assert "Use the two-letter ISO 3166 country code" in bad.text
    assert 'value="Zhang Wei"' in bad.text
    missing = await client.get("/seller/applications/new/shop")
    assert missing.status_code == 303  # nothing was kept for step two
    assert (await post_form(client, "/seller/applications/new", ENTITY)).status_code == 303
    mismatch = await post_form(
        client,
        "/seller/applications/new/shop",
        [("shop_type", "flagship"), ("category_ids", str(HOME))],
    )
    assert mismatch.status_code == 422
    assert 'id="shop_type-error"' in mismatch.text
    none_chosen = await post_form(
        client, "/seller/applications/new/shop", [("shop_type", "individual")]
    )
    assert none_chosen.status_code == 422
    assert 'id="category_ids-error"' in none_chosen.text
    assert await count(db, SellerApplication) == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"#!/bin/sh\nrm -rf ~\n", "licence.pdf", "Upload a PDF, JPEG or PNG file."),
        (b"", "licence.pdf", "The file is empty."),
        (
            b"\x89PNG\r\n\x1a\n" + b"0" * 16,
            "licence.pdf",
            "name does not match its content.",
        ),
        (PDF + b"0" * MAX_UPLOAD_BYTES, "licence.pdf", "The file is too large (at most 10 MB)."),
    ],
)
async def test_a_bad_file_is_refused_inline_and_nothing_is_stored(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    owner: int,
    data: bytes,
    name: str,
    message: str,
) -> None:
    app_id = await start(client)
    response = await upload(client, app_id, "business_licence", data, name=name)
    assert response.status_code == 422
    assert 'id="file-error"' in response.text
    assert message in response.text
    assert await count(db, ApplicationDocument) == 0
    assert storage(app)._data == {}


async def test_a_document_downloads_as_an_attachment(
    app: Litestar, client: httpx.AsyncClient, db: Database, owner: int
) -> None:
    app_id = await start(client)
    assert (
        await upload(client, app_id, "bank_account_proof", PDF, name="relevé.pdf")
    ).status_code == 303
    async with db.reading() as session:
        doc_id = await session.scalar(select(ApplicationDocument.id))
    response = await client.get(f"/seller/documents/{doc_id}")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''relev%C3%A9.pdf"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_shops_show_status_and_deposit_in_the_page_language(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, owner: int
) -> None:
    shop_id = await insert_shop(db, clock.now(), organisation_id=owner, deposit_paid=False)
    listing = await client.get("/seller/shops")
    assert listing.status_code == 200
    assert "Maison Lune" in listing.text
    assert "CN¥1,000.00" in listing.text
    assert "Not yet" in listing.text
    assert "Preparing (visible only to you)" in listing.text
    await post_form(client, "/language", {"language": "fr", "next": "/seller/shops"})
    page = await client.get(f"/seller/shops/{shop_id}")
    assert page.status_code == 200
    assert "Boutique individuelle" in page.text
    assert "1\u202f000,00\xa0CNY" in page.text


async def test_publishing_needs_the_deposit(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, owner: int
) -> None:
    unpaid = await insert_shop(db, clock.now(), organisation_id=owner, deposit_paid=False)
    refused = await post_form(client, f"/seller/shops/{unpaid}/publish", {})
    assert refused.status_code == 409
    assert 'id="shop-error"' in refused.text
    assert refused.text.count("Pay the deposit before opening the shop.") == 1
    paid = await insert_shop(db, clock.now(), organisation_id=owner, deposit_paid=True)
    published = await post_form(client, f"/seller/shops/{paid}/publish", {})
    assert published.status_code == 303
    async with db.reading() as session:
        statuses = dict((await session.execute(select(Shop.id, Shop.status))).tuples().all())
    assert statuses == {unpaid: "preparing", paid: "live"}
    page = await client.get(f"/seller/shops/{paid}")
    assert "Published" in page.text


async def test_decoration_is_saved_escaped_and_previewed(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, owner: int
) -> None:
    shop_id = await insert_shop(db, clock.now(), organisation_id=owner)
    values = {
        "name": "<script>alert(1)</script> Lune",
        "slug": "maison-lune",
        "description_zh": "月亮之家",
        "description_en": "Linen from Lyon",
        "description_fr": "",
        "navigation": "Linge\n\nCuisine\n",
    }
    async with db.reading() as session:
        before = await session.scalar(select(Shop.slug).where(Shop.id == shop_id))
    preview = await post_form(client, f"/seller/shops/{shop_id}/preview", values)
    assert preview.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Lune" in preview.text
    assert "<script>alert" not in preview.text
    assert "/shops/maison-lune" in preview.text
    async with db.reading() as session:
        assert await session.scalar(select(Shop.slug).where(Shop.id == shop_id)) == before
    saved = await post_form(client, f"/seller/shops/{shop_id}/decoration", values)
    assert saved.status_code == 303
    async with db.reading() as session:
        shop = await session.get(Shop, shop_id)
    assert shop is not None
    assert (shop.name, shop.slug, shop.navigation) == (
        values["name"],
        "maison-lune",
        ["Linge", "Cuisine"],
    )
    assert shop.descriptions == {"zh-CN": "月亮之家", "en": "Linen from Lyon"}
    page = await client.get(f"/seller/shops/{shop_id}")
    assert "<script>alert" not in page.text
    bad = await post_form(client, f"/seller/shops/{shop_id}/decoration", {**values, "slug": "A"})
    assert bad.status_code == 422
    assert 'id="slug-error"' in bad.text
