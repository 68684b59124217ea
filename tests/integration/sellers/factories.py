"""Set-up for the sellers tests: a small category tree, people in every role, and
applications and shops inserted straight in a given state (factories set up state; the
behaviour under test always goes through the services)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditRecord
from galerie.catalog import import_google_taxonomy
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.identity import OperatorRole, Principal, SellerRole, load_principal
from galerie.kernel import Money
from galerie.ledger import AccountKind, account_for, credit, debit, post_entry
from galerie.sellers.models import (
    ApplicationDocument,
    ApplicationFinding,
    ApplicationHistory,
    SellerApplication,
    Shop,
    ShopCategory,
    ShopHistory,
)
from tests.factories import make_user

TAXONOMY = """# Google_Product_Taxonomy_Version: test
166 - Apparel & Accessories
1604 - Apparel & Accessories > Clothing
469 - Health & Beauty
491 - Health & Beauty > Health Care
518 - Health & Beauty > Health Care > Medicine & Drugs
536 - Home & Garden
412 - Food, Beverages & Tobacco
"""
HOME, APPAREL, CLOTHING, HEALTH, MEDICINE, FOOD = 536, 166, 1604, 469, 518, 412
SELLER_ROLES = ("owner", "manager", "staff", "agency")
OPERATOR_ROLES = ("vetting", "moderation", "finance", "support", "admin")
OUTSIDERS = ("rival", "shopper")
ROLES = SELLER_ROLES + OPERATOR_ROLES + OUTSIDERS
_numbers = itertools.count(1000)


async def load_categories(db: Database, now: datetime, tmp: Path) -> None:
    source = tmp / "taxonomy.txt"
    source.write_text(TAXONOMY, encoding="utf-8")
    await import_google_taxonomy(db, now=now, source=source)


@dataclass
class People:
    org: int
    rival_org: int
    principals: dict[str, Principal]

    def __getitem__(self, role: str) -> Principal:
        return self.principals[role]


async def _principal(db: Database, user_id: int) -> Principal:
    async with db.reading() as session:
        found = await load_principal(session, user_id)
    assert found is not None
    return found


async def make_people(db: Database, now: datetime) -> People:
    owner = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    org = owner.organisation_id
    assert org is not None
    ids = {"owner": owner.user_id}
    for role in ("manager", "staff", "agency"):
        made = await make_user(db, now=now, seller_role=SellerRole(role), organisation_id=org)
        ids[role] = made.user_id
    for role in OPERATOR_ROLES:
        ids[role] = (await make_user(db, now=now, operator_roles=(OperatorRole(role),))).user_id
    rival = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    assert rival.organisation_id is not None
    ids["rival"] = rival.user_id
    ids["shopper"] = (await make_user(db, now=now)).user_id
    principals = {role: await _principal(db, user_id) for role, user_id in ids.items()}
    return People(org, rival.organisation_id, principals)


async def insert_application(
    db: Database,
    now: datetime,
    *,
    organisation_id: int,
    status: str = "draft",
    shop_type: str = "individual",
    category_ids: tuple[int, ...] = (HOME,),
    brand_ids: tuple[int, ...] = (),
    documents: tuple[str, ...] = ("legal_representative_id", "bank_account_proof"),
    registration_number: str | None = None,
) -> int:
    """An application in `status` whose automatic checks pass (for an individual shop)."""
    async with db.transaction() as session:
        app = SellerApplication(
            organisation_id=organisation_id,
            applicant_kind="individual" if shop_type == "individual" else "business",
            legal_name="Zhang Wei",
            registration_number=registration_number or f"REG{next(_numbers)}",
            country="CN",
            address="1 Nanjing Road, Shanghai",
            legal_representative="Zhang Wei",
            contact_email="zw@example.com",
            contact_phone="+86 21 5555 0101",
            bank_account_holder="Zhang Wei",
            bank_account_number="6222020200112233",
            shop_type=shop_type,
            category_ids=list(category_ids),
            brand_ids=list(brand_ids),
            status=status,
            submissions=0 if status == "draft" else 1,
            submitted_at=None if status == "draft" else now,
            created_at=now,
            updated_at=now,
        )
        session.add(app)
        await session.flush()
        for n, kind in enumerate(documents):
            session.add(
                ApplicationDocument(
                    application_id=app.id,
                    organisation_id=organisation_id,
                    kind=kind,
                    filename=f"{kind}.pdf",
                    storage_key=f"factory/{app.id}/{n}",
                    content_type="application/pdf",
                    size=10,
                    sha256="0" * 64,
                    uploaded_at=now,
                )
            )
        return app.id


async def insert_shop(
    db: Database,
    now: datetime,
    *,
    organisation_id: int,
    status: str = "preparing",
    deposit_paid: bool | None = None,
    shop_type: str = "individual",
    top_levels: tuple[int, ...] = (HOME,),
) -> int:
    app_id = await insert_application(
        db, now, organisation_id=organisation_id, status="approved", shop_type=shop_type
    )
    async with db.transaction() as session:
        shop = Shop(
            organisation_id=organisation_id,
            application_id=app_id,
            shop_type=shop_type,
            name="Maison Lune",
            slug=f"shop-{app_id}",
            descriptions={},
            navigation=[],
            status=status,
            deposit_required_minor=100_000,
            deposit_currency="CNY",
            created_at=now,
            updated_at=now,
        )
        session.add(shop)
        await session.flush()
        # the deposit is the ledger's figure now (galerie.deposits). By default only a
        # preparing shop holds it (publishing needs it); shops inserted in another state
        # leave the other domains' ledgers as they were, unless asked.
        if deposit_paid or (deposit_paid is None and status == "preparing"):
            await _hold_deposit(session, shop.id, Money(100_000, "CNY"), now)
        for top in top_levels:
            session.add(
                ShopCategory(
                    shop_id=shop.id,
                    category_id=top,
                    organisation_id=organisation_id,
                    annual_fee_minor=3_000_000,
                    currency="CNY",
                )
            )
        return shop.id


COUNTED = {
    "applications": SellerApplication,
    "history": ApplicationHistory,
    "findings": ApplicationFinding,
    "shops": Shop,
    "shop_history": ShopHistory,
    "outbox": OutboxEvent,
}


async def counts(db: Database) -> dict[str, int]:
    result: dict[str, int] = {}
    async with db.reading() as session:
        for name, model in COUNTED.items():
            result[name] = await session.scalar(select(func.count()).select_from(model)) or 0
        for outcome in ("succeeded", "refused"):
            result[f"audit_{outcome}"] = (
                await session.scalar(
                    select(func.count())
                    .select_from(AuditRecord)
                    .where(AuditRecord.outcome == outcome)
                )
                or 0
            )
    return result


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


async def status_of(db: Database, model: type[SellerApplication] | type[Shop], row_id: int) -> str:
    async with db.reading() as session:
        status = await session.scalar(select(model.status).where(model.id == row_id))
    assert status is not None
    return status


async def _hold_deposit(session: AsyncSession, shop_id: int, amount: Money, now: datetime) -> None:
    """The whole deposit held, as a transfer would post it (no events: a factory)."""
    clearing = await account_for(
        session, kind=AccountKind.PROVIDER_CLEARING, currency=amount.currency, now=now
    )
    held = await account_for(
        session, kind=AccountKind.DEPOSITS_HELD, currency=amount.currency, now=now, owner_id=shop_id
    )
    await post_entry(
        session, key=f"deposit-factory:{shop_id}", memo="factory deposit",
        lines=[debit(clearing.id, amount), credit(held.id, amount)], now=now,
    )  # fmt: skip
