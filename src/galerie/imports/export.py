"""A shop's catalog written in the formats imports read: Google Merchant Center TSV and
XML, Shopify product CSV and our JSON. Importing an export again changes nothing (for
Google feeds, products whose option axes are in Google's order: size, colour, material,
pattern, then any other; Shopify carries at most three axes). Only images with a source
URL are exported; images uploaded to our storage are not."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any
from xml.etree import ElementTree

from galerie.imports.export_queries import ExportProduct, ExportVariant
from galerie.imports.google import G_NAMESPACE, OPTION_COLUMNS
from galerie.imports.rows import LANGUAGES, ImportFormat
from galerie.kernel import Money

GOOGLE_AXES = {axis: column for column, axis in OPTION_COLUMNS.items()}
MEDIA_TYPES = {
    ImportFormat.GOOGLE_TSV: "text/tab-separated-values; charset=utf-8",
    ImportFormat.GOOGLE_XML: "application/xml; charset=utf-8",
    ImportFormat.SHOPIFY_CSV: "text/csv; charset=utf-8",
    ImportFormat.JSON: "application/json",
}
EXTENSIONS = {
    ImportFormat.GOOGLE_TSV: "tsv",
    ImportFormat.GOOGLE_XML: "xml",
    ImportFormat.SHOPIFY_CSV: "csv",
    ImportFormat.JSON: "json",
}


def amount(money: Money) -> str:
    return f"{money.to_decimal():.{money.exponent}f}"


def _suffix(language: str) -> str:
    return language.replace("-", "_").lower()


def google_fields(product: ExportProduct, variant: ExportVariant) -> dict[str, list[str]]:
    """One item of a Google feed, as attribute -> values (repeated for XML)."""
    language = product.default_language
    fields: dict[str, list[str]] = {
        "id": [variant.seller_sku],
        "item_group_id": [product.seller_ref],
        "content_language": [language],
        "title": [product.titles.get(language, "")],
        "description": [product.descriptions.get(language, "")],
    }
    for code in LANGUAGES:
        if code != language:
            fields[f"title_{_suffix(code)}"] = [product.titles.get(code, "")]
            fields[f"description_{_suffix(code)}"] = [product.descriptions.get(code, "")]
    fields["price"] = [f"{amount(variant.price)} {variant.price.currency}"]
    fields["gtin"] = [variant.gtin or ""]
    fields["brand"] = [product.brand]
    fields["google_product_category"] = [str(product.category_id)]
    for axis, value in variant.options.items():
        fields[GOOGLE_AXES.get(axis, f"option_{axis}")] = [value]
    fields["shipping_weight"] = [
        f"{variant.weight_grams} g" if variant.weight_grams is not None else ""
    ]
    fields["image_link"] = list(product.images[:1])
    fields["additional_image_link"] = list(product.images[1:])
    fields["condition"], fields["availability"] = ["new"], ["in stock"]
    for code, value in product.attributes.items():
        fields[f"attr_{code}"] = [value]
    fields["return_exclusion"] = [product.return_exclusion or ""]
    return fields


def _items(products: Sequence[ExportProduct]) -> Iterator[dict[str, list[str]]]:
    for product in products:
        for variant in product.variants:
            yield google_fields(product, variant)


def google_tsv(products: Sequence[ExportProduct]) -> bytes:
    items = list(_items(products))
    header = list(dict.fromkeys(name for item in items for name in item)) or [
        "id",
        "title",
        "price",
    ]
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
    writer.writerow(header)
    for item in items:
        writer.writerow([",".join(item.get(name, [])) for name in header])
    return out.getvalue().encode()


def google_xml(products: Sequence[ExportProduct], *, title: str) -> bytes:
    ElementTree.register_namespace("g", G_NAMESPACE)
    rss = ElementTree.Element("rss", {"version": "2.0"})
    channel = ElementTree.SubElement(rss, "channel")
    ElementTree.SubElement(channel, "title").text = title
    for fields in _items(products):
        item = ElementTree.SubElement(channel, "item")
        for name, values in fields.items():
            for value in values:
                if value:
                    ElementTree.SubElement(item, f"{{{G_NAMESPACE}}}{name}").text = value
    data: bytes = ElementTree.tostring(rss, encoding="utf-8", xml_declaration=True)
    return data


SHOPIFY_HEADER = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name",
    "Option3 Value", "Variant SKU", "Variant Grams", "Variant Price", "Variant Barcode",
    "Image Src", "Image Position", "Default Language",
    *(f"Title ({code})" for code in LANGUAGES), *(f"Body (HTML) ({code})" for code in LANGUAGES),
    "Return Exclusion",
]  # fmt: skip


def _shopify_product(product: ExportProduct, variant: ExportVariant) -> dict[str, str]:
    row = {
        "Handle": product.seller_ref,
        "Title": product.titles.get(product.default_language, ""),
        "Body (HTML)": html.escape(
            product.descriptions.get(product.default_language, ""), quote=False
        ),
        "Vendor": product.brand,
        "Product Category": str(product.category_id),
        "Default Language": product.default_language,
        "Return Exclusion": product.return_exclusion or "",
    }
    for n, axis in enumerate(product.option_axes[:3], start=1):
        row[f"Option{n} Name"] = axis
    for code in LANGUAGES:
        if code != product.default_language:
            row[f"Title ({code})"] = product.titles.get(code, "")
            row[f"Body (HTML) ({code})"] = html.escape(
                product.descriptions.get(code, ""), quote=False
            )
    for code, value in product.attributes.items():
        row[f"Attribute: {code}"] = value
    return row


def _shopify_variant(product: ExportProduct, variant: ExportVariant) -> dict[str, str]:
    row = {
        "Handle": product.seller_ref,
        "Variant SKU": variant.seller_sku,
        "Variant Grams": "" if variant.weight_grams is None else str(variant.weight_grams),
        "Variant Price": amount(variant.price),
        "Variant Barcode": variant.gtin or "",
    }
    for n, axis in enumerate(product.option_axes[:3], start=1):
        row[f"Option{n} Value"] = variant.options.get(axis, "")
    return row


def _shopify_rows(product: ExportProduct) -> Iterator[dict[str, str]]:
    for n, variant in enumerate(product.variants):
        row = _shopify_variant(product, variant)
        if n == 0:
            row |= _shopify_product(product, variant)
            if product.images:
                row |= {"Image Src": product.images[0], "Image Position": "1"}
        yield row
    for position, url in enumerate(product.images[1:], start=2):
        yield {"Handle": product.seller_ref, "Image Src": url, "Image Position": str(position)}


def shopify_csv(products: Sequence[ExportProduct]) -> bytes:
    rows = [row for product in products for row in _shopify_rows(product)]
    extra = sorted({name for row in rows for name in row if name not in SHOPIFY_HEADER})
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=SHOPIFY_HEADER + extra, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def json_products(products: Sequence[ExportProduct]) -> bytes:
    document: list[dict[str, Any]] = [
        {
            "seller_ref": p.seller_ref, "category": p.category_id, "brand": p.brand,
            "default_language": p.default_language, "titles": p.titles,
            "descriptions": p.descriptions, "option_axes": list(p.option_axes),
            "attributes": p.attributes, "images": list(p.images),
            "return_exclusion": p.return_exclusion,
            "variants": [
                {"seller_sku": v.seller_sku, "price": f"{amount(v.price)} {v.price.currency}",
                 "options": v.options, "gtin": v.gtin, "weight_grams": v.weight_grams}
                for v in p.variants
            ],
        }
        for p in products
    ]  # fmt: skip
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def export_catalog(
    products: Sequence[ExportProduct], import_format: ImportFormat, *, title: str = ""
) -> bytes:
    if import_format is ImportFormat.GOOGLE_TSV:
        return google_tsv(products)
    if import_format is ImportFormat.GOOGLE_XML:
        return google_xml(products, title=title)
    if import_format is ImportFormat.SHOPIFY_CSV:
        return shopify_csv(products)
    return json_products(products)
