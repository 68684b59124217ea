"""A shop's logo and banner: uploaded by its seller (SELLER_CATALOG_MANAGE), checked by
content (a real PNG or JPEG, decoded in full, not a decompression bomb), stored through the
storage port under a content-addressed key, then recorded on the shop with one audit record
and one ShopDecorated event. A refused file stores and changes nothing."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Final

from galerie.audit import AuditContext, record_audit
from galerie.catalog import check_image
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity import Principal
from galerie.kernel import Conflict, ValidationFailed
from galerie.sellers.access import guard
from galerie.sellers.events import ShopDecorated
from galerie.sellers.models import Shop
from galerie.sellers.shops import TARGET, shop_owner
from galerie.sellers.states import APPLICANT, ShopStatus
from galerie.storage import FileStorage

PICTURE_KINDS: Final = ("logo", "banner")
PICTURE_TYPES: Final = {"image/png": "png", "image/jpeg": "jpg"}


async def set_shop_picture(
    db: Database,
    storage: FileStorage,
    *,
    actor: Principal,
    shop_id: int,
    kind: str,
    data: bytes,
    now: datetime,
    audit: AuditContext,
) -> str:
    """Store `data` as the shop's logo or banner and return its storage key."""
    if kind not in PICTURE_KINDS:
        raise ValidationFailed("Choose the logo or the banner.", code="bad_picture", field="kind")
    org = await shop_owner(db, actor, shop_id)
    action = f"sellers.shop.{kind}"
    context = await guard(
        db,
        actor=actor,
        permission=APPLICANT,
        organisation_id=org,
        audit=audit,
        action=action,
        now=now,
        target=(TARGET, shop_id),
    )
    checked = check_image(data)
    extension = PICTURE_TYPES.get(checked.content_type)
    if extension is None:
        raise ValidationFailed(
            "Only PNG and JPEG pictures are accepted.", code="unsupported_image", field="file"
        )
    digest = hashlib.sha256(data).hexdigest()[:20]
    key = f"shops/{shop_id}/{kind}-{digest}.{extension}"
    async with db.transaction() as session:
        shop = await session.get(Shop, shop_id, with_for_update=True)
        assert shop is not None  # shop_owner found it
        if shop.status == ShopStatus.CLOSED:
            raise Conflict("This shop is closed.", code="shop_closed")
        await storage.put(key, data, content_type=checked.content_type)
        if kind == "logo":
            shop.logo_key = key
        else:
            shop.banner_key = key
        shop.updated_at = now
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=shop_id,
            details={"organisation_id": org, "key": key, "width": checked.width},
        )
        record_event(
            session,
            ShopDecorated(shop_id=shop_id, organisation_id=org, actor_user_id=actor.user_id),
            now=now,
        )
    return key
