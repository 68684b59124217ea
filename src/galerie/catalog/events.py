"""Catalog events, written to the outbox in the transaction that caused them. The search
index follows the catalog through these (search re-reads the product by id, so a payload
never carries stale content). Shop status changes come from the sellers domain's shop events."""

from __future__ import annotations

from galerie.kernel import DomainEvent


class ProductChanged(DomainEvent, frozen=True, kw_only=True):
    """A product's content, variants, images or listing status changed (created included).
    Consumers re-read the product; a product that is no longer shown to shoppers is removed
    from what they keep."""

    product_id: int
    shop_id: int
    status: str
