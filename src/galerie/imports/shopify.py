"""Shopify's product CSV export, parsed to FeedRows.

The first row of a handle carries the product (Title, Body (HTML), Vendor, Product
Category, Type, Option1..3 Name) and its first variant; the following rows of the same
handle carry further variants (Option values, Variant SKU, Variant Price...) or only an
extra image (Image Src). Prices are bare amounts in the shop's currency; Variant Grams is
the weight. A single-variant product's "Title: Default Title" option is no option at all.
Our extensions: "Default Language", "Title (<lang>)" and "Body (HTML) (<lang>)" for the
other languages, "Attribute: <code>" columns and "Return Exclusion"."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace

from galerie.imports.rows import (
    LANGUAGES,
    MAX_ROWS,
    FeedRow,
    FileRefused,
    ImportFormat,
    ParsedFeed,
)
from galerie.imports.text import decode, html_to_text, language_code

REQUIRED_COLUMNS = ("Handle", "Title", "Variant SKU", "Variant Price")
ATTRIBUTE = "Attribute:"
AXES = {"color": "colour", "colour": "colour", "size": "size", "material": "material"}


def _axis(name: str) -> str:
    key = name.strip().lower()
    return AXES.get(key, key)


def _texts(cells: dict[str, str], column: str, language: str, html: bool) -> dict[str, str]:
    texts: dict[str, str] = {}
    for code, name in [(language, column)] + [(c, f"{column} ({c})") for c in LANGUAGES]:
        value = cells.get(name, "")
        value = html_to_text(value) if html else value.strip()
        if value and code not in texts:
            texts[code] = value
    return texts


def _product_fields(cells: dict[str, str], language: str) -> dict[str, object]:
    language = language_code(cells.get("Default Language", "")) or language
    return {
        "titles": _texts(cells, "Title", language, html=False),
        "descriptions": _texts(cells, "Body (HTML)", language, html=True),
        "default_language": language,
        "brand": cells.get("Vendor", "").strip(),
        "category": cells.get("Product Category", "").strip(),
        "product_type": cells.get("Type", "").strip(),
        "attributes": {
            name[len(ATTRIBUTE) :].strip(): value.strip()
            for name, value in cells.items()
            if name.startswith(ATTRIBUTE) and value.strip()
        },
        "return_exclusion": cells.get("Return Exclusion", "").strip(),
    }


def _options(cells: dict[str, str], names: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for n, name in enumerate(names, start=1):
        value = cells.get(f"Option{n} Value", "").strip()
        if name and value and not (name.lower() == "title" and value == "Default Title"):
            options[_axis(name)] = value
    return options


def _rows(reader: csv.DictReader[str], language: str) -> Iterator[FeedRow]:
    first: FeedRow | None = None
    names: list[str] = []
    count = 0
    for number, raw in enumerate(reader, start=2):
        cells = {k: v or "" for k, v in raw.items() if k is not None}
        handle = cells.get("Handle", "").strip()
        if not handle:
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileRefused(f"The file has more than {MAX_ROWS} rows.", code="too_many_rows")
        image = cells.get("Image Src", "").strip()
        is_variant = bool(
            cells.get("Variant SKU", "").strip() or cells.get("Variant Price", "").strip()
        )
        if first is None or first.product_ref != handle:
            if first is not None:
                yield first
            names = [cells.get(f"Option{n} Name", "").strip() for n in (1, 2, 3)]
            first = FeedRow(
                row_number=number,
                product_ref=handle,
                seller_sku=cells.get("Variant SKU", "").strip(),
                price=cells.get("Variant Price", "").strip(),
                gtin=cells.get("Variant Barcode", "").strip().lstrip("'"),
                weight=cells.get("Variant Grams", "").strip(),
                options=_options(cells, names),
                images=(image,) if image else (),
                **_product_fields(cells, language),  # type: ignore[arg-type]
            )
            continue
        if image and image not in first.images:
            first = replace(first, images=(*first.images, image))
        if is_variant:
            yield first
            first = replace(
                first,
                row_number=number,
                seller_sku=cells.get("Variant SKU", "").strip(),
                price=cells.get("Variant Price", "").strip(),
                gtin=cells.get("Variant Barcode", "").strip().lstrip("'"),
                weight=cells.get("Variant Grams", "").strip(),
                options=_options(cells, names),
                images=(),
            )
    if first is not None:
        yield first


def parse_shopify_csv(data: bytes, *, language: str = "en") -> ParsedFeed:
    text = decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise FileRefused(
                "This is not a Shopify product CSV: the header lacks " + ", ".join(missing) + ".",
                code="bad_header",
            )
        reader.fieldnames = header
        return ParsedFeed(ImportFormat.SHOPIFY_CSV, tuple(_rows(reader, language)))
    except csv.Error as exc:
        raise FileRefused(
            f"The CSV file is malformed near line {reader.line_num}: {exc}.", code="malformed_file"
        ) from exc
