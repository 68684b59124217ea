"""The seller centre's walls: another organisation's member gets 404 on every id-bearing
route and changes nothing; every new form refuses a missing or wrong CSRF token; the pages
speak the reader's language."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import func, select

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import Principal, SellerRole, invite_seller_member, load_principal
from galerie.identity.models import SellerInvitation, SellerMembership
from galerie.inventory import create_warehouse, receive_stock
from galerie.kernel import FixedClock
from galerie.sellers.models import ApplicationDocument, Shop
from galerie.shipping import create_shipping_template
from galerie.shipping.models import ShippingTemplateRow
from galerie.web.app import all_handlers
from tests.factories import SECRET, make_user
from tests.integration.checkout.factories import template
from tests.integration.inventory.factories import counts as stock_counts
from tests.integration.inventory.factories import insert_sku, warehouse_form
from tests.integration.sellers.factories import (
    counts,
    insert_application,
    insert_shop,
    load_categories,
)
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import csrf_token, post_form
from tests.web.test_seller_centre import ENTITY, PDF
from tests.web.test_seller_shipping import FORM as SHIPPING_FORM

ID_ROUTES = [
    ("GET", "/seller/applications/{app}"),
    ("GET", "/seller/applications/{app}/entity"),
    ("POST", "/seller/applications/{app}/entity"),
    ("GET", "/seller/applications/{app}/shop"),
    ("POST", "/seller/applications/{app}/shop"),
    ("GET", "/seller/applications/{app}/documents"),
    ("POST", "/seller/applications/{app}/documents"),
    ("POST", "/seller/applications/{app}/submit"),
    ("POST", "/seller/applications/{app}/entity/autosave"),
    ("POST", "/seller/applications/{app}/shop/autosave"),
    ("GET", "/seller/documents/{doc}"),
    ("GET", "/seller/shops/{shop}"),
    ("POST", "/seller/shops/{shop}/decoration"),
    ("POST", "/seller/shops/{shop}/preview"),
    ("POST", "/seller/shops/{shop}/publish"),
    ("GET", "/seller/shops/{shop}/deposit"),
    ("POST", "/seller/shops/{shop}/deposit/pay"),
    ("GET", "/seller/shops/{shop}/extend"),
    ("POST", "/seller/shops/{shop}/extend"),
    ("POST", "/seller/members/{member}/role"),
    ("POST", "/seller/members/{member}/remove"),
    ("GET", "/seller/shops/{shop}/warehouses"),
    ("POST", "/seller/shops/{shop}/warehouses"),
    ("GET", "/seller/shops/{shop}/warehouses/{warehouse}"),
    ("POST", "/seller/shops/{shop}/warehouses/{warehouse}"),
    ("POST", "/seller/shops/{shop}/warehouses/{warehouse}/active"),
    ("GET", "/seller/shops/{shop}/stock"),
    ("POST", "/seller/shops/{shop}/stock/receipts"),
    ("POST", "/seller/shops/{shop}/stock/adjustments"),
    ("POST", "/seller/shops/{shop}/stock/threshold"),
    ("GET", "/seller/shops/{shop}/skus/{sku}/movements"),
    ("POST", "/seller/invitations/{invitation}/revoke"),
    ("GET", "/seller/shops/{shop}/shipping"),
    ("POST", "/seller/shops/{shop}/shipping"),
    ("GET", "/seller/shops/{shop}/shipping/new"),
    ("GET", "/seller/shops/{shop}/shipping/{template}"),
    ("POST", "/seller/shops/{shop}/shipping/{template}"),
    ("POST", "/seller/shops/{shop}/shipping/{template}/delete"),
]
FORMS = [
    "/seller/applications/new",
    "/seller/applications/new/shop",
    "/seller/applications/{app}/entity",
    "/seller/applications/{app}/shop",
    "/seller/applications/{app}/documents",
    "/seller/applications/{app}/submit",
    "/seller/applications/new/autosave",
    "/seller/applications/{app}/entity/autosave",
    "/seller/applications/{app}/shop/autosave",
    "/seller/shops/{shop}/decoration",
    "/seller/shops/{shop}/preview",
    "/seller/shops/{shop}/publish",
    "/seller/shops/{shop}/deposit/pay",
    "/seller/shops/{shop}/extend",
    "/seller/members",
    "/seller/members/{member}/role",
    "/seller/members/{member}/remove",
    "/seller/shops/{shop}/warehouses",
    "/seller/shops/{shop}/warehouses/{warehouse}",
    "/seller/shops/{shop}/warehouses/{warehouse}/active",
    "/seller/shops/{shop}/stock/receipts",
    "/seller/shops/{shop}/stock/adjustments",
    "/seller/shops/{shop}/stock/threshold",
    "/seller/invitations",
    "/seller/invitations/{invitation}/revoke",
    "/seller/shops/{shop}/shipping",
    "/seller/shops/{shop}/shipping/{template}",
    "/seller/shops/{shop}/shipping/{template}/delete",
]
FILLED = {
    **SHIPPING_FORM,
    **ENTITY,
    "shop_type": "individual",
    "category_ids": "536",
    "kind": "business_licence",
    "name": "Taken over",
    "slug": "taken-over",
    "email": "rival@example.com",
    "role": "manager",
    "code": "TAKEN",
    "country": "FR",
    "city": "Lyon",
    "address_line": "1 rue X",
    "quantity": "5",
    "delta": "5",
    "reason": "taken",
    "threshold": "1",
    "active": "0",
}


async def victim(db: Database, clock: FixedClock, tmp_path: Path) -> dict[str, int]:
    """An organisation with an application, a document, a shop (preparing, deposit paid), a
    staff member, a pending invitation, a warehouse and a SKU with stock."""
    await load_categories(db, clock.now(), tmp_path)
    owner = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    app_id = await insert_application(db, clock.now(), organisation_id=owner.organisation_id)
    shop_id = await insert_shop(db, clock.now(), organisation_id=owner.organisation_id)
    async with db.reading() as session:
        doc_id = await session.scalar(
            select(func.min(ApplicationDocument.id)).where(
                ApplicationDocument.application_id == app_id
            )
        )
    assert doc_id is not None
    staff = await make_user(
        db, now=clock.now(), seller_role=SellerRole.STAFF, organisation_id=owner.organisation_id
    )
    async with db.reading() as session:
        member_id = await session.scalar(
            select(SellerMembership.id).where(SellerMembership.user_id == staff.user_id)
        )
    assert member_id is not None
    warehouse_id = await create_warehouse(
        db, shop_id=shop_id, form=warehouse_form(), now=clock.now()
    )
    sku_id = await insert_sku(db, clock.now(), shop_id=shop_id)
    await receive_stock(
        db, shop_id=shop_id, warehouse_id=warehouse_id, sku_id=sku_id, quantity=3, now=clock.now()
    )
    invitation = await invite_seller_member(
        db,
        actor=await _principal(db, owner.user_id),
        organisation_id=owner.organisation_id,
        email="invitee@example.com",
        role=SellerRole.STAFF,
        acting_for_brand=None,
        secret_key=SECRET,
        now=clock.now(),
        audit=AuditContext(request_id="test"),
    )
    ids = {"app": app_id, "doc": doc_id, "shop": shop_id, "member": member_id}
    shipping = await create_shipping_template(
        db, shop_id=shop_id, spec=template("express", 800), now=clock.now()
    )
    ids |= {"warehouse": warehouse_id, "sku": sku_id, "invitation": invitation}
    ids |= {"template": shipping}
    return {**ids, "owner": owner.user_id}


async def _principal(db: Database, user_id: int) -> Principal:
    async with db.reading() as session:
        found = await load_principal(session, user_id)
    assert found is not None
    return found


async def shipping_counts(db: Database) -> dict[str, int]:
    async with db.reading() as session:
        rows = await session.execute(
            select(ShippingTemplateRow.id, ShippingTemplateRow.name, ShippingTemplateRow.updated_at)
        )
        # one key per template as it is: a rename or an edit changes the keys
        return {f"shipping_template {i} {n} {u}": 1 for i, n, u in rows}


Snapshot = tuple[dict[str, int], int, list[tuple[str, str, str]], list[tuple[int, str]]]


async def snapshot(db: Database) -> Snapshot:
    async with db.reading() as session:
        docs = await session.scalar(select(func.count()).select_from(ApplicationDocument))
        shops = list((await session.execute(select(Shop.name, Shop.slug, Shop.status))).tuples())
        invitations = list(
            (
                await session.execute(select(SellerInvitation.id, SellerInvitation.revoked_at))
            ).tuples()
        )
        members = list(
            (
                await session.execute(
                    select(SellerMembership.id, SellerMembership.role).order_by(SellerMembership.id)
                )
            ).tuples()
        )
    stock = {**await counts(db), **await stock_counts(db), **await shipping_counts(db)}
    return stock, docs or 0, shops, members + [(i, str(r)) for i, r in invitations]


def test_every_id_bearing_seller_route_is_tried(app: Litestar) -> None:
    """(The product pages have the same test in tests/web/test_seller_products.py.)"""
    mine = {
        (method, path)
        for path, handler in all_handlers(app)
        for method in getattr(handler, "http_methods", ())
        if handler.fn.__module__.startswith("galerie.web.seller.")
        and not handler.fn.__module__.startswith("galerie.web.seller.products")  # see below
        and handler.fn.__module__
        != "galerie.web.seller.imports"  # tests/web/test_seller_imports.py
        and handler.fn.__module__
        != "galerie.web.seller.shop_pictures"  # tests/web/test_shop_pictures.py (multipart)
        and handler.fn.__module__ != "galerie.web.seller.webhooks"  # test_seller_webhooks.py
        and handler.fn.__module__
        != "galerie.web.seller.orders"  # tests/web/test_fulfilment_pages.py
        and handler.fn.__module__
        != "galerie.web.seller.finance"  # tests/web/test_seller_finance.py
        and "{" in path
        and method in {"GET", "POST"}
    }
    tried = {
        (m, p.replace("{app}", "{application_id:int}").replace("{doc}", "{document_id:int}"))
        for m, p in ID_ROUTES
    }
    tried = {(m, p.replace("{shop}", "{shop_id:int}")) for m, p in tried}
    tried = {(m, p.replace("{member}", "{membership_id:int}")) for m, p in tried}
    tried = {(m, p.replace("{warehouse}", "{warehouse_id:int}")) for m, p in tried}
    tried = {(m, p.replace("{sku}", "{sku_id:int}")) for m, p in tried}
    tried = {(m, p.replace("{invitation}", "{invitation_id:int}")) for m, p in tried}
    tried = {(m, p.replace("{template}", "{template_id:int}")) for m, p in tried}
    assert mine == tried


@pytest.mark.parametrize(("method", "template"), ID_ROUTES)
async def test_another_organisation_gets_404_and_changes_nothing(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    tmp_path: Path,
    method: str,
    template: str,
) -> None:
    ids = await victim(db, clock, tmp_path)
    rival = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    await sign_in_as(client, app, rival.user_id)
    path = template.format(**ids)
    before = await snapshot(db)
    if method == "GET":
        response = await client.get(path)
    else:
        data = {**FILLED, "_csrf_token": await csrf_token(client)}
        files = {"file": ("scan.pdf", PDF, "application/pdf")} if "documents" in path else None
        response = await client.post(path, data=data, files=files)
    assert response.status_code == 404, response.text
    assert "Page not found" in response.text
    assert await snapshot(db) == before


@pytest.mark.parametrize("template", FORMS)
@pytest.mark.parametrize("token", [None, "wrong"])
async def test_every_seller_form_refuses_a_missing_or_wrong_csrf_token(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    tmp_path: Path,
    template: str,
    token: str | None,
) -> None:
    ids = await victim(db, clock, tmp_path)
    await sign_in_as(client, app, ids["owner"])
    before = await snapshot(db)
    sent = {"wrong": "0" * 128}.get(token or "")
    response = await post_form(client, template.format(**ids), FILLED, csrf=sent)
    assert response.status_code == 403
    assert "You cannot do this" in response.text
    after = await snapshot(db)
    assert after[1:] == before[1:]
    assert {k: v - before[0][k] for k, v in after[0].items() if v != before[0][k]} == {
        "audit_refused": 1  # a forged form on a privileged path is audited once
    }


async def test_the_seller_pages_speak_chinese_and_french(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    ids = await victim(db, clock, tmp_path)
    await sign_in_as(client, app, ids["owner"])
    await post_form(client, "/language", {"language": "zh-CN", "next": "/"})
    page = await client.get(f"/seller/applications/{ids['app']}")
    assert "核对并提交" in page.text
    assert "Review and submit" not in page.text
    await post_form(client, "/language", {"language": "fr", "next": "/"})
    shops = await client.get("/seller/shops")
    assert "Vos boutiques" in shops.text
