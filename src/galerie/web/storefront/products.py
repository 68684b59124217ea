"""The product page (gallery, variant picker, price, stock, the shop card, breadcrumb) and
the public route of product images.

A product that is not live, or whose shop is not live, is the same 404 as a product that
never existed, except for the shop's own team and operators, who see it with a preview
banner. Images follow the same rule; those of public products are cache-friendly."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template
from markupsafe import Markup

from galerie.catalog import (
    ImageFile,
    ProductPage,
    Variant,
    product_cover_file,
    product_image_file,
    product_page,
    product_state,
)
from galerie.kernel import NotFound
from galerie.storage import sniff_content_type
from galerie.web.auth import galerie_of, principal_of, public
from galerie.web.i18n import gettext, language_of
from galerie.web.rendering import render
from galerie.web.storefront.catalog_support import (
    RETURN_EXCLUSIONS,
    format_price,
    image_url,
    may_preview,
    not_found,
    price_text,
)
from galerie.web.storefront.page_cache import CSRF_MARK, RenderedProduct, product_pages_of
from galerie.web.storefront.shops import SHOP_TYPE_LABELS

IMAGE_TYPES: Final = frozenset({"image/png", "image/jpeg"})
PUBLIC_CACHE: Final = "public, max-age=86400"
MAX_PRODUCT_ID: Final = 2**63 - 1


async def visible_product(
    request: Request[Any, Any, Any], product_id: int, language: str
) -> ProductPage:
    """The product if the caller may see it (public, or a preview for its team), else 404."""
    if not 0 < product_id <= MAX_PRODUCT_ID:
        raise not_found()
    page = await product_page(galerie_of(request).db, product_id=product_id, language=language)
    if page is None or (
        not page.public and not may_preview(principal_of(request), page.shop.organisation_id)
    ):
        raise not_found()
    return page


def availability_text(variant: Variant) -> str:
    if variant.availability == "out_of_stock":
        return gettext("Out of stock")
    if variant.availability == "low":
        return gettext("Only %(num)d left", num=variant.available)
    return gettext("In stock")


def variant_label(page: ProductPage, variant: Variant) -> str:
    return " / ".join(variant.options.get(axis, "") for axis in page.option_axes)


def _axes(page: ProductPage) -> list[tuple[str, list[str]]]:
    """Each option axis with its values, in the order the variants give them."""
    axes = []
    for axis in page.option_axes:
        values: list[str] = []
        for variant in page.variants:
            value = variant.options.get(axis)
            if value is not None and value not in values:
                values.append(value)
        axes.append((axis, values))
    return axes


def _variants_json(request: Request[Any, Any, Any], page: ProductPage) -> list[dict[str, Any]]:
    """What the picker's script needs, already formatted and translated."""
    return [
        {
            "id": v.id,
            "options": v.options,
            "price": format_price(language_of(request), v.price_minor, v.currency),
            "availability": availability_text(v),
            "state": v.availability,
        }
        for v in page.variants
    ]


def _chosen_image(request: Request[Any, Any, Any], page: ProductPage) -> int:
    value = request.query_params.get("image", "0")
    index = int(value) if value.isdigit() else 0
    return index if index < len(page.images) else 0


def _content(request: Request[Any, Any, Any], page: ProductPage) -> str:
    """The page's content with CSRF_MARK where each request's CSRF input goes."""
    images = [
        (
            image_url(i.id, has_file=i.has_file, source_url=i.source_url, thumb=False),
            image_url(
                i.id, has_file=i.has_thumbnail or i.has_file, source_url=i.source_url,
                thumb=i.has_thumbnail,
            ),
        )
        for i in page.images
    ]  # fmt: skip
    language = language_of(request)
    engine = request.app.template_engine
    assert engine is not None, "the app is built with its template engine"
    template = engine.get_template("storefront/product_content.html")
    return str(
        template.render(
            request=request,
            product=page,
            price=price_text(request, page.min_price_minor, page.max_price_minor, page.currency),
            images=images,
            chosen_image=_chosen_image(request, page),
            axes=_axes(page),
            variants=[
                (
                    v,
                    variant_label(page, v),
                    format_price(language, v.price_minor, v.currency),
                    availability_text(v),
                )
                for v in page.variants
            ],
            variants_json=_variants_json(request, page),
            return_note=RETURN_EXCLUSIONS.get(page.return_exclusion or ""),
            type_labels=SHOP_TYPE_LABELS,
            available=page.available,
            csrf_input=Markup(CSRF_MARK),  # noqa: S704 - our own constant
        )
    )


