"""The vetting console: the review queue, an application walked through request changes ->
resubmission -> approval, refusals with nothing changed, documents shown inline and never
sniffed, reviewer assignment; each new form needs its CSRF token."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import func, select

from galerie.audit import AuditContext, AuditRecord
from galerie.db import Database
from galerie.identity import OperatorRole, SellerRole, load_principal, set_preferred_language
from galerie.kernel import FixedClock
from galerie.sellers import add_application_document, submit_application
from galerie.sellers.models import SellerApplication, Shop
from galerie.web.auth import galerie_of_app
from tests.factories import make_user
from tests.integration.sellers.factories import (
    counts,
    insert_application,
    insert_shop,
    load_categories,
    status_of,
)
from tests.web.sessions import csrf_token, sign_in_as

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SYSTEM = AuditContext(request_id="test")


@pytest.fixture
async def org(db: Database, clock: FixedClock, tmp_path: Path) -> tuple[int, int]:
    """(organisation id, its owner's user id), with the test category tree loaded."""
    await load_categories(db, clock.now(), tmp_path)
    owner = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    return owner.organisation_id, owner.user_id


async def operator(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock, role: OperatorRole
) -> int:
    made = await make_user(db, now=clock.now(), operator_roles=(role,), display_name="Vera")
    await sign_in_as(client, app, made.user_id)
    return made.user_id


async def post(client: httpx.AsyncClient, path: str, data: dict[str, str]) -> httpx.Response:
    return await client.post(path, data={**data, "_csrf_token": await csrf_token(client)})


async def audits(db: Database, action: str) -> int:
    async with db.reading() as session:
        found = await session.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.action == action)
        )
    return found or 0


async def reviewer_of(db: Database, application_id: int) -> int | None:
    async with db.reading() as session:
        return await session.scalar(
            select(SellerApplication.assigned_reviewer_id).where(
                SellerApplication.id == application_id
            )
        )


