"""The product page for shoppers, in at most three statements (ADR 0005): the product's
state (`product_state`: its variants with stock available summed over active warehouses,
and the columns a rendered page depends on besides its texts, images and attributes, which
every edit covers by raising `products.version`); the product with its texts (the requested
language, else the product's default language), shop card, brand and images; and the
category tree when the in-process copy is cold (breadcrumb and attribute labels). The state
alone tells whether a page rendered earlier is still current (web.storefront.products).

Also the one lookup of a product image for the public image route."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from galerie.catalog.storefront_queries import Crumb, is_public
from galerie.catalog.storefront_tree import storefront_cache
from galerie.db import Database

LOW_STOCK: Final = 5

IMAGES_JSON: Final = {
    "sqlite": """(SELECT json_group_array(json_array(i.id, i.storage_key IS NOT NULL,
        i.thumbnail_key IS NOT NULL, i.source_url, i.width, i.height))
        FROM (SELECT * FROM product_images WHERE product_id = p.id ORDER BY position, id) i)""",
    "postgresql": """(SELECT json_agg(json_build_array(i.id, i.storage_key IS NOT NULL,
        i.thumbnail_key IS NOT NULL, i.source_url, i.width, i.height) ORDER BY i.position, i.id)
        FROM product_images i WHERE i.product_id = p.id)""",
}

PRODUCT_SQL: Final = """
SELECT p.id, p.status, p.category_id, p.default_language, p.return_exclusion, p.option_axes,
       p.attributes, p.currency, p.min_price_minor, p.max_price_minor, p.rating_count,
       p.rating_sum, COALESCE(t.title, d.title, ''), COALESCE(t.description, d.description, ''),
       COALESCE(t.language, d.language, p.default_language),
       s.id, s.name, s.slug, s.shop_type, s.status, s.organisation_id, s.logo_key, b.name,
       {images}
FROM products p
JOIN shops s ON s.id = p.shop_id
LEFT JOIN brands b ON b.id = p.brand_id
LEFT JOIN product_texts t ON t.product_id = p.id AND t.language = $2
LEFT JOIN product_texts d ON d.product_id = p.id AND d.language = p.default_language
WHERE p.id = $1
"""

VARIANTS_SQL: Final = """
SELECT k.id, k.options, k.price_minor, k.currency,
       COALESCE((SELECT SUM(l.available) FROM stock_levels l
                 JOIN warehouses w ON w.id = l.warehouse_id AND w.is_active
                 WHERE l.sku_id = k.id), 0)
FROM skus k
WHERE k.product_id = $1 AND k.is_active
ORDER BY k.position, k.id
"""

STATE_SQL: Final = """
SELECT p.status, s.status, s.organisation_id, p.version, p.category_id, p.currency,
       p.min_price_minor, p.max_price_minor, p.rating_count, p.rating_sum, s.name, s.slug,
       s.shop_type, s.logo_key, b.name,
       k.id, k.options, k.price_minor, k.currency,
       COALESCE((SELECT SUM(l.available) FROM stock_levels l
                 JOIN warehouses w ON w.id = l.warehouse_id AND w.is_active
                 WHERE l.sku_id = k.id), 0)
