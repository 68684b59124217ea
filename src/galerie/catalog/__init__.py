"""Catalog: the category tree (Google's product taxonomy, keeping Google's ids). Public surface.

Import in services (one transaction); reads in queries; parsing and defaults in taxonomy."""

from galerie.catalog.queries import (
    CategoryView,
    categories_by_ids,
    get_category,
    localised_name,
    required_qualification,
    top_level_categories,
    top_level_of,
)
from galerie.catalog.services import import_google_taxonomy
from galerie.catalog.storefront_product import (
    ImageFile,
    ProductPage,
    Variant,
    product_image_file,
    product_page,
)
from galerie.catalog.storefront_queries import (
    MAX_PER_PAGE,
    CardImage,
    CardPage,
    CategoryListing,
    Crumb,
    ProductCard,
    ProductSort,
    category_listing,
    category_roots,
    listing_sql,
    shop_products,
)
from galerie.catalog.storefront_tree import forget_storefront_cache

__all__ = [
    "MAX_PER_PAGE",
    "CardImage",
    "CardPage",
    "CategoryListing",
    "CategoryView",
    "Crumb",
    "ImageFile",
    "ProductCard",
    "ProductPage",
    "ProductSort",
    "Variant",
    "categories_by_ids",
    "category_listing",
    "category_roots",
    "forget_storefront_cache",
    "get_category",
    "import_google_taxonomy",
    "listing_sql",
    "localised_name",
    "product_image_file",
    "product_page",
    "required_qualification",
    "shop_products",
    "top_level_categories",
    "top_level_of",
]
