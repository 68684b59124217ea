"""From parsed rows to ProductDrafts: rows grouped by product, categories and brands
resolved through the shop's lookups, prices parsed exactly into Money, GTINs checked.
Pure: the lookups are read beforehand (imports.queries.lookups_for)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from galerie.catalog.drafts import ImageDraft, ProductDraft, VariantDraft
from galerie.imports.rows import (
    MAX_DESCRIPTION,
    MAX_IMAGES,
    MAX_NAME,
    MAX_REF,
    MAX_TITLE,
    MAX_URL,
    FeedRow,
    RowProblem,
    too_long,
)
from galerie.imports.text import grams
from galerie.kernel import CURRENCY_EXPONENTS, DomainError, Money

RETURN_EXCLUSIONS = frozenset({"custom_made", "perishable", "opened_media"})


@dataclass(frozen=True, slots=True)
class Lookups:
    """What the shop's rows resolve against. Keys of the text maps are lower-cased."""

    currency: str
    category_ids: frozenset[int] = frozenset()
    category_paths: dict[str, int] = field(default_factory=dict)
    mappings: dict[str, int] = field(default_factory=dict)
    brands: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProductGroup:
    """The rows of one product, and the draft they make or why they make none."""

    product_ref: str
    row_numbers: tuple[int, ...]
    draft: ProductDraft | None
    problems: tuple[RowProblem, ...]

    @property
    def first_row(self) -> int:
        return self.row_numbers[0]


def group_rows(rows: Iterable[FeedRow]) -> list[list[FeedRow]]:
    """Rows by product, in the order products first appear."""
    groups: dict[str, list[FeedRow]] = {}
    for row in rows:
        key = row.product_ref or f"#row{row.row_number}"
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def gtin_valid(gtin: str) -> bool:
    """GTIN-8, -12, -13 or -14 with a correct check digit (GS1 mod 10)."""
    if not gtin.isdigit() or not gtin.isascii() or len(gtin) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in reversed(gtin[:-1])]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return (10 - total % 10) % 10 == int(gtin[-1])


def parse_price(text: str, currency: str) -> Money:
    """ "12.50 EUR" or a bare "12.50" (in `currency`) -> Money; refuses zero, negatives,
    unknown currencies and more decimals than the currency has (DomainError)."""
    parts = text.split()
    if len(parts) == 2 and parts[0].isalpha():  # "EUR 12.50"
        parts.reverse()
    if not parts or len(parts) > 2:
        raise DomainError(f"not a price: {text!r}", code="bad_price")
    code = parts[1].upper() if len(parts) == 2 else currency
    if code not in CURRENCY_EXPONENTS:
        raise DomainError(f"unsupported currency {code!r}", code="unsupported_currency")
    money = Money.parse(parts[0], code)
    if money.minor <= 0:
        raise DomainError("the price must be more than zero", code="bad_price")
    return money


def resolve_category(row: FeedRow, lookups: Lookups) -> int | None:
    text = row.category.strip()
    if text.isdigit():
        return int(text) if int(text) in lookups.category_ids else None
    for candidate in (text, row.product_type.strip()):
        if not candidate:
            continue
        key = candidate.lower()
        found = lookups.category_paths.get(key) or lookups.mappings.get(key)
        if found is not None:
            return found
    return None


def _variant(row: FeedRow, lookups: Lookups, problems: list[RowProblem]) -> VariantDraft | None:
    n, before = row.row_number, len(problems)
    sku = row.seller_sku
    if not sku:
        problems.append(RowProblem(n, "seller_sku", "required", "the SKU code is required"))
    elif problem := too_long(n, "seller_sku", sku, MAX_REF):
        problems.append(problem)
    price: Money | None = None
    try:
        price = parse_price(row.price, lookups.currency)
        if row.sale_price:
            sale = parse_price(row.sale_price, lookups.currency)
            price = sale if sale.currency == price.currency and sale < price else price
    except DomainError as error:
        code = error.code if error.code != "bad_amount" else "bad_price"
        problems.append(RowProblem(n, "price", code, f"{sku}: {error.message}"))
    if price is not None and price.currency != lookups.currency:
        problems.append(RowProblem(n, "price", "wrong_currency",
                                   f"{sku}: prices are in the shop's currency, {lookups.currency}"))  # fmt: skip
    gtin = row.gtin.replace(" ", "").replace("-", "") or None
    if gtin is not None and not gtin_valid(gtin):
        problems.append(
            RowProblem(n, "gtin", "invalid_gtin", f"{sku}: {row.gtin!r} is not a valid GTIN")
        )
    weight = grams(row.weight) if row.weight else None
    if row.weight and weight is None:
        problems.append(
            RowProblem(n, "weight", "bad_weight", f"{sku}: {row.weight!r} is not a weight")
        )
    for axis, value in row.options.items():
        if problem := too_long(n, axis, value, MAX_NAME):
            problems.append(problem)
    if len(problems) > before or price is None:
        return None
    return VariantDraft(seller_sku=sku, price=price, options=dict(row.options), gtin=gtin,
                        weight_grams=weight)  # fmt: skip


