"""The product form of the seller centre: form fields <-> ProductDraft, and the catalog's
problem codes as people-facing messages placed beside the field they concern.

Fields: seller_ref, category_id, brand_id, default_language, title_<lang>,
description_<lang>, return_exclusion, option_axes ("size, colour"), currency, attr_<code>,
and one row per variant: v<n>_sku, v<n>_options ("S / white", in the axes' order),
v<n>_price ("129.00"), v<n>_gtin, v<n>_weight (grams)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from galerie.catalog import DraftProblem, ProductDraft, VariantDraft
from galerie.kernel import Money, ValidationFailed
from galerie.web.i18n import N_

LANGUAGE_FIELDS: Final = {"zh": "zh-CN", "en": "en", "fr": "fr"}
MAX_ROWS: Final = 30
SPARE_ROWS: Final = 3
MAX_VALUE: Final = 5000
PROBLEM_MESSAGES: Final[dict[str, str]] = {
    "bad_seller_ref": N_("Product code: 1 to 64 letters, digits, '.', '_', '/' or '-'."),
    "bad_seller_sku": N_("SKU code: 1 to 64 letters, digits, '.', '_', '/' or '-'."),
    "duplicate_seller_sku": N_("Each variant needs its own SKU code."),
    "seller_sku_taken": N_("This SKU code belongs to another product of the shop."),
    "unknown_language": N_("Choose one of the languages offered."),
    "title_missing": N_("Give a title in the default language."),
    "title_too_long": N_("A title has at most 200 characters."),
    "description_too_long": N_("A description has at most 5,000 characters."),
    "bad_option_axes": N_(
        "Up to 3 distinct option names in lower-case letters, for example size, colour."
    ),
    "no_variants": N_("Add at least one variant."),
    "too_many_variants": N_("A product has at most 100 variants."),
    "options_mismatch": N_(
        "Give one value per option, separated by /, in the order of the options."
    ),
    "option_too_long": N_("An option value has at most 60 characters."),
    "duplicate_options": N_("Two variants have the same options."),
    "bad_gtin": N_("Not a valid GTIN: 8, 12, 13 or 14 digits with a correct check digit."),
    "bad_weight": N_("Weight: a positive whole number of grams."),
    "mixed_currencies": N_("All variants are priced in the same currency."),
    "unknown_currency": N_("Choose one of the currencies offered."),
    "price_not_positive": N_("Enter a price above zero."),
    "price_too_high": N_("This price is not plausible."),
    "price_spread": N_("The dearest variant costs more than 100 times the cheapest."),
    "bad_amount": N_("Enter an amount such as 129.00."),
    "unknown_attribute": N_("This is not an attribute of the category."),
    "attribute_missing": N_("This attribute is required."),
    "attribute_not_allowed": N_("Choose one of the options offered."),
    "attribute_not_number": N_("Enter a number."),
    "attribute_not_boolean": N_("Enter true or false."),
    "attribute_too_long": N_("At most 200 characters."),
    "unknown_return_exclusion": N_("Choose one of the options offered."),
    "prohibited_word": N_("This text contains a prohibited word."),
    "shop_not_selling": N_("This shop cannot list products in its current state."),
    "unknown_category": N_("Choose one of the categories offered."),
    "category_not_allowed": N_("Your shop is not approved for this category."),
    "brand_not_allowed": N_("Your shop may not sell this brand."),
    "bad_number": N_("Enter a whole number."),
}
FALLBACK: Final = N_("This value is not accepted.")
_VARIANT = re.compile(r"variants\[(\d+)\]\.(\w+)")
_VARIANT_FIELD: Final = {
    "seller_sku": "sku",
    "options": "options",
    "price": "price",
    "gtin": "gtin",
}


@dataclass
class ProductForm:
    """Submitted (or stored) values as strings, and errors by field name (msgids)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    rows: int = SPARE_ROWS

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")


def _text(data: Mapping[str, Any], name: str) -> str:
    raw = data.get(name)
    return raw.strip()[:MAX_VALUE] if isinstance(raw, str) else ""


def bind(data: Mapping[str, Any], attribute_codes: list[str]) -> ProductForm:
    names = ["seller_ref", "category_id", "brand_id", "default_language", "return_exclusion"]
    names += ["option_axes", "currency"]
    names += [f"{kind}_{lang}" for kind in ("title", "description") for lang in LANGUAGE_FIELDS]
    names += [f"attr_{code}" for code in attribute_codes]
    form = ProductForm({name: _text(data, name) for name in names})
    rows = 0
    for n in range(MAX_ROWS):
        row = {
            f"v{n}_{k}": _text(data, f"v{n}_{k}")
            for k in ("sku", "options", "price", "gtin", "weight")
        }
        form.values.update(row)
        if any(row.values()):
            rows = n + 1
    form.rows = min(MAX_ROWS, rows + SPARE_ROWS)
    return form


