"""The CatalogWriter backed by galerie.catalog (validate_product_draft and save_product).

The catalog functions are looked up when first called, so this module imports and
type-checks before they exist; `catalog_writer_available()` says whether they do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from galerie.catalog.drafts import ProductDraft
from galerie.db import Database
from galerie.imports.ports import CatalogWriter, DraftProblemLike, SavedProductLike
from galerie.kernel import DomainError


def _catalog_function(name: str) -> Callable[..., Any] | None:
    import galerie.catalog

    found = getattr(galerie.catalog, name, None)
    return found if callable(found) else None


def catalog_writer_available() -> bool:
    return all(_catalog_function(n) for n in ("validate_product_draft", "save_product"))


class CatalogServiceWriter:
    """Delegates to galerie.catalog.validate_product_draft and save_product."""

    async def validate_product_draft(
        self, db: Database, *, shop_id: int, draft: ProductDraft
    ) -> tuple[DraftProblemLike, ...]:
        validate = _required("validate_product_draft")
        problems: tuple[DraftProblemLike, ...] = tuple(
            await validate(db, shop_id=shop_id, draft=draft)
        )
        return problems

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
        save = _required("save_product")
        saved: SavedProductLike = await save(
            db, actor_user_id=actor_user_id, shop_id=shop_id, draft=draft, now=now, submit=submit
        )
        return saved


def _required(name: str) -> Callable[..., Any]:
    found = _catalog_function(name)
    if found is None:
        raise DomainError(
            f"galerie.catalog.{name} is not available in this build", code="catalog_unavailable"
        )
    return found


def catalog_writer() -> CatalogWriter:
    """The writer the app and the worker use."""
    return CatalogServiceWriter()
