"""Pure rules for product drafts: GTIN checksums, formats, variants against their option
axes, prices, weights, category attributes, prohibited words. No I/O: the caller passes
what the database knows (the category's attributes)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from galerie.catalog.drafts import ProductDraft, VariantDraft
from galerie.catalog.errors import DraftProblem
from galerie.kernel import CURRENCY_EXPONENTS

LANGUAGES = ("zh-CN", "en", "fr")
RETURN_EXCLUSIONS = ("custom_made", "perishable", "opened_media")
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_VARIANTS = 100
MAX_AXES = 3
MAX_WEIGHT_GRAMS = 1_000_000  # one tonne
MAX_PRICE_MAJOR = 1_000_000  # per unit, in major units of the currency
MAX_PRICE_SPREAD = 100  # the dearest variant costs at most 100x the cheapest
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
AXIS = re.compile(r"[a-z][a-z0-9_]{0,29}")
GTIN_LENGTHS = (8, 12, 13, 14)
# A small shipped list; whole words in Latin scripts, substrings in Chinese.
LATIN_PROHIBITED = ("counterfeit", "replica", "knockoff", "contrefaçon", "contrefait", "réplique")
CJK_PROHIBITED = ("仿品", "高仿", "假货")
PROHIBITED_WORDS = LATIN_PROHIBITED + CJK_PROHIBITED
_WORD = re.compile(
    r"(?<!\w)(" + "|".join(map(re.escape, LATIN_PROHIBITED)) + r")(?!\w)", re.IGNORECASE
)
# Codes of findings that do not refuse a save: the listing is rejected with them instead.
LISTING_FINDINGS = frozenset({"prohibited_word", "price_spread"})


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """A category attribute as the rules need it."""

    code: str
    value_type: str  # text, number, enum, boolean
    required: bool = False
    options: tuple[str, ...] = ()


def gtin_valid(code: str) -> bool:
    """GTIN-8/12/13/14: digits only, of one of those lengths, with a correct mod-10 check
    digit (weights 3 and 1 from the right, the check digit excluded)."""
    if len(code) not in GTIN_LENGTHS or not code.isascii() or not code.isdigit():
        return False
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def gtin_check_digit(body: str) -> int:
    """The check digit that completes `body` (a GTIN without its last digit)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def max_price_minor(currency: str) -> int:
    exponent: int = CURRENCY_EXPONENTS.get(currency, 2)
    return int(MAX_PRICE_MAJOR * 10**exponent)


def prohibited_words_in(text: str) -> list[str]:
    found = [m.group(1).lower() for m in _WORD.finditer(text)]
    found += [w for w in CJK_PROHIBITED if w in text]
    return found


def check_draft(
    draft: ProductDraft, attributes: Sequence[AttributeSpec] = ()
) -> tuple[DraftProblem, ...]:
    """Every problem of the draft on its own (shop rights and the category's existence are
    checked by the service, which knows the database)."""
    problems = [
        *_codes(draft),
        *_texts(draft),
        *_variants(draft),
        *_prices(draft.variants),
        *_attributes(draft.attributes, attributes),
        *_words(draft),
    ]
    if draft.return_exclusion is not None and draft.return_exclusion not in RETURN_EXCLUSIONS:
        problems.append(
            DraftProblem(
                "return_exclusion", "unknown_return_exclusion", "Unknown return exclusion."
            )
        )
    return tuple(problems)


def _codes(draft: ProductDraft) -> Iterator[DraftProblem]:
    if not CODE.fullmatch(draft.seller_ref):
        yield DraftProblem(
            "seller_ref",
            "bad_seller_ref",
            "Product code: 1 to 64 letters, digits, '.', '_', '/' or '-'.",
        )
    for n, variant in enumerate(draft.variants):
        if not CODE.fullmatch(variant.seller_sku):
            yield DraftProblem(
                f"variants[{n}].seller_sku",
                "bad_seller_sku",
                "SKU code: 1 to 64 letters, digits, '.', '_', '/' or '-'.",
            )
    skus = [v.seller_sku for v in draft.variants]
    for sku in sorted({s for s in skus if skus.count(s) > 1}):
        yield DraftProblem("variants", "duplicate_seller_sku", f"SKU code {sku} is used twice.")


def _texts(draft: ProductDraft) -> Iterator[DraftProblem]:
    if draft.default_language not in LANGUAGES:
        yield DraftProblem("default_language", "unknown_language", "Unknown default language.")
    elif not draft.titles.get(draft.default_language, "").strip():
        yield DraftProblem(
            f"titles.{draft.default_language}",
            "title_missing",
            "A title in the default language is required.",
        )
    for language in sorted({*draft.titles, *draft.descriptions}):
        if language not in LANGUAGES:
            yield DraftProblem(f"titles.{language}", "unknown_language", "Unknown language.")
    for language, title in sorted(draft.titles.items()):
        if len(title.strip()) > MAX_TITLE:
            yield DraftProblem(
                f"titles.{language}", "title_too_long", f"At most {MAX_TITLE} characters."
            )
    for language, description in sorted(draft.descriptions.items()):
        if len(description) > MAX_DESCRIPTION:
            yield DraftProblem(
                f"descriptions.{language}",
                "description_too_long",
                f"At most {MAX_DESCRIPTION} characters.",
            )


