"""A flagship application from draft to a live shop, through the real services: brands and
authorisations, documents through the storage port, automatic checks, changes requested,
resubmission, approval (deposit, fees, brands), decoration, publishing; and may_sell."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.deposits import record_deposit_transfer
from galerie.kernel import Conflict, FixedClock, ValidationFailed
from galerie.sellers import (
    ApplicantKind,
    ApplicationForm,
    AuthorisationForm,
    Decoration,
    ShopAction,
    ShopType,
    TrademarkForm,
    add_application_document,
    application_detail,
    approve_application,
    assign_reviewer,
    change_shop_status,
    decorate_shop,
    may_sell,
    record_brand_authorisation,
    register_brand,
    request_changes,
    shop_by_slug,
    shop_directory,
    start_application,
    submit_application,
)
from galerie.sellers.models import Shop, ShopBrand, ShopCategory
from galerie.storage import InMemoryStorage
from tests.integration.sellers.factories import APPAREL, CLOTHING, HOME, MEDICINE, People

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form(**changes: object) -> ApplicationForm:
    values: dict[str, object] = {
        "applicant_kind": ApplicantKind.BUSINESS,
        "legal_name": "Maison Lune SARL",
        "registration_number": "FR-123 456 789",
        "country": "fr",
        "address": "12 rue de la Paix, Paris",
        "legal_representative": "Claire Dubois",
        "contact_email": "Claire@MaisonLune.example",
        "contact_phone": "+33 1 23 45 67 89",
        "bank_account_holder": "Maison Lune SARL",
        "bank_account_number": "FR76 3000 6000 0112 3456 7890 189",
        "shop_type": ShopType.FLAGSHIP,
        "category_ids": (CLOTHING,),
        "brand_ids": (),
    }
    values.update(changes)
    return ApplicationForm(**values)  # type: ignore[arg-type]


async def test_from_application_to_live_shop(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now, owner, storage = clock.now(), people["owner"], InMemoryStorage()
    today = now.date()
    mark = TrademarkForm("FR4455", "R", "Maison Lune SARL", date(2019, 1, 1), None, "FR")
    own = await register_brand(
        db,
        actor=owner,
        organisation_id=people.org,
        name="Maison Lune",
        owned=True,
        trademarks=(mark,),
        now=now,
        audit=audit,
    )
    licensed = await register_brand(
        db,
        actor=owner,
        organisation_id=people.org,
        name="Soleil",
        owned=False,
        trademarks=(),
        now=now,
        audit=audit,
    )
    # a non-exclusive licence that ends in six months: two blocking findings for a flagship
    await record_brand_authorisation(
        db,
        actor=owner,
        organisation_id=people.org,
        form=AuthorisationForm(
            licensed, None, False, today - timedelta(days=10), today + timedelta(days=180)
        ),
        now=now,
        audit=audit,
    )
    app = await start_application(
        db,
        actor=owner,
        organisation_id=people.org,
        form=form(brand_ids=(own, licensed)),
        now=now,
        audit=audit,
    )
    for kind in (
        "business_licence",
        "tax_registration",
        "legal_representative_id",
        "bank_account_proof",
    ):
        await add_application_document(
            db,
            actor=owner,
            application_id=app,
            kind=kind,
            filename=f"{kind}.pdf",
            data=PDF,
            valid_until=None,
            storage=storage,
            now=now,
            audit=audit,
        )
    for brand, kinds in (
        (own, ("trademark_certificate",)),
        (licensed, ("trademark_certificate", "brand_authorisation")),
    ):
        for kind in kinds:
            await add_application_document(
                db,
                actor=owner,
                application_id=app,
                kind=kind,
                brand_id=brand,
                filename="letter.pdf",
                data=PDF,
                valid_until=None,
                storage=storage,
                now=now,
                audit=audit,
            )

    assert (
        await submit_application(db, actor=owner, application_id=app, now=now, audit=audit)
        == "changes_requested"
    )
    async with db.reading() as session:
        detail = await application_detail(session, actor=owner, application_id=app, now=now)
    assert {f.code for f in detail.findings} == {
        "flagship_brand_not_exclusive",
        "authorisation_too_short",
    }
    assert [h.to_status for h in detail.history] == ["draft", "submitted", "changes_requested"]
    assert detail.history[-1].actor_user_id is None  # the system's verdict

    # the seller drops the licensed brand and resubmits
    from galerie.sellers import update_application

    await update_application(
        db, actor=owner, application_id=app, form=form(brand_ids=(own,)), now=now, audit=audit
    )
    assert (
        await submit_application(db, actor=owner, application_id=app, now=now, audit=audit)
        == "under_review"
    )
    await assign_reviewer(
        db,
        actor=people["admin"],
        application_id=app,
        reviewer_user_id=people["vetting"].user_id,
        now=now,
        audit=audit,
    )
    with pytest.raises(ValidationFailed) as no_reason:
        await approve_application(
            db, actor=people["vetting"], application_id=app, reason=" ", now=now, audit=audit
        )
    assert no_reason.value.code == "reason_required"
    shop_id = await approve_application(
        db,
        actor=people["vetting"],
        application_id=app,
        reason="All documents verified.",
        now=now,
        audit=audit,
    )

    async with db.reading() as session:
        shop = await session.get(Shop, shop_id)
        assert shop is not None
        assert (shop.status, shop.deposit_required_minor, shop.deposit_currency) == (
            "preparing",
            5_000_000,
            "CNY",
        )
        fees = await session.execute(
            select(ShopCategory.category_id, ShopCategory.annual_fee_minor).where(
                ShopCategory.shop_id == shop_id
            )
        )
        assert [tuple(row) for row in fees] == [
            (APPAREL, 6_000_000)
        ]  # Apparel's annual fee is 60,000
        assert await may_sell(session, shop_id=shop_id, category_id=CLOTHING, brand_id=own)
        assert not await may_sell(session, shop_id=shop_id, category_id=CLOTHING, brand_id=licensed)
        assert not await may_sell(session, shop_id=shop_id, category_id=HOME, brand_id=own)
        assert not await may_sell(session, shop_id=shop_id, category_id=CLOTHING, brand_id=None)
        assert await shop_by_slug(session, slug=shop.slug, viewer=None) is None  # discreet launch
        assert await shop_by_slug(session, slug=shop.slug, viewer=people["staff"]) is not None
        assert await shop_by_slug(session, slug=shop.slug, viewer=people["rival"]) is None

    await decorate_shop(
        db,
        actor=people["manager"],
        shop_id=shop_id,
        decoration=Decoration(
            "Maison Lune", "maison-lune", {"fr": "Prêt-à-porter", "zh-CN": "成衣"}, ("Robes",)
        ),
        now=now,
        audit=audit,
    )
    with pytest.raises(Conflict) as unpaid:
        await change_shop_status(
            db, actor=owner, shop_id=shop_id, action=ShopAction.PUBLISH, now=now, audit=audit
        )
    assert unpaid.value.code == "deposit_not_paid"
    await record_deposit_transfer(
        db, actor=people["finance"], shop_id=shop_id, reference="Bank transfer", now=now,
        audit=audit,
    )  # fmt: skip
    assert (
        await change_shop_status(
            db, actor=owner, shop_id=shop_id, action=ShopAction.PUBLISH, now=now, audit=audit
        )
        == "live"
    )
    async with db.reading() as session:
        assert (await shop_by_slug(session, slug="maison-lune", viewer=None)) is not None
        listed = await shop_directory(session, shop_type=ShopType.FLAGSHIP, top_level_id=APPAREL)
        assert [s.id for s in listed.items] == [shop_id]
        assert (await shop_directory(session, top_level_id=HOME)).total == 0


async def test_a_slug_is_unique(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    from tests.integration.sellers.factories import insert_shop

    first = await insert_shop(db, clock.now(), organisation_id=people.org)
    second = await insert_shop(db, clock.now(), organisation_id=people.org)
    decoration = Decoration("Lune", "lune")
    await decorate_shop(
        db,
        actor=people["owner"],
        shop_id=first,
        decoration=decoration,
        now=clock.now(),
        audit=audit,
    )
    with pytest.raises(Conflict) as taken:
        await decorate_shop(
            db,
            actor=people["owner"],
            shop_id=second,
            decoration=decoration,
            now=clock.now(),
            audit=audit,
        )
    assert taken.value.code == "slug_taken"
    with pytest.raises(ValidationFailed):
        await decorate_shop(
            db,
            actor=people["owner"],
            shop_id=second,
            decoration=Decoration("Lune", "<script>"),
            now=clock.now(),
            audit=audit,
        )


async def test_medicine_needs_its_qualification_to_sell(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now, storage = clock.now(), InMemoryStorage()
    app = await start_application(
        db,
        actor=people["owner"],
        organisation_id=people.org,
        form=form(
            applicant_kind=ApplicantKind.INDIVIDUAL,
            shop_type=ShopType.INDIVIDUAL,
            category_ids=(MEDICINE,),
        ),
        now=now,
        audit=audit,
    )
    for kind in ("legal_representative_id", "bank_account_proof"):
        await add_application_document(
            db,
            actor=people["owner"],
            application_id=app,
            kind=kind,
            filename="id.png",
            data=b"\x89PNG\r\n\x1a\n" + b"\0" * 32,
            valid_until=None,
            storage=storage,
            now=now,
            audit=audit,
        )
    assert (
        await submit_application(
            db, actor=people["owner"], application_id=app, now=now, audit=audit
        )
        == "changes_requested"
    )
    await add_application_document(
        db,
        actor=people["owner"],
        application_id=app,
        kind="category_qualification",
        qualification="pharmaceutical_licence",
        filename="licence.pdf",
        data=PDF,
        valid_until=now.date() + timedelta(days=400),
        storage=storage,
        now=now,
        audit=audit,
    )
    assert (
        await submit_application(
            db, actor=people["owner"], application_id=app, now=now, audit=audit
        )
        == "under_review"
    )
    await request_changes(
        db, actor=people["vetting"], application_id=app, reason="Blurred ID.", now=now, audit=audit
    )
    assert (
        await submit_application(
            db, actor=people["owner"], application_id=app, now=now, audit=audit
        )
        == "under_review"
    )
    shop_id = await approve_application(
        db, actor=people["admin"], application_id=app, reason="OK.", now=now, audit=audit
    )
    async with db.reading() as session:
        shop = await session.get(Shop, shop_id)
        assert shop is not None
        assert shop.deposit_required_minor == 30_000_000  # medicine
        assert await may_sell(session, shop_id=shop_id, category_id=MEDICINE, brand_id=None)
        assert (
            await may_sell(session, shop_id=shop_id, category_id=MEDICINE - 27, brand_id=None)
            is False
        )
        brands = await session.scalars(
            select(ShopBrand.brand_id).where(ShopBrand.shop_id == shop_id)
        )
        assert list(brands) == []
