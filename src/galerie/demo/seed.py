"""Writing the demo data through the domain services, as a user would."""

from __future__ import annotations

from sqlalchemy import select

from galerie.audit import AuditContext
from galerie.catalog import import_google_taxonomy
from galerie.db import Database
from galerie.demo.accounts import DEMO_PASSWORD, DemoAccount, demo_accounts
from galerie.identity import (
    add_seller_member,
    create_operator,
    create_seller_organisation,
    load_principal,
    register_shopper,
)
from galerie.identity.models import User
from galerie.kernel import Clock

SEED_AUDIT = AuditContext(extra={"source": "demo seed"})


async def _already_seeded(db: Database) -> bool:
    first = demo_accounts()[0].email
    async with db.reading() as session:
        return await session.scalar(select(User.id).where(User.email == first)) is not None


async def _create_person(db: Database, account: DemoAccount, clock: Clock) -> int:
    if account.operator_roles:
        return await create_operator(
            db,
            email=account.email,
            password=DEMO_PASSWORD,
            display_name=account.display_name,
            roles=list(account.operator_roles),
            language=account.language,
            now=clock.now(),
            audit=SEED_AUDIT,
        )
    return await register_shopper(
        db,
        email=account.email,
        password=DEMO_PASSWORD,
        display_name=account.display_name,
        language=account.language,
        now=clock.now(),
        audit=SEED_AUDIT,
    )


async def _seed_memberships(
    db: Database, accounts: tuple[DemoAccount, ...], user_ids: dict[str, int], clock: Clock
) -> None:
    organisations: dict[str, int] = {}
    owners: dict[str, int] = {}
    for account in accounts:  # owners first: each owner founds its organisation
        for org_name, role, _brand in account.memberships:
            if role.value == "owner":
                organisations[org_name] = await create_seller_organisation(
                    db, name=org_name, owner_user_id=user_ids[account.email], now=clock.now(),
                    audit=SEED_AUDIT,
                )  # fmt: skip
                owners[org_name] = user_ids[account.email]
    for account in accounts:
        for org_name, role, brand in account.memberships:
            if role.value == "owner":
                continue
            async with db.reading() as session:
                owner = await load_principal(session, owners[org_name])
            assert owner is not None
            await add_seller_member(
                db,
                actor=owner,
                organisation_id=organisations[org_name],
                email=account.email,
                role=role,
                acting_for_brand=brand,
                now=clock.now(),
                audit=AuditContext(actor_user_id=owner.user_id, extra={"source": "demo seed"}),
            )


async def seed_demo(db: Database, clock: Clock) -> bool:
    """Create the demo data; return False (and change nothing) if it is already there.
    The category tree is imported either way (an idempotent upsert)."""
    await import_google_taxonomy(db, now=clock.now())
    if await _already_seeded(db):
        return False
    accounts = demo_accounts()
    user_ids = {account.email: await _create_person(db, account, clock) for account in accounts}
    await _seed_memberships(db, accounts, user_ids, clock)
    return True
