"""The normalised row every feed format parses to, the problems found on rows, the formats
and the limits. Pure values, no I/O.

A `FeedRow` is one variant (SKU) of one product: its 1-based row number in the source (the
line of a TSV/CSV data row counting the header as row 1, the item's position in an XML feed,
the product's position in a JSON list), the product it belongs to (`product_ref`) and its
fields as text, not yet checked. Mapping turns the rows of one product into a ProductDraft."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from galerie.kernel import ValidationFailed

LANGUAGES = ("zh-CN", "en", "fr")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_FIELD = 10_000  # any one field, in characters
MAX_TITLE = 300
MAX_DESCRIPTION = 5_000
MAX_REF = 64
MAX_URL = 2_000
MAX_IMAGES = 10
MAX_NAME = 200  # brands, option values, category texts


class ImportFormat(StrEnum):
    GOOGLE_TSV = "google_tsv"
    GOOGLE_XML = "google_xml"
    SHOPIFY_CSV = "shopify_csv"
    JSON = "json"


class ImportMode(StrEnum):
    DRY_RUN = "dry_run"
    APPLY = "apply"


class FileRefused(ValidationFailed):
    """The whole file is refused (too big, not UTF-8, malformed, wrong header): one clear
    error, nothing stored, no job."""

    default_code = "import_file_refused"

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, code=code, field="file")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row (or the product group starting on it) cannot be imported. `row_number` 0
    means the whole file."""

    row_number: int
    field: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class FeedRow:
    row_number: int
    product_ref: str
    seller_sku: str
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    default_language: str = ""
    brand: str = ""
    category: str = ""  # a Google id, a Google path or the seller's own category text
    product_type: str = ""  # the seller's own category text, used when `category` is empty
    price: str = ""  # "12.50 EUR"; a bare "12.50" takes the shop's currency
    sale_price: str = ""
    gtin: str = ""
    weight: str = ""  # "500 g", "1.2 kg", "12 oz", "2 lb"; a bare number is grams
    options: dict[str, str] = field(default_factory=dict)  # axis -> value, in axis order
    images: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)
    return_exclusion: str = ""
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    format: ImportFormat
    rows: tuple[FeedRow, ...]


def too_long(row_number: int, name: str, value: str, limit: int) -> RowProblem | None:
    if len(value) > limit:
        return RowProblem(row_number, name, "too_long", f"{name} is longer than {limit} characters")
    return None
