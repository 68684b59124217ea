"""The public catalog: a product, a category's products (and everything below it), a shop's
products. Live products of live shops only; anything else is 404, except that a shop's own
team and operators may read their hidden products (a preview), as on the pages.

Titles come in the requested language (`lang`), else in the product's default language."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery, Parameter

from galerie.catalog import (
    MAX_PER_PAGE,
    CardPage,
    ProductCard,
    ProductPage,
    ProductSort,
    category_listing,
    live_shop_products,
)
from galerie.kernel import DomainError, NotFound
from galerie.sellers import shop_by_slug
from galerie.web.api.v1.wire import Money
from galerie.web.auth import galerie_of, principal_of, public
from galerie.web.i18n import supported
from galerie.web.storefront.catalog_support import MAX_PAGE, card_image_url, image_url
from galerie.web.storefront.products import visible_product

Page = Annotated[int, Parameter(ge=1, le=MAX_PAGE)]
PerPage = Annotated[int, Parameter(ge=1, le=MAX_PER_PAGE)]
Language = Annotated[str | None, Parameter(description="zh-CN, en or fr")]


class Named(msgspec.Struct, frozen=True):
    id: int
    name: str


class ShopRef(msgspec.Struct, frozen=True):
    slug: str
    name: str
    shop_type: str | None = None


class ProductCardOut(msgspec.Struct, frozen=True):
    id: int
    title: str
    min_price: Money
    max_price: Money
    shop: ShopRef
    thumbnail_url: str | None


class CardPageOut(msgspec.Struct, frozen=True):
    items: list[ProductCardOut]
    page: int
    per_page: int
    has_more: bool


class CategoryProductsOut(msgspec.Struct, frozen=True):
    category: Named
    breadcrumb: list[Named]
    children: list[Named]
    products: CardPageOut


class ImageOut(msgspec.Struct, frozen=True):
    url: str | None
    thumbnail_url: str | None


class VariantOut(msgspec.Struct, frozen=True):
    id: int
    options: dict[str, str]
    price: Money
    availability: str
    left: int | None


class AttributeOut(msgspec.Struct, frozen=True):
    code: str
    name: str
    value: str


class ProductOut(msgspec.Struct, frozen=True):
    id: int
    title: str
    description: str
    language: str
    min_price: Money
    max_price: Money
    brand: str | None
    return_exclusion: str | None
    option_axes: list[str]
    attributes: list[AttributeOut]
    breadcrumb: list[Named]
    shop: ShopRef
    images: list[ImageOut]
    variants: list[VariantOut]
    public: bool


def _language(request: Request[Any, Any, Any], lang: str | None) -> str:
    if lang is None:
        return galerie_of(request).settings.default_language
    language = supported(lang)
    if language is None:
        raise DomainError("lang must be zh-CN, en or fr.", code="bad_language")
    return language


def _card(card: ProductCard) -> ProductCardOut:
    return ProductCardOut(
        id=card.id,
        title=card.title,
        min_price=Money(card.min_price_minor, card.currency),
        max_price=Money(card.max_price_minor, card.currency),
        shop=ShopRef(card.shop_slug, card.shop_name),
        thumbnail_url=card_image_url(card.image),
    )


def _cards(page: CardPage) -> CardPageOut:
    return CardPageOut([_card(c) for c in page.cards], page.number, page.per_page, page.has_more)


def product_out(page: ProductPage) -> ProductOut:
    images = [
        ImageOut(
            image_url(i.id, has_file=i.has_file, source_url=i.source_url, thumb=False),
            image_url(
                i.id, has_file=i.has_thumbnail or i.has_file, source_url=i.source_url,
                thumb=i.has_thumbnail,
            ),
        )
        for i in page.images
    ]  # fmt: skip
    variants = [
        VariantOut(
            v.id, v.options, Money(v.price_minor, v.currency), v.availability,
            v.available if v.availability == "low" else None,
        )
        for v in page.variants
    ]  # fmt: skip
    return ProductOut(
        id=page.id, title=page.title, description=page.description,
        language=page.text_language, min_price=Money(page.min_price_minor, page.currency),
        max_price=Money(page.max_price_minor, page.currency), brand=page.brand,
        return_exclusion=page.return_exclusion, option_axes=page.option_axes,
        attributes=[AttributeOut(a.code, a.name, a.value) for a in page.attributes],
        breadcrumb=[Named(c.id, c.name) for c in page.breadcrumb],
        shop=ShopRef(page.shop.slug, page.shop.name, page.shop.shop_type),
        images=images, variants=variants, public=page.public,
    )  # fmt: skip


class CatalogController(Controller):
    path = ""
    tags = ["catalog"]  # noqa: RUF012 - Litestar's API

    @get("/products/{product_id:int}", opt=public(), summary="A live product of a live shop")
    async def product(
        self, request: Request[Any, Any, Any], product_id: FromPath[int], lang: Language = None
    ) -> ProductOut:
        found = await visible_product(request, product_id, _language(request, lang))
        return product_out(found)

    @get(
        "/categories/{category_id:int}/products",
        opt=public(),
        summary="Live products of a category and of every category below it",
    )
    async def category_products(
        self,
        request: Request[Any, Any, Any],
        category_id: FromPath[int],
        sort: FromQuery[ProductSort] = ProductSort.NEWEST,
        page: Page = 1,
        per_page: PerPage = 24,
        lang: Language = None,
    ) -> CategoryProductsOut:
        listing = await category_listing(
            galerie_of(request).db, category_id=category_id, language=_language(request, lang),
            sort=sort, number=page, per_page=per_page, with_counts=False,
        )  # fmt: skip
        if listing is None:
            raise NotFound("No such category.", code="category_not_found")
        return CategoryProductsOut(
            category=Named(listing.category.id, listing.category.name),
            breadcrumb=[Named(c.id, c.name) for c in listing.breadcrumb],
            children=[Named(c.id, c.name) for c in listing.children],
            products=_cards(listing.page),
        )

    @get("/shops/{slug:str}/products", opt=public(), summary="Live products of a live shop")
    async def shop_products(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        sort: FromQuery[ProductSort] = ProductSort.NEWEST,
        page: Page = 1,
        per_page: PerPage = 24,
        lang: Language = None,
    ) -> CardPageOut:
        galerie = galerie_of(request)
        async with galerie.db.reading() as session:
            shop = await shop_by_slug(session, slug=slug, viewer=principal_of(request))
        if shop is None:
            raise NotFound("No such shop.", code="shop_not_found")
        found = await live_shop_products(
            galerie.db, shop_id=shop.id, language=_language(request, lang), sort=sort,
            number=page, per_page=per_page,
        )  # fmt: skip
        return _cards(found)