def _texts(first: FeedRow, problems: list[RowProblem]) -> str:
    n = first.row_number
    language = first.default_language or next(iter(first.titles), "")
    if not first.titles.get(language):
        problems.append(RowProblem(n, "title", "required", "the title is required"))
    for code, title in first.titles.items():
        if problem := too_long(n, f"title[{code}]", title, MAX_TITLE):
            problems.append(problem)
    for code, text in first.descriptions.items():
        if problem := too_long(n, f"description[{code}]", text, MAX_DESCRIPTION):
            problems.append(problem)
    return language


def _images(rows: Sequence[FeedRow], problems: list[RowProblem]) -> tuple[ImageDraft, ...]:
    urls = list(dict.fromkeys(url for row in rows for url in row.images))
    for url in urls:
        if len(url) > MAX_URL or not url.startswith(("https://", "http://")):
            problems.append(RowProblem(rows[0].row_number, "image_link", "bad_image_url",
                                       f"{url[:80]!r} is not an http(s) address"))  # fmt: skip
    return tuple(ImageDraft(source_url=url) for url in urls[:MAX_IMAGES])


def _product_fields(
    first: FeedRow, lookups: Lookups, problems: list[RowProblem]
) -> tuple[int | None, int | None]:
    n = first.row_number
    if not first.product_ref:
        problems.append(RowProblem(n, "product_ref", "required", "the product code is required"))
    elif problem := too_long(n, "product_ref", first.product_ref, MAX_REF):
        problems.append(problem)
    category = resolve_category(first, lookups)
    if category is None:
        shown = first.category or first.product_type
        problems.append(RowProblem(n, "category", "unknown_category",
                                   f"unknown category {shown!r}: map it to one of ours" if shown
                                   else "the category is required"))  # fmt: skip
    brand: int | None = None
    if first.brand:
        brand = lookups.brands.get(first.brand.strip().lower())
        if brand is None:
            problems.append(RowProblem(n, "brand", "brand_not_authorised",
                                       f"the shop may not sell the brand {first.brand!r}"))  # fmt: skip
    if first.return_exclusion and first.return_exclusion not in RETURN_EXCLUSIONS:
        problems.append(RowProblem(n, "return_exclusion", "bad_return_exclusion",
                                   f"{first.return_exclusion!r} is not a return exclusion"))  # fmt: skip
    return category, brand


def build_group(rows: Sequence[FeedRow], lookups: Lookups, seen_skus: set[str]) -> ProductGroup:
    """The draft of one product's rows, or every problem found on them."""
    first = rows[0]
    problems: list[RowProblem] = [p for row in rows for p in row.problems]
    category, brand = _product_fields(first, lookups, problems)
    language = _texts(first, problems)
    axes = tuple(dict.fromkeys(axis for row in rows for axis in row.options))
    variants: list[VariantDraft] = []
    for row in rows:
        if row.seller_sku and row.seller_sku in seen_skus:
            problems.append(RowProblem(row.row_number, "seller_sku", "duplicate_sku",
                                       f"the SKU {row.seller_sku!r} appears twice in the file"))  # fmt: skip
        seen_skus.add(row.seller_sku)
        variant = _variant(row, lookups, problems)
        missing = [axis for axis in axes if axis not in row.options]
        if missing:
            problems.append(RowProblem(row.row_number, missing[0], "missing_option",
                                       f"{row.seller_sku}: no value for {missing[0]}"))  # fmt: skip
        if variant is not None:
            variants.append(variant)
    images = _images(rows, problems)
    numbers = tuple(row.row_number for row in rows)
    if problems or category is None:
        return ProductGroup(first.product_ref, numbers, None, tuple(problems))
    draft = ProductDraft(
        seller_ref=first.product_ref,
        category_id=category,
        default_language=language,
        titles=dict(first.titles),
        variants=tuple(variants),
        descriptions=dict(first.descriptions),
        brand_id=brand,
        option_axes=axes,
        attributes=dict(first.attributes),
        images=images,
        return_exclusion=first.return_exclusion or None,
    )
    return ProductGroup(first.product_ref, numbers, draft, ())


def build_groups(rows: Iterable[FeedRow], lookups: Lookups) -> list[ProductGroup]:
    seen: set[str] = set()
    return [build_group(group, lookups, seen) for group in group_rows(rows)]