FROM products p
JOIN shops s ON s.id = p.shop_id
LEFT JOIN brands b ON b.id = p.brand_id
LEFT JOIN skus k ON k.product_id = p.id AND k.is_active
WHERE p.id = $1
ORDER BY k.position, k.id
"""
_SKU = 15  # where the variant columns start in a STATE_SQL row

IMAGE_SQL: Final = """
SELECT i.storage_key, i.thumbnail_key, p.status, s.status, s.organisation_id
FROM product_images i
JOIN products p ON p.id = i.product_id
JOIN shops s ON s.id = p.shop_id
WHERE i.id = $1
"""

COVER_SQL: Final = """
SELECT i.storage_key, i.thumbnail_key, p.status, s.status, s.organisation_id
FROM product_images i
JOIN products p ON p.id = i.product_id
JOIN shops s ON s.id = p.shop_id
WHERE i.product_id = $1
ORDER BY i.position, i.id
LIMIT 1
"""


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


@dataclass(frozen=True, slots=True)
class ShopCard:
    id: int
    name: str
    slug: str
    shop_type: str
    status: str
    organisation_id: int
    has_logo: bool


@dataclass(frozen=True, slots=True)
class ProductImageView:
    id: int
    has_file: bool
    has_thumbnail: bool
    source_url: str | None
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class Variant:
    id: int
    options: dict[str, str]
    price_minor: int
    currency: str
    available: int

    @property
    def availability(self) -> str:
        """in_stock, low (only a few left: `available` says how many) or out_of_stock."""
        if self.available <= 0:
            return "out_of_stock"
        return "low" if self.available <= LOW_STOCK else "in_stock"


@dataclass(frozen=True, slots=True)
class AttributeRow:
    code: str
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ProductPage:
    id: int
    status: str
    title: str
    description: str
    text_language: str
    currency: str
    min_price_minor: int
    max_price_minor: int
    rating_count: int
    rating_sum: int
    return_exclusion: str | None
    option_axes: list[str]
    attributes: list[AttributeRow]
    brand: str | None
    shop: ShopCard
    category_id: int
    breadcrumb: list[Crumb]
    images: list[ProductImageView]
    variants: list[Variant]

    @property
    def public(self) -> bool:
        """Whether shoppers may see it: a live product of a live shop."""
        return is_public(self.status, self.shop.status)

    @property
    def available(self) -> int:
        return sum(v.available for v in self.variants)


def _value(value: Any, unit: str | None) -> str:
    if isinstance(value, bool):
        text = "✓" if value else "✗"
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    return f"{text} {unit}" if unit and not isinstance(value, bool) else text


def _images(raw: Any) -> list[ProductImageView]:
    items = _json(raw) or []
    return [ProductImageView(int(i[0]), bool(i[1]), bool(i[2]), i[3], i[4], i[5]) for i in items]


def _variant(row: Any) -> Variant:
    options = _json(row[1]) or {}
    return Variant(int(row[0]), dict(options), int(row[2]), row[3], int(row[4]))


@dataclass(frozen=True, slots=True)
class ProductState:
    """What a product page depends on besides texts, images and attributes (`version`
    stands for those), read in one statement: equal stamps, equal pages."""

    public: bool
    organisation_id: int
    stamp: tuple[Any, ...]
    skus: tuple[tuple[Any, ...], ...]  # the variant rows, as read

    @property
    def variants(self) -> list[Variant]:
        """Parsed only when a page is built (not when a rendered one is reused)."""
        return [_variant(sku) for sku in self.skus]


async def product_state(db: Database, *, product_id: int) -> ProductState | None:
    """The product's state in any status, or None if it does not exist. One statement
    (two when the in-process category tree is cold: its age is part of the stamp)."""
    async with db.hot_reads() as reader:
        rows = await reader.fetch(STATE_SQL, product_id)
        if not rows:
            return None
        cache = storefront_cache(db)
        await cache.category_tree(reader)
    first = rows[0]
    skus = tuple(tuple(row[_SKU:]) for row in rows if row[_SKU] is not None)
    return ProductState(
        public=is_public(str(first[0]), str(first[1])),
        organisation_id=int(first[2]),
        stamp=(*first[:_SKU], skus, cache.loaded_at),
        skus=skus,
    )


async def product_page(
    db: Database, *, product_id: int, language: str, state: ProductState | None = None
) -> ProductPage | None:
    """The product in any status (see `ProductPage.public`), or None if it does not exist.
    With its `state` already read, the variants are not read again."""
    async with db.hot_reads() as reader:
        sql = PRODUCT_SQL.format(images=IMAGES_JSON[reader.dialect])
        row = await reader.fetchrow(sql, product_id, language)
        if row is None:
            return None
        if state is None:
            variants = [_variant(v) for v in await reader.fetch(VARIANTS_SQL, product_id)]
        else:
            variants = state.variants
        tree = await storefront_cache(db).category_tree(reader)
    labels = tree.attribute_labels(row[2])
    attributes = []
    for code, value in (_json(row[6]) or {}).items():
        label = labels.get(code)
        name = label.name(language) if label else code.replace("_", " ").capitalize()
        attributes.append(AttributeRow(code, name, _value(value, label.unit if label else None)))
    shop = ShopCard(row[15], row[16], row[17], row[18], row[19], row[20], row[21] is not None)
    return ProductPage(
        id=row[0], status=row[1], title=row[12], description=row[13], text_language=row[14],
        currency=row[7], min_price_minor=row[8], max_price_minor=row[9], rating_count=row[10],
        rating_sum=row[11], return_exclusion=row[4], option_axes=list(_json(row[5]) or []),
        attributes=attributes, brand=row[22], shop=shop, category_id=row[2],
        breadcrumb=[Crumb(n.id, n.name(language)) for n in tree.ancestors(row[2])],
        images=_images(row[23]), variants=variants,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ImageFile:
    storage_key: str | None
    thumbnail_key: str | None
    public: bool
    organisation_id: int


async def product_image_file(db: Database, *, image_id: int) -> ImageFile | None:
    """The storage keys of a product image, whether shoppers may see it (a live product of
    a live shop) and the owning organisation (for previews). One statement."""
    async with db.hot_reads() as reader:
        row = await reader.fetchrow(IMAGE_SQL, image_id)
    return _image_file(row)


async def product_cover_file(db: Database, *, product_id: int) -> ImageFile | None:
    """The first image of a product (the cover a card shows), like product_image_file."""
    async with db.hot_reads() as reader:
        row = await reader.fetchrow(COVER_SQL, product_id)
    return _image_file(row)


def _image_file(row: Any) -> ImageFile | None:
    if row is None:
        return None
    return ImageFile(row[0], row[1], is_public(row[2], row[3]), int(row[4]))
