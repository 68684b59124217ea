"""Category pages for shoppers: the top-level categories, and each category with its
children (and how many live products each holds), a grid of product cards from the
category and everything below it, sorts and pages. Straight from the products table, no
full-text search (search has its own page)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from galerie.catalog import category_listing, category_roots
from galerie.web.auth import galerie_of, public
from galerie.web.i18n import language_of
from galerie.web.rendering import render
from galerie.web.storefront.catalog_support import (
    PAGE_SIZE,
    cards_context,
    not_found,
    page_number,
    sort_of,
)


@get("/categories", opt=public(), include_in_schema=False, name="categories")
async def categories_page(request: Request[Any, Any, Any]) -> Template:
    roots = await category_roots(galerie_of(request).db, language=language_of(request))
    return render("storefront/categories.html", roots=roots)


@get("/categories/{category_id:int}", opt=public(), include_in_schema=False, name="category")
async def category_page(request: Request[Any, Any, Any], category_id: FromPath[int]) -> Template:
    query = request.query_params
    sort = sort_of(query.get("sort"))
    number = page_number(query.get("page"))
    listing = await category_listing(
        galerie_of(request).db,
        category_id=category_id,
        language=language_of(request),
        sort=sort,
        number=number,
        per_page=PAGE_SIZE,
    )
    if listing is None:
        raise not_found()
    return render(
        "storefront/category.html",
        listing=listing,
        sort=sort.value,
        base=f"/categories/{category_id}",
        **cards_context(request, listing.page),
    )