def _int(form: ProductForm, name: str, *, required: bool) -> int | None:
    value = form[name]
    if not value:
        if required:
            form.errors[name] = N_("This field is required.")
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        form.errors[name] = PROBLEM_MESSAGES["bad_number"]
        return None
    return int(value)


def _variant(form: ProductForm, n: int, axes: tuple[str, ...]) -> VariantDraft | None:
    p = f"v{n}_"
    if not any(form[p + k] for k in ("sku", "options", "price", "gtin", "weight")):
        return None
    values = [v.strip() for v in form[p + "options"].split("/")] if form[p + "options"] else []
    options = dict(zip(axes, values, strict=False)) if len(values) == len(axes) else {"": ""}
    try:
        price = Money.parse(form[p + "price"] or "0", form["currency"] or "CNY")
    except ValidationFailed as error:
        form.errors[p + "price"] = PROBLEM_MESSAGES.get(error.code, FALLBACK)
        return None
    return VariantDraft(
        seller_sku=form[p + "sku"],
        price=price,
        options=options if axes or values else {},
        gtin=form[p + "gtin"] or None,
        weight_grams=_int(form, p + "weight", required=False),
    )


def draft_of(form: ProductForm, attribute_codes: list[str]) -> ProductDraft | None:
    """The draft the form describes, or None when a value does not even parse (the errors
    are then on the form)."""
    category_id = _int(form, "category_id", required=True)
    brand_id = _int(form, "brand_id", required=False)
    axes = tuple(a.strip().lower() for a in form["option_axes"].split(",") if a.strip())
    variants = [_variant(form, n, axes) for n in range(MAX_ROWS)]
    if form.errors or category_id is None:
        return None
    return ProductDraft(
        seller_ref=form["seller_ref"],
        category_id=category_id,
        default_language=form["default_language"],
        titles={
            lang: form[f"title_{k}"] for k, lang in LANGUAGE_FIELDS.items() if form[f"title_{k}"]
        },
        descriptions={
            lang: form[f"description_{k}"]
            for k, lang in LANGUAGE_FIELDS.items()
            if form[f"description_{k}"]
        },
        variants=tuple(v for v in variants if v is not None),
        brand_id=brand_id,
        option_axes=axes,
        attributes={code: form[f"attr_{code}"] for code in attribute_codes if form[f"attr_{code}"]},
        return_exclusion=form["return_exclusion"] or None,
    )


def values_of(draft: ProductDraft) -> ProductForm:
    values = {
        "seller_ref": draft.seller_ref,
        "category_id": str(draft.category_id),
        "brand_id": "" if draft.brand_id is None else str(draft.brand_id),
        "default_language": draft.default_language,
        "return_exclusion": draft.return_exclusion or "",
        "option_axes": ", ".join(draft.option_axes),
        "currency": draft.variants[0].price.currency if draft.variants else "CNY",
    }
    for k, lang in LANGUAGE_FIELDS.items():
        values[f"title_{k}"] = draft.titles.get(lang, "")
        values[f"description_{k}"] = draft.descriptions.get(lang, "")
    for code, value in draft.attributes.items():
        values[f"attr_{code}"] = value
    for n, v in enumerate(draft.variants):
        values[f"v{n}_sku"] = v.seller_sku
        values[f"v{n}_options"] = " / ".join(v.options.get(a, "") for a in draft.option_axes)
        values[f"v{n}_price"] = str(v.price.to_decimal())
        values[f"v{n}_gtin"] = v.gtin or ""
        values[f"v{n}_weight"] = "" if v.weight_grams is None else str(v.weight_grams)
    return ProductForm(values, rows=min(MAX_ROWS, len(draft.variants) + SPARE_ROWS))


def field_of(problem: DraftProblem) -> str:
    """The form field a problem concerns ("form" when none fits)."""
    found = _VARIANT.fullmatch(problem.field)
    if found:
        return f"v{found.group(1)}_{_VARIANT_FIELD.get(found.group(2), 'sku')}"
    head, _, tail = problem.field.partition(".")
    short = {v: k for k, v in LANGUAGE_FIELDS.items()}
    if head in ("titles", "descriptions") and tail in short:
        return f"{head[:-1]}_{short[tail]}"
    if head == "attributes":
        return f"attr_{tail}"
    if head in ("seller_ref", "category_id", "brand_id", "default_language", "return_exclusion"):
        return head
    return {"option_axes": "option_axes", "shop_id": "form", "variants": "variants"}.get(
        head, "form"
    )


def add_problems(form: ProductForm, problems: tuple[DraftProblem, ...]) -> None:
    for problem in problems:
        form.errors.setdefault(field_of(problem), PROBLEM_MESSAGES.get(problem.code, FALLBACK))
