"""The CatalogWriter the app, the worker and the demo use: galerie.catalog's
validate_product_draft and save_product, as they are."""

from __future__ import annotations

from datetime import datetime

from galerie.catalog import save_product, validate_product_draft
from galerie.catalog.drafts import ProductDraft
from galerie.db import Database
from galerie.imports.ports import CatalogWriter, DraftProblemLike, SavedProductLike


class CatalogServiceWriter:
    """Delegates to galerie.catalog.validate_product_draft and save_product."""

    async def validate_product_draft(
        self, db: Database, *, shop_id: int, draft: ProductDraft
    ) -> tuple[DraftProblemLike, ...]:
        return await validate_product_draft(db, shop_id=shop_id, draft=draft)

    async def save_product(
        self,
        db: Database,
        *,
        actor_user_id: int | None,
        shop_id: int,
        draft: ProductDraft,
        now: datetime,
        submit: bool = True,
    ) -> SavedProductLike:
        return await save_product(
            db, actor_user_id=actor_user_id, shop_id=shop_id, draft=draft, now=now, submit=submit
        )


def catalog_writer() -> CatalogWriter:
    """The writer the app and the worker use."""
    return CatalogServiceWriter()