async def _rendered(
    request: Request[Any, Any, Any], product_id: int, language: str
) -> RenderedProduct:
    """The product's content as rendered for this kind of visitor, from the page cache
    while the product's state is unchanged (one statement), else read and rendered."""
    db = galerie_of(request).db
    principal = principal_of(request)
    cache = product_pages_of(db)
    key = (product_id, language, principal is not None, request.query_params.get("image", ""))
    recent = cache.fresh(key)
    if recent is not None:
        return recent
    state = await product_state(db, product_id=product_id)
    if state is None:
        raise not_found()
    if not state.public and not may_preview(principal, state.organisation_id):
        raise not_found()
    found = cache.get(key) if state.public else None
    if found is not None and found.stamp == state.stamp:
        found = replace(found, checked_at=cache.clock())
        cache.put(key, found)
        return found
    page = await product_page(db, product_id=product_id, language=language, state=state)
    if page is None:
        raise not_found()
    # the output of an autoescaping template: safe HTML already
    parts = tuple(Markup(part) for part in _content(request, page).split(CSRF_MARK))  # noqa: S704
    rendered = RenderedProduct(state.stamp, page.title, parts, cache.clock())
    if state.public:
        cache.put(key, rendered)
    return rendered


@get("/products/{product_id:int}", opt=public(), include_in_schema=False, name="product")
async def product_view(request: Request[Any, Any, Any], product_id: FromPath[int]) -> Template:
    if not 0 < product_id <= MAX_PRODUCT_ID:
        raise not_found()
    rendered = await _rendered(request, product_id, language_of(request))
    return render(
        "storefront/product.html", title=rendered.title, content_parts=rendered.content_parts
    )


@get(
    "/images/products/{image_id:int}/{size:str}",
    # No CSRF cookie on a read-only image: a Set-Cookie would keep shared caches off it.
    opt={**public(), "exclude_from_csrf": True},
    include_in_schema=False,
    name="product_image",
)
async def product_image(
    request: Request[Any, Any, Any], image_id: FromPath[int], size: FromPath[str]
) -> Response[bytes]:
    """A product image (`full`) or its thumbnail (`thumb`), PNG or JPEG checked by content.
    Public and cacheable for a live product of a live shop; private for a preview."""
    if size not in ("full", "thumb") or not 0 < image_id <= MAX_PRODUCT_ID:
        raise not_found()
    galerie = galerie_of(request)
    return await _image_response(
        request, await product_image_file(galerie.db, image_id=image_id), size
    )


@get(
    "/images/product-covers/{product_id:int}/{size:str}",
    opt={**public(), "exclude_from_csrf": True},
    include_in_schema=False,
    name="product_cover",
)
async def product_cover(
    request: Request[Any, Any, Any], product_id: FromPath[int], size: FromPath[str]
) -> Response[bytes]:
    """A product's first image (what search cards show), on the same terms as product_image."""
    if size not in ("full", "thumb") or not 0 < product_id <= MAX_PRODUCT_ID:
        raise not_found()
    galerie = galerie_of(request)
    return await _image_response(
        request, await product_cover_file(galerie.db, product_id=product_id), size
    )


async def _image_response(
    request: Request[Any, Any, Any], found: ImageFile | None, size: str
) -> Response[bytes]:
    if found is None or (
        not found.public and not may_preview(principal_of(request), found.organisation_id)
    ):
        raise not_found()
    key = found.thumbnail_key if size == "thumb" else found.storage_key
    if key is None:
        raise not_found()
    try:
        data = await galerie_of(request).storage.get(key)
    except NotFound:
        raise not_found() from None
    content_type = sniff_content_type(data)
    if content_type not in IMAGE_TYPES:
        raise not_found()
    cache = PUBLIC_CACHE if found.public else "private, no-store"
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": cache}
    return Response(data, media_type=content_type, headers=headers)
