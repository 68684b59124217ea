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

__all__ = [
    "CategoryView",
    "categories_by_ids",
    "get_category",
    "import_google_taxonomy",
    "localised_name",
    "required_qualification",
    "top_level_categories",
    "top_level_of",
]
