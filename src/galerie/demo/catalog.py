"""The demo catalog generator: deterministic (seeded random) products with titles and
descriptions in English, Simplified Chinese and French, valid GTINs, and size x colour
variants for shoes.

`nordhavn_feed()` is the flagship Nordhavn's 500 articles (food, shoes, toys, kitchenware)
as a Google Merchant Center TSV feed: the file the seller imports from the seller centre
(a copy ships in demo/data/nordhavn-feed.tsv). `shop_products()` makes the other live
shops' products, saved at seed time (demo.catalog_seed)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from galerie.demo.catalog_words import (
    COLOURS,
    DESCRIPTIONS,
    FOOD_ADJECTIVES,
    FOOD_KINDS,
    FOOD_WEIGHTS,
    KITCHEN_FINISHES,
    KITCHEN_KINDS,
    SHOE_COLLECTIONS,
    SHOE_KINDS,
    SHOE_SIZES,
    TOY_KINDS,
    Kind,
    Words,
)
from galerie.demo.catalog_words_more import (
    COOKWARE_KINDS,
    DESCRIPTIONS_MORE,
    FOOTWEAR_COLLECTIONS,
    FOOTWEAR_KINDS,
    GAME_EDITIONS,
    GAME_KINDS,
    RETRO_PART_COLOURS,
    RETRO_PART_KINDS,
    SHOE_CARE_KINDS,
    TOY_FINISHES,
    WOODEN_TOY_KINDS,
)
from galerie.demo.catalog_words_other import (
    CRAFT_COLOURS,
    CRAFT_KINDS,
    DECOR_KINDS,
    DESCRIPTIONS_OTHER,
    RETRO_CONDITIONS,
    RETRO_KINDS,
    TEA_GRADES,
    TEA_KINDS,
)
from galerie.imports.export import google_tsv
from galerie.imports.export_queries import ExportProduct, ExportVariant
from galerie.imports.mapping import gtin_valid
from galerie.kernel import Money

LANGUAGE_ORDER = ("en", "zh-CN", "fr")
NO_WORDS: tuple[Words, ...] = (("", "", ""),)
FEED_FILE = Path(__file__).parent / "data" / "nordhavn-feed.tsv"
NORDHAVN_SEED = 20261111
NORDHAVN_IMAGES = "https://images.nordhavn.example/products"


@dataclass(frozen=True, slots=True)
class Family:
    code: str
    kinds: tuple[Kind, ...]
    adjectives: tuple[Words, ...] = NO_WORDS
    finishes: tuple[Words, ...] = ()
    variants: str = "single"  # or "shoes" (sizes in one or two colours), "sizes" (one colour)
    default_language: str = "en"
    return_exclusion: str | None = None


FAMILIES = {
    "food": Family("food", FOOD_KINDS, FOOD_ADJECTIVES, return_exclusion="perishable"),
    "shoes": Family("shoes", SHOE_KINDS, SHOE_COLLECTIONS, variants="shoes"),
    "toys": Family("toys", TOY_KINDS),
    "kitchen": Family("kitchen", KITCHEN_KINDS, finishes=KITCHEN_FINISHES),
    "crafts": Family("crafts", CRAFT_KINDS, finishes=CRAFT_COLOURS, default_language="zh-CN"),
    "tea": Family("tea", TEA_KINDS, TEA_GRADES, default_language="zh-CN", return_exclusion="perishable"),
    "retro": Family("retro", RETRO_KINDS, RETRO_CONDITIONS),
    "decor": Family("decor", DECOR_KINDS, finishes=KITCHEN_FINISHES),
    # only the other shops sell these (Nordhavn's feed never reads them)
    "footwear": Family("footwear", FOOTWEAR_KINDS, FOOTWEAR_COLLECTIONS, variants="sizes", default_language="fr"),
    "shoecare": Family("shoecare", SHOE_CARE_KINDS, default_language="fr"),
    "woodentoys": Family("woodentoys", WOODEN_TOY_KINDS, finishes=TOY_FINISHES),
    "games": Family("games", GAME_KINDS, finishes=GAME_EDITIONS),
    "cookware": Family("cookware", COOKWARE_KINDS, finishes=KITCHEN_FINISHES),
    "retroparts": Family("retroparts", RETRO_PART_KINDS, finishes=RETRO_PART_COLOURS, default_language="zh-CN"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoVariant:
    seller_sku: str
    price: Money
    options: dict[str, str]
    gtin: str
    weight_grams: int


@dataclass(frozen=True, slots=True)
class DemoProduct:
    seller_ref: str
    family: str
    category_id: int
    default_language: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    variants: tuple[DemoVariant, ...]
    option_axes: tuple[str, ...] = ()
    return_exclusion: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def initials(self) -> str:
        words = [w for w in self.titles["en"].replace(",", " ").split() if w[:1].isalpha()]
        return "".join(w[0].upper() for w in words[:2]) or "G"


def gtin13(prefix: str, number: int) -> str:
    """A GTIN-13 from a 7-digit company prefix and an item number, with its check digit."""
    body = f"{prefix}{number:05d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    gtin = body + str((10 - total % 10) % 10)
    assert gtin_valid(gtin)
    return gtin


def _capital(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def _titles(kind: Kind, a: Words, f: Words, n: int, finish: Words | None) -> dict[str, str]:
    titles = {}
    for i, language in enumerate(LANGUAGE_ORDER):
        title = _capital(kind.templates[i].format(a=a[i], f=f[i], n=n))
        if finish is not None:
            title = f"{title} · {finish[i]}" if language == "zh-CN" else f"{title}, {finish[i]}"
        titles[language] = title
    return titles


def _price(rng: random.Random, kind: Kind) -> Money:
    yuan = rng.randint(*kind.prices)
    return Money(yuan * 100 - (10 if rng.random() < 0.4 else 0), "CNY")


# Adjectives that only some kinds take ("wild" berries and honey, not wild cookies).
ONLY_FOR = {"Wild": {"jam", "juice", "honey"}}


def _candidates(family: Family) -> list[tuple[Kind, Words, Words, int, Words | None]]:
    return [
        (kind, a, f, n, finish)
        for kind in family.kinds
        for f in kind.fillers
        for a in family.adjectives
        for n in kind.numbers or (0,)
        for finish in family.finishes or (None,)
        if kind.code in ONLY_FOR.get(a[0], {kind.code})
    ]


def _variants(family: Family, rng: random.Random, ref: str, kind: Kind,
              gtins: tuple[str, list[int]]) -> tuple[tuple[str, ...], tuple[DemoVariant, ...]]:  # fmt: skip
    prefix, counter = gtins
    price = _price(rng, kind)
    if family.variants == "single":
        counter[0] += 1
        weight = rng.choice(FOOD_WEIGHTS) if family.code == "food" else rng.randint(2, 30) * 50
        return (), (DemoVariant(ref, price, {}, gtin13(prefix, counter[0]), weight),)
    start = rng.randint(0, len(SHOE_SIZES) - 5)
    sizes = SHOE_SIZES[start : start + rng.randint(4, 5)]
    colours = rng.sample(COLOURS, rng.randint(1, 2) if family.variants == "shoes" else 1)
    variants = []
    for colour, code in colours:
        for size in sizes:
            counter[0] += 1
            variants.append(DemoVariant(
                f"{ref}-{size}-{code}", price, {"size": size, "colour": colour},
                gtin13(prefix, counter[0]), 500 + 20 * int(size),
            ))  # fmt: skip
    return ("size", "colour"), tuple(variants)


def _descriptions(family: Family, titles: dict[str, str], finish: Words | None,
                  weight: int) -> dict[str, str]:  # fmt: skip
    texts = (
        DESCRIPTIONS.get(family.code) or {**DESCRIPTIONS_OTHER, **DESCRIPTIONS_MORE}[family.code]
    )
    return {
        language: texts[i].format(title=titles[language], weight=weight,
                                  finish=finish[i] if finish else "")
        for i, language in enumerate(LANGUAGE_ORDER)
    }  # fmt: skip


def family_products(family_code: str, count: int, *, seed: int, ref_prefix: str,
                    gtin_prefix: str) -> list[DemoProduct]:  # fmt: skip
    """`count` distinct products of one family, the same for the same arguments."""
    family = FAMILIES[family_code]
    rng = random.Random(f"{seed}-{family_code}-{ref_prefix}")  # noqa: S311 - demo data, not secrets
    candidates = _candidates(family)
    rng.shuffle(candidates)
    if count > len(candidates):
        raise ValueError(f"{family_code} has only {len(candidates)} distinct products")
    counter = [0]
    products = []
    for n, (kind, a, f, number, finish) in enumerate(candidates[:count], start=1):
        ref = f"{ref_prefix}-{n:04d}"
        titles = _titles(kind, a, f, number, finish)
        axes, variants = _variants(family, rng, ref, kind, (gtin_prefix, counter))
        products.append(DemoProduct(
            seller_ref=ref, family=family_code, category_id=kind.category_id,
            default_language=family.default_language, titles=titles,
            descriptions=_descriptions(family, titles, finish, variants[0].weight_grams),
            variants=variants, option_axes=axes, return_exclusion=family.return_exclusion,
        ))  # fmt: skip
    return products


NORDHAVN_FAMILIES = (("food", 150, "NH-FOOD"), ("shoes", 100, "NH-SHOE"),
                     ("toys", 125, "NH-TOY"), ("kitchen", 125, "NH-KIT"))  # fmt: skip


def nordhavn_products() -> list[DemoProduct]:
    """The flagship's 500 articles: 150 food, 100 shoes, 125 toys, 125 kitchenware (one
    GTIN range per family)."""
    return [
        product
        for n, (family, count, prefix) in enumerate(NORDHAVN_FAMILIES)
        for product in family_products(
            family, count, seed=NORDHAVN_SEED, ref_prefix=prefix, gtin_prefix=f"570123{n}"
        )
    ]


def export_product(product: DemoProduct, *, brand: str, images: Sequence[str]) -> ExportProduct:
    return ExportProduct(
        seller_ref=product.seller_ref, category_id=product.category_id, brand=brand,
        default_language=product.default_language, titles=product.titles,
        descriptions=product.descriptions, option_axes=product.option_axes,
        attributes=product.attributes, images=tuple(images),
        return_exclusion=product.return_exclusion,
        variants=tuple(
            ExportVariant(v.seller_sku, v.price, v.options, v.gtin, v.weight_grams)
            for v in product.variants
        ),
    )  # fmt: skip


def nordhavn_feed(brand: str = "Nordhavn") -> bytes:
    """Nordhavn's Google Merchant Center TSV feed (500 articles, every variant a row)."""
    return google_tsv([
        export_product(p, brand=brand, images=[f"{NORDHAVN_IMAGES}/{p.seller_ref}.png"])
        for p in nordhavn_products()
    ])  # fmt: skip
