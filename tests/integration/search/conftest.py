"""The labelled catalog every search test queries: six products shoppers may find, in
Chinese, English and French, and three they must never find (pending, delisted, and live in
a suspended shop), all indexed through `rebuild_index`."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.search import rebuild_index
from tests.integration.search.factories import CatalogFactory

FOOD, JAMS, APPAREL, SHOES, KIDS_SHOES, TOYS, KITCHEN, COOKWARE = (
    9100,
    9101,
    9200,
    9201,
    9202,
    9300,
    9400,
    9401,
)


@dataclass
class Labelled:
    factory: CatalogFactory
    flagship: int  # shop A
    market: int  # shop B
    suspended: int  # shop C
    lune: int  # brands
    sunny: int
    p: dict[str, int]  # product ids by label


async def build_labelled(db: Database, clock: FixedClock) -> Labelled:
    f = CatalogFactory(db, clock.now())
    await f.category(FOOD, "Food", "食品", "Alimentation")
    await f.category(JAMS, "Jams", "果酱", "Confitures", FOOD)
    await f.category(APPAREL, "Apparel", "服饰", "Vêtements")
    await f.category(SHOES, "Shoes", "鞋", "Chaussures", APPAREL)
    await f.category(KIDS_SHOES, "Kids' shoes", "童鞋", "Chaussures enfant", SHOES)
    await f.category(TOYS, "Toys", "玩具", "Jouets")
    await f.category(KITCHEN, "Kitchen", "厨房", "Cuisine")
    await f.category(COOKWARE, "Cookware", "炊具", "Ustensiles", KITCHEN)
    flagship = await f.shop("Lune Flagship", shop_type="flagship")
    market = await f.shop("Petit Marché")
    suspended = await f.shop("Shady Stall", status="suspended")
    lune, sunny = await f.brand("Lune"), await f.brand("Sunny")
    p: dict[str, int] = {}
    p["blueberry"] = await f.product(
        shop_id=flagship, category_id=JAMS, brand_id=lune, price=3900, sales=120,
        ratings=(2, 9), day=1, titles={"zh-CN": "蓝莓果酱", "en": "Blueberry jam",
                                       "fr": "Confiture de myrtilles"},
    )  # fmt: skip
    p["strawberry"] = await f.product(
        shop_id=market, category_id=JAMS, price=2500, sales=300, ratings=(1, 3), stock=0,
        day=2, titles={"zh-CN": "草莓果酱", "en": "Strawberry jam", "fr": "Confiture de fraises"},
    )  # fmt: skip
    p["shoes"] = await f.product(
        shop_id=flagship, category_id=KIDS_SHOES, brand_id=sunny, price=19900, sales=50,
        ratings=(2, 8), day=3, titles={"zh-CN": "儿童运动鞋", "en": "Kids running shoes",
                                       "fr": "Chaussures de course enfant"},
    )  # fmt: skip
    p["wok"] = await f.product(
        shop_id=market, category_id=COOKWARE, price=15900, sales=80, day=4,
        titles={"zh-CN": "不锈钢炒锅", "en": "Stainless steel wok",
                "fr": "Wok en acier inoxydable"},
    )  # fmt: skip
    p["cream"] = await f.product(
        shop_id=market, category_id=JAMS, price=890, sales=10, day=5, default_language="fr",
        titles={"zh-CN": "栗子奶油酱", "en": "Chestnut spread", "fr": "Crème de marrons"},
    )  # fmt: skip
    p["blocks"] = await f.product(
        shop_id=flagship, category_id=TOYS, brand_id=lune, price=12900, sales=200,
        ratings=(1, 5), day=6, default_language="zh-CN",
        titles={"zh-CN": "益智积木玩具", "en": "Educational building blocks"},
    )  # fmt: skip
    p["pending"] = await f.product(
        shop_id=flagship, category_id=JAMS, price=1000, status="pending",
        titles={"zh-CN": "蓝莓果酱礼盒", "en": "Blueberry jam gift box"},
    )  # fmt: skip
    p["delisted"] = await f.product(
        shop_id=market, category_id=JAMS, price=1000, status="delisted",
        titles={"zh-CN": "蓝莓果酱", "en": "Blueberry jam", "fr": "Confiture de myrtilles"},
    )  # fmt: skip
    p["suspended"] = await f.product(
        shop_id=suspended, category_id=JAMS, price=1000,
        titles={"zh-CN": "蓝莓果酱", "en": "Blueberry jam", "fr": "Confiture de myrtilles"},
    )  # fmt: skip
    await rebuild_index(db)
    return Labelled(f, flagship, market, suspended, lune, sunny, p)


@pytest.fixture
async def labelled(db: Database, clock: FixedClock) -> Labelled:
    return await build_labelled(db, clock)
