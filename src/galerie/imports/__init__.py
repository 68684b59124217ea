"""Bulk import and export of a shop's catalog: Google Merchant Center feeds (TSV, XML),
Shopify product CSV and our own JSON, parsed to rows (rows, google, shopify, jsonfeed),
mapped to ProductDrafts (mapping), run as background jobs (runner) through the catalog port
(ports; catalog_adapter is the real catalog), and exported in the same formats (export).
Public surface."""

from galerie.imports.catalog_adapter import catalog_writer
from galerie.imports.mapping import Lookups, ProductGroup, build_groups, gtin_valid, parse_price
from galerie.imports.parsing import detect_format, parse_feed
from galerie.imports.ports import CatalogWriter, DraftProblemLike, SavedProductLike
from galerie.imports.queries import (
    ImportJobView,
    MappingView,
    RowErrorView,
    job_errors,
    job_view,
    own_job,
    own_shop,
    shop_jobs,
    shop_mappings,
)
from galerie.imports.rows import (
    MAX_FILE_BYTES,
    FeedRow,
    FileRefused,
    ImportFormat,
    ImportMode,
    ParsedFeed,
    RowProblem,
)
from galerie.imports.runner import ImportRunner
from galerie.imports.services import (
    ExportFile,
    apply_import,
    export_shop_catalog,
    map_category,
    request_import,
    unmap_category,
)

__all__ = [
    "MAX_FILE_BYTES",
    "CatalogWriter",
    "DraftProblemLike",
    "ExportFile",
    "FeedRow",
    "FileRefused",
    "ImportFormat",
    "ImportJobView",
    "ImportMode",
    "ImportRunner",
    "Lookups",
    "MappingView",
    "ParsedFeed",
    "ProductGroup",
    "RowErrorView",
    "RowProblem",
    "SavedProductLike",
    "apply_import",
    "build_groups",
    "catalog_writer",
    "detect_format",
    "export_shop_catalog",
    "gtin_valid",
    "job_errors",
    "job_view",
    "map_category",
    "own_job",
    "own_shop",
    "parse_feed",
    "parse_price",
    "request_import",
    "shop_jobs",
    "shop_mappings",
    "unmap_category",
]
