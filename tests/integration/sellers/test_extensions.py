"""Extensions: a seller applies to add a category or a brand to its shop, through the same
vetting as an opening (automatic checks, operator decision); on approval the shop may sell
there, on rejection nothing changes. Another organisation sees and does nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, Forbidden, NotFound, ValidationFailed
from galerie.sellers import (
    ApplicantKind,
    ApplicationForm,
    ShopType,
    TrademarkForm,
    add_application_document,
    application_detail,
    apply_for_extension,
    approve_application,
    may_sell,
    register_brand,
    reject_application,
    request_changes,
    review_queue,
    submit_application,
    update_application,
)
from galerie.sellers.models import (
    SellerApplication,
    Shop,
    ShopBrand,
    ShopCategory,
    ShopQualification,
)
from galerie.storage import InMemoryStorage
from tests.integration.sellers.factories import (
    APPAREL,
    CLOTHING,
    FOOD,
    HOME,
    People,
    counts,
    delta,
    insert_shop,
    status_of,
)

PDF = b"%PDF-1.4\n%%EOF\n"


async def _held(db: Database, shop_id: int) -> tuple[list[int], list[int], list[str]]:
    async with db.reading() as session:
        tops = await session.scalars(
            select(ShopCategory.category_id)
            .where(ShopCategory.shop_id == shop_id)
            .order_by(ShopCategory.category_id)
        )
        brands = await session.scalars(
            select(ShopBrand.brand_id).where(ShopBrand.shop_id == shop_id).order_by("brand_id")
        )
        quals = await session.scalars(
            select(ShopQualification.qualification).where(ShopQualification.shop_id == shop_id)
        )
        return list(tops), list(brands), list(quals)


async def _upload(
    db: Database,
    people: People,
    app: int,
    now: datetime,
    *,
    kind: str,
    qualification: str | None = None,
    brand_id: int | None = None,
) -> int:
    return await add_application_document(
        db,
        actor=people["owner"],
        filename="doc.pdf",
        data=PDF,
        valid_until=None,
        storage=InMemoryStorage(),
        now=now,
        audit=AuditContext(request_id="test"),
        application_id=app,
        kind=kind,
        qualification=qualification,
        brand_id=brand_id,
    )


async def test_a_category_needing_a_qualification_is_added_through_vetting(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now, owner = clock.now(), people["owner"]
    shop = await insert_shop(db, now, organisation_id=people.org, status="live")
    async with db.reading() as session:
        assert not await may_sell(session, shop_id=shop, category_id=FOOD, brand_id=None)
    app = await apply_for_extension(
        db, actor=owner, shop_id=shop, category_ids=(FOOD,), brand_ids=(), now=now, audit=audit
    )
    async with db.reading() as session:
        row = await session.get(SellerApplication, app)
        assert row is not None
        assert (row.kind, row.shop_id, row.category_ids, row.brand_ids, row.status) == (
            "extension",
            shop,
            [FOOD],
            [],
            "draft",
        )

    # the legal entity's documents are not asked again; the food licence is
    status = await submit_application(db, actor=owner, application_id=app, now=now, audit=audit)
    assert status == "changes_requested"
    async with db.reading() as session:
        detail = await application_detail(session, actor=owner, application_id=app, now=now)
    assert [(f.code, f.details) for f in detail.findings] == [
        (
            "qualification_missing",
            {"category_id": FOOD, "qualification": "food_business_licence"},
        )
    ]

    await _upload(
        db, people, app, now, kind="category_qualification", qualification="food_business_licence"
    )
    status = await submit_application(db, actor=owner, application_id=app, now=now, audit=audit)
    assert status == "under_review"
    async with db.reading() as session:
        queue = await review_queue(session, actor=people["vetting"], now=now)
    assert [(s.id, s.kind, s.shop_id) for s in queue.items] == [(app, "extension", shop)]

    before = await counts(db)
    assert (
        await approve_application(
            db,
            actor=people["vetting"],
            application_id=app,
            reason="Licence checked.",
            now=now,
            audit=audit,
        )
        == shop
    )
    assert delta(before, await counts(db)) == {"history": 1, "outbox": 1, "audit_succeeded": 1}
    assert await _held(db, shop) == (
        [FOOD, HOME],  # ordered by id
        [],
        ["food_business_licence"],
    )
    async with db.reading() as session:
        assert await may_sell(session, shop_id=shop, category_id=FOOD, brand_id=None)
        fee = await session.get(ShopCategory, (shop, FOOD))
        assert fee is not None
        assert (fee.annual_fee_minor, fee.currency) == (3_000_000, "CNY")
    assert await status_of(db, SellerApplication, app) == "approved"


async def _owned_brand(db: Database, people: People, now: datetime, audit: AuditContext) -> int:
    mark = TrademarkForm("CN778899", "R", "Maison Lune", date(2018, 1, 1), None, "CN")
    return await register_brand(
        db,
        actor=people["owner"],
        organisation_id=people.org,
        name="Lune Maison",
        owned=True,
        trademarks=(mark,),
        now=now,
        audit=audit,
    )


async def _under_review_brand_extension(
    db: Database, people: People, now: datetime, audit: AuditContext
) -> tuple[int, int, int]:
    shop = await insert_shop(
        db,
        now,
        organisation_id=people.org,
        shop_type="flagship",
        top_levels=(APPAREL,),
    )
    brand = await _owned_brand(db, people, now, audit)
    app = await apply_for_extension(
        db,
        actor=people["manager"],
        shop_id=shop,
        category_ids=(),
        brand_ids=(brand,),
        now=now,
        audit=audit,
    )
    owner = people["owner"]
    status = await submit_application(db, actor=owner, application_id=app, now=now, audit=audit)
    assert status == "changes_requested"  # the trademark certificate is missing
    await _upload(db, people, app, now, kind="trademark_certificate", brand_id=brand)
    status = await submit_application(db, actor=owner, application_id=app, now=now, audit=audit)
    assert status == "under_review"
    return shop, brand, app


async def test_an_approved_brand_extension_lets_the_shop_sell_the_brand(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now = clock.now()
    shop, brand, app = await _under_review_brand_extension(db, people, now, audit)
    async with db.reading() as session:
        assert not await may_sell(session, shop_id=shop, category_id=CLOTHING, brand_id=brand)
    await approve_application(
        db,
        actor=people["vetting"],
        application_id=app,
        reason="Mark verified.",
        now=now,
        audit=audit,
    )
    assert await _held(db, shop) == ([APPAREL], [brand], [])
    async with db.reading() as session:
        assert await may_sell(session, shop_id=shop, category_id=CLOTHING, brand_id=brand)


async def test_a_rejected_or_returned_extension_changes_nothing_on_the_shop(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now = clock.now()
    shop, brand, app = await _under_review_brand_extension(db, people, now, audit)
    held = await _held(db, shop)
    before = await counts(db)
    await request_changes(
        db,
        actor=people["vetting"],
        application_id=app,
        reason="Blurred scan.",
        now=now,
        audit=audit,
    )
    assert delta(before, await counts(db)) == {"history": 1, "outbox": 1, "audit_succeeded": 1}
    assert await _held(db, shop) == held
    await submit_application(db, actor=people["owner"], application_id=app, now=now, audit=audit)
    before = await counts(db)
    await reject_application(
        db,
        actor=people["vetting"],
        application_id=app,
        reason="Not the owner.",
        now=now,
        audit=audit,
    )
    assert delta(before, await counts(db)) == {"history": 1, "outbox": 1, "audit_succeeded": 1}
    assert await _held(db, shop) == held
    async with db.reading() as session:
        assert not await may_sell(session, shop_id=shop, category_id=CLOTHING, brand_id=brand)


async def test_approval_is_refused_once_the_shop_is_suspended(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now = clock.now()
    shop, _, app = await _under_review_brand_extension(db, people, now, audit)
    async with db.transaction() as session:  # set-up: the shop was suspended meanwhile
        row = await session.get(Shop, shop)
        assert row is not None
        row.status = "suspended"
    held = await _held(db, shop)
    before = await counts(db)
    with pytest.raises(Conflict) as refused:
        await approve_application(
            db, actor=people["vetting"], application_id=app, reason="Fine.", now=now, audit=audit
        )
    assert refused.value.code == "shop_not_extendable"
    assert delta(before, await counts(db)) == {}
    assert await _held(db, shop) == held
    assert await status_of(db, SellerApplication, app) == "under_review"


async def test_bad_extensions_are_refused_and_write_nothing(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now, owner = clock.now(), people["owner"]
    shop = await insert_shop(db, now, organisation_id=people.org, status="live")
    closed = await insert_shop(db, now, organisation_id=people.org, status="closed")
    brand = await _owned_brand(db, people, now, audit)
    before = await counts(db)
    cases: list[tuple[dict[str, object], type[Exception], str]] = [
        ({"category_ids": (HOME,)}, ValidationFailed, "already_allowed"),
        ({"category_ids": ()}, ValidationFailed, "nothing_to_add"),
        ({"category_ids": (999_999,)}, ValidationFailed, "unknown_category"),
        ({"brand_ids": (brand,)}, ValidationFailed, "individual_shop_has_no_brands"),
        ({"brand_ids": (999_999,)}, ValidationFailed, "unknown_brand"),
        ({"shop_id": closed, "category_ids": (FOOD,)}, Conflict, "shop_not_extendable"),
        ({"shop_id": 999_999, "category_ids": (FOOD,)}, NotFound, "shop_not_found"),
    ]
    for changes, error, code in cases:
        args: dict[str, object] = {"shop_id": shop, "category_ids": (), "brand_ids": ()}
        args.update(changes)
        with pytest.raises(error) as refused:
            await apply_for_extension(db, actor=owner, now=now, audit=audit, **args)  # type: ignore[arg-type]
        assert refused.value.code == code, changes  # type: ignore[attr-defined]
    assert delta(before, await counts(db)) == {}


async def test_another_organisation_and_staff_cannot_extend_and_fields_stay_fixed(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now = clock.now()
    shop = await insert_shop(db, now, organisation_id=people.org, status="live")
    before = await counts(db)
    with pytest.raises(NotFound):
        await apply_for_extension(
            db,
            actor=people["rival"],
            shop_id=shop,
            category_ids=(FOOD,),
            brand_ids=(),
            now=now,
            audit=audit,
        )
    assert delta(before, await counts(db)) == {}
    with pytest.raises(Forbidden):
        await apply_for_extension(
            db,
            actor=people["staff"],
            shop_id=shop,
            category_ids=(FOOD,),
            brand_ids=(),
            now=now,
            audit=audit,
        )
    assert delta(before, await counts(db)) == {"audit_refused": 1}

    app = await apply_for_extension(
        db,
        actor=people["owner"],
        shop_id=shop,
        category_ids=(FOOD,),
        brand_ids=(),
        now=now,
        audit=audit,
    )
    with pytest.raises(NotFound):
        async with db.reading() as session:
            await application_detail(session, actor=people["rival"], application_id=app, now=now)
    form = ApplicationForm(
        applicant_kind=ApplicantKind.INDIVIDUAL,
        legal_name="Zhang Wei",
        registration_number="REG1",
        country="CN",
        address="1 Nanjing Road",
        legal_representative="Zhang Wei",
        contact_email="zw@example.com",
        contact_phone="+86 21 5555 0101",
        bank_account_holder="Zhang Wei",
        bank_account_number="6222020200112233",
        shop_type=ShopType.INDIVIDUAL,
        category_ids=(HOME,),
        brand_ids=(),
    )
    with pytest.raises(ValidationFailed) as fixed:
        await update_application(
            db, actor=people["owner"], application_id=app, form=form, now=now, audit=audit
        )
    assert fixed.value.code == "extension_not_editable"


async def test_two_extensions_for_the_same_brand_are_both_approved_once(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now = clock.now()
    shop, brand, first = await _under_review_brand_extension(db, people, now, audit)
    second = await apply_for_extension(
        db,
        actor=people["owner"],
        shop_id=shop,
        category_ids=(),
        brand_ids=(brand,),
        now=now,
        audit=audit,
    )
    await _upload(db, people, second, now, kind="trademark_certificate", brand_id=brand)
    await submit_application(db, actor=people["owner"], application_id=second, now=now, audit=audit)
    for app in (first, second):
        await approve_application(
            db,
            actor=people["vetting"],
            application_id=app,
            reason="Verified.",
            now=now,
            audit=audit,
        )
    assert await _held(db, shop) == ([APPAREL], [brand], [])
