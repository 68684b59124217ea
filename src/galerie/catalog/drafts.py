"""What a seller submits for a product, from a form, the API or an import row group: plain
frozen values, validated by catalog.rules and saved by catalog.save_product (an upsert on the
shop's `seller_ref`, so saving the same draft twice changes nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from galerie.kernel import Money


@dataclass(frozen=True, slots=True)
class VariantDraft:
    """One SKU: its code (unique within the shop), one value per option axis of the product,
    its price in the shop's pricing currency, and optional GTIN and weight."""

    seller_sku: str
    price: Money
    options: Mapping[str, str] = field(default_factory=dict)
    gtin: str | None = None
    weight_grams: int | None = None


@dataclass(frozen=True, slots=True)
class ImageDraft:
    """An image already stored through the storage port (`storage_key`) or, for imports whose
    pictures are not fetched, a `source_url`."""

    storage_key: str | None = None
    thumbnail_key: str | None = None
    source_url: str | None = None
    content_type: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class ProductDraft:
    """A whole product. `titles` and `descriptions` map a language (zh-CN, en, fr) to text;
    `default_language` must have a title. `option_axes` name the variant axes in order
    (["size", "colour"]); every variant has exactly one value per axis.
    `return_exclusion` is None or custom_made / perishable / opened_media."""

    seller_ref: str
    category_id: int
    default_language: str
    titles: Mapping[str, str]
    variants: tuple[VariantDraft, ...]
    descriptions: Mapping[str, str] = field(default_factory=dict)
    brand_id: int | None = None
    option_axes: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    images: tuple[ImageDraft, ...] = ()
    return_exclusion: str | None = None
