"""The demo's extension: Xiaomei, whose crafts shop is live, asks to sell tea as well (food,
which needs a food business licence). She uploads the licence and submits; the extension
waits in the operator's queue beside the opening applications."""

from __future__ import annotations

from datetime import timedelta

from galerie.demo.accounts import XIAOMEI
from galerie.demo.applicants import LEGAL
from galerie.demo.brands import Cast
from galerie.demo.documents import upload_document
from galerie.sellers import (
    ApplicationStatus,
    DocumentKind,
    apply_for_extension,
    submit_application,
)

FOOD_TOP_LEVEL = 412  # Food, Beverages & Tobacco (the tea category's top level)


async def seed_extension(cast: Cast, shops: dict[str, int]) -> int:
    """Returns the extension's application id."""
    owner = cast.owner(XIAOMEI)
    started = cast.now - timedelta(days=2)
    app_id = await apply_for_extension(
        cast.db, actor=owner, shop_id=shops["xiaomei-crafts"], category_ids=(FOOD_TOP_LEVEL,),
        brand_ids=(), now=started, audit=cast.audit(owner),
    )  # fmt: skip
    await upload_document(
        cast.db, storage=cast.storage, actor=owner, application_id=app_id,
        kind=DocumentKind.CATEGORY_QUALIFICATION, qualification="food_business_licence",
        holder=LEGAL[XIAOMEI].legal_name, now=started, audit=cast.audit(owner),
        valid_until=(cast.now + timedelta(days=800)).date(),
    )  # fmt: skip
    status = await submit_application(
        cast.db, actor=owner, application_id=app_id, now=started + timedelta(hours=2),
        audit=cast.audit(owner),
    )  # fmt: skip
    assert status is ApplicationStatus.UNDER_REVIEW, status
    return app_id
