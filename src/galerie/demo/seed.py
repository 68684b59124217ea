"""Writing the demo data through the domain services, as a user would.

The people and organisations are founded FOUNDED days before the clock's now; brands and
licences follow, then every application and shop (demo.shops) at the time it happened."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from galerie.audit import AuditContext
from galerie.catalog import import_google_taxonomy
from galerie.db import Database
from galerie.demo.accounts import DEMO_PASSWORD, DemoAccount, demo_accounts
from galerie.demo.brands import Cast, seed_brands
from galerie.demo.catalog_seed import seed_demo_catalog
from galerie.demo.extensions import seed_extension
from galerie.demo.orders_seed import seed_demo_orders
from galerie.demo.payments import run_demo_payouts
from galerie.demo.shipping_seed import seed_demo_shipping
from galerie.demo.shops import seed_shops
from galerie.demo.stock_seed import seed_demo_stock
from galerie.identity import (
    Principal,
    add_seller_member,
    create_operator,
    create_seller_organisation,
    load_principal,
    register_shopper,
)
from galerie.identity.models import User
from galerie.imports import CatalogWriter
from galerie.kernel import Clock
from galerie.storage import FileStorage

SEED_AUDIT = AuditContext(extra={"source": "demo seed"})
FOUNDED = timedelta(days=400)  # how long before now the demo's people joined
BRANDS_REGISTERED = timedelta(days=390)


async def _already_seeded(db: Database) -> bool:
    first = demo_accounts()[0].email
    async with db.reading() as session:
        return await session.scalar(select(User.id).where(User.email == first)) is not None


async def _create_person(db: Database, account: DemoAccount, now: datetime) -> int:
    if account.operator_roles:
        return await create_operator(
            db,
            email=account.email,
            password=DEMO_PASSWORD,
            display_name=account.display_name,
            roles=list(account.operator_roles),
            language=account.language,
            now=now,
            audit=SEED_AUDIT,
        )
    return await register_shopper(
        db,
        email=account.email,
        password=DEMO_PASSWORD,
        display_name=account.display_name,
        language=account.language,
        now=now,
        audit=SEED_AUDIT,
    )


async def _principal(db: Database, user_id: int) -> Principal:
    async with db.reading() as session:
        principal = await load_principal(session, user_id)
    assert principal is not None
    return principal


async def _seed_memberships(
    db: Database, accounts: tuple[DemoAccount, ...], user_ids: dict[str, int], now: datetime
) -> tuple[dict[str, int], dict[str, str]]:
    """Found every organisation (by its owner) and add its other members; returns the
    organisations' ids and their owners' e-mails, by name."""
    organisations: dict[str, int] = {}
    owners: dict[str, str] = {}
    for account in accounts:  # owners first: each owner founds its organisation
        for org_name, role, _brand in account.memberships:
            if role.value == "owner":
                organisations[org_name] = await create_seller_organisation(
                    db, name=org_name, owner_user_id=user_ids[account.email], now=now,
                    audit=SEED_AUDIT,
                )  # fmt: skip
                owners[org_name] = account.email
    for account in accounts:
        for org_name, role, brand in account.memberships:
            if role.value == "owner":
                continue
            owner = await _principal(db, user_ids[owners[org_name]])
            await add_seller_member(
                db,
                actor=owner,
                organisation_id=organisations[org_name],
                email=account.email,
                role=role,
                acting_for_brand=brand,
                now=now,
                audit=AuditContext(actor_user_id=owner.user_id, extra={"source": "demo seed"}),
            )
    return organisations, owners


async def seed_demo(
    db: Database,
    clock: Clock,
    *,
    storage: FileStorage,
    var_dir: Path | None = None,
    catalog: CatalogWriter | None = None,
) -> bool:
    """Create the demo data; return False (and change nothing) if it is already there.
    The category tree is imported either way (an idempotent upsert). Application documents
    and product pictures are written to `storage`. With `var_dir`, the demo catalog follows
    (demo.catalog_seed): Nordhavn's feed file in var/demo/ and, once the catalog can save
    products (or with `catalog`), the other live shops' products, their stock in one
    warehouse per shop, the search index, then the demo shoppers' orders in every state
    (demo.orders_seed). Shipping templates and the shoppers'
    addresses are written either way (demo.shipping_seed)."""
    now = clock.now()
    await import_google_taxonomy(db, now=now)
    if await _already_seeded(db):
        return False
    accounts = demo_accounts()
    founded = now - FOUNDED
    user_ids = {account.email: await _create_person(db, account, founded) for account in accounts}
    organisations, owners = await _seed_memberships(db, accounts, user_ids, founded)
    principals = {email: await _principal(db, user_id) for email, user_id in user_ids.items()}
    cast = Cast(db, storage, now, principals, organisations, owners)
    await seed_brands(cast, at=now - BRANDS_REGISTERED)
    shops = await seed_shops(cast)
    await seed_extension(cast, shops)
    await seed_demo_shipping(db, clock)
    if var_dir is not None:
        await seed_demo_catalog(db, clock, storage=storage, var_dir=var_dir, writer=catalog)
        await seed_demo_stock(db, clock)
        await seed_demo_orders(db, clock)  # paid through the sandbox (demo.payments)
        await run_demo_payouts(db, at=now)  # the sellers' payables paid out (settlement)
    return True