def _variants(draft: ProductDraft) -> Iterator[DraftProblem]:
    axes = draft.option_axes
    if len(axes) > MAX_AXES or len(set(axes)) != len(axes) or not all(map(AXIS.fullmatch, axes)):
        yield DraftProblem(
            "option_axes", "bad_option_axes", f"Up to {MAX_AXES} distinct lower-case axis names."
        )
    if not draft.variants:
        yield DraftProblem("variants", "no_variants", "At least one variant is required.")
    if len(draft.variants) > MAX_VARIANTS:
        yield DraftProblem("variants", "too_many_variants", f"At most {MAX_VARIANTS} variants.")
    seen: set[tuple[str, ...]] = set()
    for n, variant in enumerate(draft.variants):
        yield from _variant(n, variant, axes)
        key = tuple(variant.options.get(a, "").strip().casefold() for a in axes)
        if key in seen:
            yield DraftProblem(
                f"variants[{n}].options",
                "duplicate_options",
                "Two variants have the same options.",
            )
        seen.add(key)


def _variant(n: int, variant: VariantDraft, axes: Sequence[str]) -> Iterator[DraftProblem]:
    where = f"variants[{n}]"
    values_ok = all(variant.options.get(a, "").strip() for a in axes)
    if set(variant.options) != set(axes) or not values_ok:
        yield DraftProblem(
            f"{where}.options", "options_mismatch", "Give exactly one value per option axis."
        )
    elif any(len(value) > 60 for value in variant.options.values()):
        yield DraftProblem(f"{where}.options", "option_too_long", "At most 60 characters.")
    if variant.gtin is not None and not gtin_valid(variant.gtin):
        yield DraftProblem(
            f"{where}.gtin", "bad_gtin", "Not a valid GTIN (8, 12, 13 or 14 digits)."
        )
    weight = variant.weight_grams
    if weight is not None and not 0 < weight <= MAX_WEIGHT_GRAMS:
        yield DraftProblem(
            f"{where}.weight_grams", "bad_weight", "Weight: a positive number of grams."
        )


def _prices(variants: Sequence[VariantDraft]) -> Iterator[DraftProblem]:
    currencies = {v.price.currency for v in variants}
    if len(currencies) > 1:
        yield DraftProblem(
            "variants", "mixed_currencies", "All variants are priced in the same currency."
        )
        return
    for n, variant in enumerate(variants):
        price = variant.price
        if price.currency not in CURRENCY_EXPONENTS:
            yield DraftProblem(f"variants[{n}].price", "unknown_currency", "Unknown currency.")
        elif price.minor <= 0:
            yield DraftProblem(f"variants[{n}].price", "price_not_positive", "Price must be > 0.")
        elif price.minor > max_price_minor(price.currency):
            yield DraftProblem(f"variants[{n}].price", "price_too_high", "Price is not plausible.")
    positive = [v.price.minor for v in variants if v.price.minor > 0]
    if positive and max(positive) > MAX_PRICE_SPREAD * min(positive):
        yield DraftProblem(
            "variants",
            "price_spread",
            f"The dearest variant costs more than {MAX_PRICE_SPREAD} times the cheapest.",
        )


def _attributes(
    values: Mapping[str, str], specs: Sequence[AttributeSpec]
) -> Iterator[DraftProblem]:
    by_code = {spec.code: spec for spec in specs}
    for code in sorted(values):
        if code not in by_code:
            yield DraftProblem(
                f"attributes.{code}", "unknown_attribute", "Not an attribute of this category."
            )
    for spec in specs:
        value = values.get(spec.code, "").strip()
        if not value:
            if spec.required:
                yield DraftProblem(
                    f"attributes.{spec.code}", "attribute_missing", "This attribute is required."
                )
            continue
        yield from _attribute_value(spec, value)


def _attribute_value(spec: AttributeSpec, value: str) -> Iterator[DraftProblem]:
    where = f"attributes.{spec.code}"
    if spec.value_type == "enum" and value not in spec.options:
        yield DraftProblem(where, "attribute_not_allowed", "Choose one of the allowed values.")
    elif spec.value_type == "number" and not _is_number(value):
        yield DraftProblem(where, "attribute_not_number", "A number is expected.")
    elif spec.value_type == "boolean" and value not in ("true", "false"):
        yield DraftProblem(where, "attribute_not_boolean", "Expected true or false.")
    elif len(value) > 200:
        yield DraftProblem(where, "attribute_too_long", "At most 200 characters.")


def _is_number(value: str) -> bool:
    try:
        return Decimal(value).is_finite()
    except InvalidOperation:
        return False


def _words(draft: ProductDraft) -> Iterator[DraftProblem]:
    texts = [(f"titles.{k}", v) for k, v in sorted(draft.titles.items())]
    texts += [(f"descriptions.{k}", v) for k, v in sorted(draft.descriptions.items())]
    for where, text in texts:
        for word in prohibited_words_in(text):
            yield DraftProblem(where, "prohibited_word", f"Prohibited word: {word}.")


def normalised(draft: ProductDraft) -> dict[str, object]:
    """The draft as plain sorted data: what content_hash digests."""
    return {
        "seller_ref": draft.seller_ref,
        "category_id": draft.category_id,
        "brand_id": draft.brand_id,
        "default_language": draft.default_language,
        "titles": {k: v.strip() for k, v in sorted(draft.titles.items())},
        "descriptions": {k: v for k, v in sorted(draft.descriptions.items()) if v},
        "option_axes": list(draft.option_axes),
        "attributes": {k: v.strip() for k, v in sorted(draft.attributes.items()) if v.strip()},
        "return_exclusion": draft.return_exclusion,
        "variants": [
            [
                v.seller_sku,
                v.price.minor,
                v.price.currency,
                sorted(v.options.items()),
                v.gtin,
                v.weight_grams,
            ]
            for v in draft.variants
        ],
        "images": [
            [i.storage_key, i.thumbnail_key, i.source_url, i.content_type, i.width, i.height]
            for i in draft.images
        ],
    }


def content_hash(draft: ProductDraft) -> str:
    """A digest of the normalised draft: equal drafts give equal hashes."""
    data = json.dumps(normalised(draft), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
