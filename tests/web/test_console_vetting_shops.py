"""Shops in the console: moderation suspends, reinstates and closes with a reason; finance
marks the deposit paid; the wrong operator gets 403 with nothing changed; CSRF required."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.identity import OperatorRole, SellerRole, set_preferred_language
from galerie.kernel import FixedClock
from galerie.sellers.models import Shop
from tests.factories import make_user
from tests.integration.sellers.factories import counts, insert_shop, load_categories, status_of
from tests.web.sessions import csrf_token, sign_in_as


@pytest.fixture
async def org(db: Database, clock: FixedClock, tmp_path: Path) -> int:
    await load_categories(db, clock.now(), tmp_path)
    owner = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    return owner.organisation_id


async def operator(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock, role: OperatorRole
) -> int:
    made = await make_user(db, now=clock.now(), operator_roles=(role,), display_name="Mo")
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


async def deposit_paid(db: Database, shop_id: int) -> bool:
    async with db.reading() as session:
        row = (
            await session.execute(
                select(Shop.deposit_held_minor, Shop.deposit_required_minor).where(
                    Shop.id == shop_id
                )
            )
        ).one()
    return bool(row[0] >= row[1])


async def test_moderation_suspends_and_reinstates_a_shop(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, org: int
) -> None:
    live = await insert_shop(db, clock.now(), organisation_id=org, status="live")
    preparing = await insert_shop(db, clock.now(), organisation_id=org, status="preparing")
    await operator(client, app, db, clock, OperatorRole.MODERATION)
    listing = await client.get("/console/shops")
    assert listing.status_code == 200
    assert f'href="/console/shops/{live}"' in listing.text
    assert f'href="/console/shops/{preparing}"' in listing.text  # every status
    only_live = await client.get("/console/shops?status=live")
    assert f'href="/console/shops/{preparing}"' not in only_live.text
    assert (await client.get("/console/shops?status=nope")).status_code == 400

    path = f"/console/shops/{live}/status"
    response = await post(client, path, {"action": "suspend", "reason": "Counterfeit reports"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/console/shops/{live}?done=suspend"
    assert await status_of(db, Shop, live) == "suspended"
    assert await audits(db, "sellers.shop.suspend") == 1
    response = await post(client, path, {"action": "reinstate", "reason": "Cleared"})
    assert response.status_code == 303
    assert await status_of(db, Shop, live) == "live"
    assert await audits(db, "sellers.shop.reinstate") == 1
    page = await client.get(f"/console/shops/{live}")
    assert "Counterfeit reports" in page.text
    assert "Cleared" in page.text


async def test_an_empty_reason_or_a_refused_step_changes_nothing(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, org: int
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=org, status="live")
    await operator(client, app, db, clock, OperatorRole.MODERATION)
    path = f"/console/shops/{shop}/status"
    before = await counts(db)
    empty = await post(client, path, {"action": "suspend", "reason": ""})
    assert empty.status_code == 422
    assert 'id="reason-error"' in empty.text
    refused = await post(client, path, {"action": "reinstate", "reason": "Why not"})
    assert refused.status_code == 409
    assert "This action is not allowed in the current state." in refused.text
    assert await counts(db) == before
    assert await status_of(db, Shop, shop) == "live"
    assert (await client.get("/console/shops/999999")).status_code == 404


async def test_moderation_closes_a_shop(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, org: int
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=org, status="preparing")
    await operator(client, app, db, clock, OperatorRole.MODERATION)
    response = await post(
        client, f"/console/shops/{shop}/status", {"action": "close", "reason": "Abandoned"}
    )
    assert response.status_code == 303
    assert await status_of(db, Shop, shop) == "closed"
    assert await audits(db, "sellers.shop.close") == 1


async def test_finance_marks_the_deposit_paid(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, org: int
) -> None:
    unpaid = await insert_shop(db, clock.now(), organisation_id=org, deposit_paid=False)
    paid = await insert_shop(db, clock.now(), organisation_id=org, deposit_paid=True)
    await operator(client, app, db, clock, OperatorRole.FINANCE)
    due = await client.get("/console/deposits")
    assert due.status_code == 200
    assert f'action="/console/shops/{unpaid}/deposit-paid"' in due.text
    assert f'action="/console/shops/{paid}/deposit-paid"' not in due.text
    assert "1,000.00 CNY" in due.text
    response = await post(client, f"/console/shops/{unpaid}/deposit-paid", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/console/deposits"
    assert await deposit_paid(db, unpaid) is True
    assert await audits(db, "deposits.transfer.record") == 1
    again = await post(client, f"/console/shops/{unpaid}/deposit-paid", {"next": "//evil.test"})
    assert again.headers["location"] == "/console/deposits"
    assert await audits(db, "deposits.transfer.record") == 1  # idempotent
    assert "Every deposit is paid." in (await client.get("/console/deposits")).text


async def test_a_vetting_operator_cannot_suspend(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, org: int
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=org, status="live")
    await operator(client, app, db, clock, OperatorRole.VETTING)
    before = await counts(db)
    response = await post(
        client, f"/console/shops/{shop}/status", {"action": "suspend", "reason": "x"}
    )
    assert response.status_code == 403
    assert (await client.get(f"/console/shops/{shop}")).status_code == 403
    after = await counts(db)
    assert after["audit_refused"] == before["audit_refused"] + 2
    assert after["shop_history"] == before["shop_history"]
    assert await status_of(db, Shop, shop) == "live"


async def test_a_moderation_operator_cannot_mark_a_deposit_paid(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, org: int
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=org, deposit_paid=False)
    await operator(client, app, db, clock, OperatorRole.MODERATION)
    assert (await post(client, f"/console/shops/{shop}/deposit-paid", {})).status_code == 403
    assert await deposit_paid(db, shop) is False
    page = await client.get(f"/console/shops/{shop}")
    assert "deposit-paid" not in page.text  # the button is for finance only


@pytest.mark.parametrize("path", ["status", "deposit-paid"])
async def test_the_shop_forms_need_the_csrf_token(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, org: int, path: str
) -> None:
    shop = await insert_shop(
        db, clock.now(), organisation_id=org, status="live", deposit_paid=False
    )
    await operator(client, app, db, clock, OperatorRole.ADMIN)
    await csrf_token(client)
    response = await client.post(
        f"/console/shops/{shop}/{path}", data={"action": "suspend", "reason": "x"}
    )
    assert response.status_code == 403
    assert await status_of(db, Shop, shop) == "live"
    assert await deposit_paid(db, shop) is False


async def test_the_shop_pages_are_translated(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, org: int
) -> None:
    shop = await insert_shop(
        db, clock.now(), organisation_id=org, status="preparing", deposit_paid=False
    )
    user_id = await operator(client, app, db, clock, OperatorRole.ADMIN)
    await set_preferred_language(db, user_id=user_id, language="fr", now=clock.now())
    page = await client.get(f"/console/shops/{shop}")
    assert "Sanctionner ou fermer" in page.text
    assert "Marquer la caution comme payée" in page.text
    await set_preferred_language(db, user_id=user_id, language="zh-CN", now=clock.now())
    page = await client.get(f"/console/shops/{shop}")
    assert "处罚或关闭" in page.text
    home = await client.get("/console")
    assert 'href="/console/shops"' in home.text
    assert 'href="/console/deposits"' in home.text
