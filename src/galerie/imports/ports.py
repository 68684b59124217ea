"""What imports need from the catalog, as a port: checking a draft and saving it. The real
implementation is galerie.catalog's validate_product_draft and save_product (see
imports.catalog_adapter); tests pass a small recording writer."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from galerie.catalog.drafts import ProductDraft
from galerie.db import Database


class DraftProblemLike(Protocol):
    """catalog's DraftProblem: which field of the draft, a stable code, a message."""

    @property
    def field(self) -> str: ...

    @property
    def code(self) -> str: ...

    @property
    def message(self) -> str: ...


class SavedProductLike(Protocol):
    """catalog's SavedProduct: outcome is "created", "updated" or "unchanged"."""

    @property
    def product_id(self) -> int: ...

    @property
    def outcome(self) -> str: ...

    @property
    def status(self) -> str: ...


class CatalogWriter(Protocol):
    async def validate_product_draft(
        self, db: Database, *, shop_id: int, draft: ProductDraft
    ) -> tuple[DraftProblemLike, ...]:
        """Read-only: every problem of the draft for the shop (empty when it may be saved)."""
        ...

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
        """One transaction: an upsert on the shop's seller_ref; raises a DomainError and
        writes nothing when the draft is invalid."""
        ...