async def test_request_changes_then_resubmit_then_approve(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    org_id, owner_id = org
    app_id = await insert_application(
        db, clock.now(), organisation_id=org_id, status="under_review"
    )
    await operator(client, app, db, clock, OperatorRole.VETTING)
    queue = await client.get("/console/applications")
    assert queue.status_code == 200
    assert f'href="/console/applications/{app_id}"' in queue.text
    page = await client.get(f"/console/applications/{app_id}")
    assert page.status_code == 200
    assert "Zhang Wei" in page.text
    assert "REG" in page.text

    changes = f"/console/applications/{app_id}/decision"
    response = await post(client, changes, {"decision": "request_changes", "reason": "Blurry ID"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/console/applications/{app_id}?done=request_changes"
    assert await status_of(db, SellerApplication, app_id) == "changes_requested"
    assert await audits(db, "sellers.seller_application.request_changes") == 1

    async with db.reading() as session:
        owner = await load_principal(session, owner_id)
    assert owner is not None
    resubmitted = await submit_application(
        db, actor=owner, application_id=app_id, now=clock.now(), audit=SYSTEM
    )
    assert resubmitted == "under_review"

    response = await post(client, changes, {"decision": "approve", "reason": "All in order"})
    assert response.status_code == 303
    assert await status_of(db, SellerApplication, app_id) == "approved"
    assert await audits(db, "sellers.seller_application.approve") == 1
    assert await audits(db, "sellers.seller_application.request_changes") == 1
    async with db.reading() as session:
        shop_id = await session.scalar(select(Shop.id).where(Shop.application_id == app_id))
    assert shop_id is not None
    history = await client.get(f"/console/applications/{app_id}?done=approve")
    assert "Blurry ID" in history.text
    assert "All in order" in history.text
    assert f'href="/console/shops/{shop_id}"' in history.text


@pytest.mark.parametrize("decision", ["request_changes", "approve", "reject"])
async def test_an_empty_reason_is_refused_and_nothing_changes(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
    decision: str,
) -> None:
    app_id = await insert_application(
        db, clock.now(), organisation_id=org[0], status="under_review"
    )
    await operator(client, app, db, clock, OperatorRole.VETTING)
    before = await counts(db)
    response = await post(
        client, f"/console/applications/{app_id}/decision", {"decision": decision, "reason": "  "}
    )
    assert response.status_code == 422
    assert 'id="reason-error"' in response.text
    assert "This field is required." in response.text
    assert await counts(db) == before
    assert await status_of(db, SellerApplication, app_id) == "under_review"


async def test_a_decision_the_state_does_not_allow_shows_the_domains_reason(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    app_id = await insert_application(
        db, clock.now(), organisation_id=org[0], status="changes_requested"
    )
    await operator(client, app, db, clock, OperatorRole.VETTING)
    before = await counts(db)
    response = await post(
        client, f"/console/applications/{app_id}/decision", {"decision": "approve", "reason": "ok"}
    )
    assert response.status_code == 409
    assert "This action is not allowed in the current state." in response.text
    assert await counts(db) == before
    assert await status_of(db, SellerApplication, app_id) == "changes_requested"


async def test_blocking_findings_refuse_an_approval(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    app_id = await insert_application(
        db, clock.now(), organisation_id=org[0], status="under_review", documents=()
    )
    await operator(client, app, db, clock, OperatorRole.VETTING)
    before = await counts(db)
    response = await post(
        client, f"/console/applications/{app_id}/decision", {"decision": "approve", "reason": "ok"}
    )
    assert response.status_code == 409
    assert "The automatic checks now find blocking problems" in response.text
    assert await counts(db) == before


async def test_a_bad_decision_value_is_refused(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    app_id = await insert_application(
        db, clock.now(), organisation_id=org[0], status="under_review"
    )
    await operator(client, app, db, clock, OperatorRole.VETTING)
    before = await counts(db)
    response = await post(
        client, f"/console/applications/{app_id}/decision", {"decision": "publish", "reason": "x"}
    )
    assert response.status_code == 422
    assert "Choose one of the options offered." in response.text
    assert await counts(db) == before


async def test_assign_to_me_to_another_and_unassign(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    app_id = await insert_application(
        db, clock.now(), organisation_id=org[0], status="under_review"
    )
    other = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.VETTING,))
    finance = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.FINANCE,))
    me = await operator(client, app, db, clock, OperatorRole.VETTING)
    path = f"/console/applications/{app_id}/assign"

    assert (await post(client, path, {"reviewer": "me"})).status_code == 303
    assert await reviewer_of(db, app_id) == me
    mine = await client.get("/console/applications?reviewer=mine")
    assert f'href="/console/applications/{app_id}"' in mine.text
    nobody = await client.get("/console/applications?reviewer=unassigned")
    assert f'href="/console/applications/{app_id}"' not in nobody.text

    assert (await post(client, path, {"reviewer": str(other.user_id)})).status_code == 303
    assert await reviewer_of(db, app_id) == other.user_id
    refused = await post(client, path, {"reviewer": str(finance.user_id)})
    assert refused.status_code == 422
    assert "Choose an operator who holds the vetting role." in refused.text
    assert await reviewer_of(db, app_id) == other.user_id

    assert (await post(client, path, {"reviewer": "none"})).status_code == 303
    assert await reviewer_of(db, app_id) is None
    nobody = await client.get("/console/applications?reviewer=unassigned")
    assert f'href="/console/applications/{app_id}"' in nobody.text
    assert await audits(db, "sellers.seller_application.assign") == 3


async def test_the_queue_shows_age_and_filters_overdue(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    old = await insert_application(
        db, clock.now() - timedelta(days=4, hours=2), organisation_id=org[0], status="under_review"
    )
    fresh = await insert_application(
        db, clock.now() - timedelta(hours=5), organisation_id=org[0], status="under_review"
    )
    await operator(client, app, db, clock, OperatorRole.VETTING)
    queue = await client.get("/console/applications")
    assert queue.text.index(f"/console/applications/{old}") < queue.text.index(
        f"/console/applications/{fresh}"
    )
    assert "4 days 2 hours" in queue.text
    assert "5 hours" in queue.text
    assert queue.text.count('class="overdue"') == 1
    overdue = await client.get("/console/applications?overdue=1")
    assert f"/console/applications/{old}" in overdue.text
    assert f"/console/applications/{fresh}" not in overdue.text
    flagship = await client.get("/console/applications?shop_type=flagship")
    assert f"/console/applications/{old}" not in flagship.text
    assert (await client.get("/console/applications?status=nonsense")).status_code == 400
    assert (await client.get("/console/applications?reviewer=someone")).status_code == 400


async def test_documents_are_served_inline_and_never_sniffed(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    org_id, owner_id = org
    app_id = await insert_application(db, clock.now(), organisation_id=org_id, documents=())
    other_app = await insert_application(db, clock.now(), organisation_id=org_id)
    async with db.reading() as session:
        owner = await load_principal(session, owner_id)
    assert owner is not None
    storage = galerie_of_app(app).storage
    ids = {}
    for kind, name, data in [
        ("business_licence", "licence.pdf", PDF),
        ("legal_representative_id", "id.png", PNG),
    ]:
        ids[kind] = await add_application_document(
            db,
            actor=owner,
            application_id=app_id,
            kind=kind,
            filename=name,
            data=data,
            valid_until=None,
            storage=storage,
            now=clock.now(),
            audit=SYSTEM,
        )
    await operator(client, app, db, clock, OperatorRole.VETTING)
    pdf_url = f"/console/applications/{app_id}/documents/{ids['business_licence']}"
    png_url = f"/console/applications/{app_id}/documents/{ids['legal_representative_id']}"
    page = await client.get(f"/console/applications/{app_id}")
    assert f'<iframe src="{pdf_url}"' in page.text
    chosen = await client.get(
        f"/console/applications/{app_id}?doc={ids['legal_representative_id']}"
    )
    assert f'<img src="{png_url}"' in chosen.text

    response = await client.get(pdf_url)
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    image = await client.get(png_url)
    assert (image.status_code, image.content) == (200, PNG)
    assert image.headers["content-type"] == "image/png"

    assert (await client.get(f"/console/applications/{app_id}/documents/999999")).status_code == 404
    wrong_app = f"/console/applications/{other_app}/documents/{ids['business_licence']}"
    assert (await client.get(wrong_app)).status_code == 404
    assert (await client.get("/console/applications/999999")).status_code == 404


async def test_a_moderation_operator_cannot_decide(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    app_id = await insert_application(
        db, clock.now(), organisation_id=org[0], status="under_review"
    )
    await operator(client, app, db, clock, OperatorRole.MODERATION)
    before = await counts(db)
    response = await post(
        client, f"/console/applications/{app_id}/decision", {"decision": "approve", "reason": "ok"}
    )
    assert response.status_code == 403
    after = await counts(db)
    assert after["audit_refused"] == before["audit_refused"] + 1
    assert {k: v for k, v in after.items() if k != "audit_refused"} == {
        k: v for k, v in before.items() if k != "audit_refused"
    }
    assert await status_of(db, SellerApplication, app_id) == "under_review"


@pytest.mark.parametrize("action", ["decision", "assign"])
async def test_the_forms_need_the_csrf_token(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
    action: str,
) -> None:
    app_id = await insert_application(
        db, clock.now(), organisation_id=org[0], status="under_review"
    )
    await operator(client, app, db, clock, OperatorRole.VETTING)
    await csrf_token(client)
    before = await counts(db)
    response = await client.post(
        f"/console/applications/{app_id}/{action}",
        data={"decision": "approve", "reason": "ok", "reviewer": "me"},
    )
    assert response.status_code == 403
    after = await counts(db)
    assert await status_of(db, SellerApplication, app_id) == "under_review"
    assert await reviewer_of(db, app_id) is None
    assert after["history"] == before["history"]


async def test_the_pages_are_translated(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    app_id = await insert_application(
        db, clock.now(), organisation_id=org[0], status="under_review"
    )
    user_id = await operator(client, app, db, clock, OperatorRole.VETTING)
    await set_preferred_language(db, user_id=user_id, language="fr", now=clock.now())
    queue = await client.get("/console/applications")
    assert "File d’attente d’examen" in queue.text
    page = await client.get(f"/console/applications/{app_id}")
    assert "Demander des modifications au vendeur" in page.text
    await set_preferred_language(db, user_id=user_id, language="zh-CN", now=clock.now())
    page = await client.get(f"/console/applications/{app_id}")
    assert "要求卖家修改" in page.text
    home = await client.get("/console")
    assert 'href="/console/applications"' in home.text


async def test_the_queue_filters_extensions_and_shows_the_shop(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    org: tuple[int, int],
) -> None:
    opening = await insert_application(
        db, clock.now(), organisation_id=org[0], status="under_review"
    )
    extension = await insert_application(
        db, clock.now(), organisation_id=org[0], status="under_review"
    )
    shop = await insert_shop(db, clock.now(), organisation_id=org[0], status="live")
    async with db.transaction() as session:
        row = await session.get(SellerApplication, extension)
        assert row is not None
        row.kind, row.shop_id = "extension", shop
    await operator(client, app, db, clock, OperatorRole.VETTING)
    only = await client.get("/console/applications?kind=extension")
    assert f"/console/applications/{extension}" in only.text
    assert f"/console/applications/{opening}" not in only.text
    assert "Categories or brands for a shop" in only.text
    openings = await client.get("/console/applications?kind=opening")
    assert f"/console/applications/{opening}" in openings.text
    assert f"/console/applications/{extension}" not in openings.text
    assert (await client.get("/console/applications?kind=other")).status_code == 400
    page = await client.get(f"/console/applications/{extension}")
    assert f'href="/console/shops/{shop}"' in page.text
