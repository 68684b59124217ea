"""Our own JSON format: a list of products mirroring ProductDraft (see docs/imports.md).
Row numbers are the product's 1-based position in the list; a variant's problems name it
(`variants[2].price`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from galerie.imports.rows import (
    MAX_ROWS,
    FeedRow,
    FileRefused,
    ImportFormat,
    ParsedFeed,
    RowProblem,
)
from galerie.imports.text import decode, html_to_text, language_code


def _text_map(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return None
    return {language_code(k) or k: v.strip() for k, v in value.items() if v.strip()}


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value).strip()
    return "\x00"  # not a scalar: refused by the field checks below


def _price(value: Any) -> str:
    if isinstance(value, dict):
        return f"{_scalar(value.get('amount'))} {_scalar(value.get('currency'))}".strip()
    return _scalar(value)


def _variant_rows(number: int, product: dict[str, Any], base: FeedRow) -> Iterator[FeedRow]:
    variants = product.get("variants")
    if not isinstance(variants, list) or not variants:
        yield _problem(base, "variants", "required", "a product has at least one variant")
        return
    for index, variant in enumerate(variants):
        where = f"variants[{index}]"
        if not isinstance(variant, dict):
            yield _problem(base, where, "bad_type", f"{where} is not an object")
            continue
        options = _text_map(variant.get("options", {}))
        weight = variant.get("weight_grams")
        row = FeedRow(
            row_number=number,
            product_ref=base.product_ref,
            seller_sku=_scalar(variant.get("seller_sku")),
            titles=base.titles,
            descriptions=base.descriptions,
            default_language=base.default_language,
            brand=base.brand,
            category=base.category,
            price=_price(variant.get("price")),
            gtin=_scalar(variant.get("gtin")),
            weight="" if weight is None else f"{_scalar(weight)} g",
            options=options or {},
            images=base.images,
            attributes=base.attributes,
            return_exclusion=base.return_exclusion,
            problems=base.problems,
        )
        if options is None:
            row = _problem(row, f"{where}.options", "bad_type", "options map axes to text")
        yield row


def _problem(row: FeedRow, field: str, code: str, message: str) -> FeedRow:
    from dataclasses import replace

    return replace(row, problems=(*row.problems, RowProblem(row.row_number, field, code, message)))


def _product_rows(number: int, product: Any) -> Iterator[FeedRow]:
    if not isinstance(product, dict):
        yield FeedRow(number, f"#{number}", "", problems=(
            RowProblem(number, "product", "bad_type", "each product is a JSON object"),))  # fmt: skip
        return
    titles = _text_map(product.get("titles"))
    descriptions = _text_map(product.get("descriptions", {}))
    attributes = product.get("attributes", {})
    images = product.get("images", [])
    base = FeedRow(
        row_number=number,
        product_ref=_scalar(product.get("seller_ref")),
        seller_sku="",
        titles=titles or {},
        descriptions={k: html_to_text(v) for k, v in (descriptions or {}).items()},
        default_language=language_code(_scalar(product.get("default_language"))) or "",
        brand=_scalar(product.get("brand")),
        category=_scalar(product.get("category")),
        attributes={str(k): _scalar(v) for k, v in attributes.items()}
        if isinstance(attributes, dict)
        else {},
        images=tuple(u for u in images if isinstance(u, str)) if isinstance(images, list) else (),
        return_exclusion=_scalar(product.get("return_exclusion")),
    )
    if titles is None:
        base = _problem(base, "titles", "bad_type", "titles map languages to text")
    if descriptions is None:
        base = _problem(base, "descriptions", "bad_type", "descriptions map languages to text")
    axes = product.get("option_axes", [])
    if not isinstance(axes, list) or not all(isinstance(a, str) for a in axes):
        base = _problem(base, "option_axes", "bad_type", "option_axes is a list of names")
    for row in _variant_rows(number, product, base):
        if isinstance(axes, list) and all(isinstance(a, str) for a in axes) and axes:
            ordered = {a: row.options[a] for a in axes if a in row.options}
            extra = {k: v for k, v in row.options.items() if k not in ordered}
            from dataclasses import replace

            row = replace(row, options={**ordered, **extra})
        yield row


def parse_json(data: bytes) -> ParsedFeed:
    text = decode(data)
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise FileRefused(f"The JSON file is malformed: {exc}.", code="malformed_file") from exc
    if isinstance(document, dict) and isinstance(document.get("products"), list):
        document = document["products"]
    if not isinstance(document, list):
        raise FileRefused(
            'The JSON file must be a list of products (or {"products": [...]}).',
            code="bad_header",
        )
    if len(document) > MAX_ROWS:
        raise FileRefused(f"The file has more than {MAX_ROWS} products.", code="too_many_rows")
    rows = [row for n, product in enumerate(document, start=1) for row in _product_rows(n, product)]
    return ParsedFeed(ImportFormat.JSON, tuple(rows))
