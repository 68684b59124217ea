"""A 100,000-product search catalog for the search benchmark, written straight into the
search tables of a migrated SQLite database with bulk inserts (the FTS5 index follows
through migration 0009's triggers), deterministic from a seed.

Titles are made of pseudo-words (a vocabulary of 2,000 Latin words, 200 Chinese words):
each product has three English title words, five description words and two Chinese words,
so one Latin word matches about 0.4% of the catalog (~400 products). Categories: 5 roots,
each with 4 children; brands: 50; shops: 200 of three types."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PRODUCTS = 100_000
ROOTS = (9_000_001, 9_000_002, 9_000_003, 9_000_004, 9_000_005)
CHILDREN_PER_ROOT = 4
BRANDS = 50
SHOPS = 200
SHOP_TYPES = ("flagship", "authorised", "individual")
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "qu", "fe", "di", "bo")
HAN = "蓝莓果酱草莓儿童运动鞋炒锅积木玩具茶叶咖啡牛奶面包饼干巧克力蜂蜜花生大米红枣核桃杯子"


@dataclass(frozen=True, slots=True)
class Catalog:
    latin_words: list[str]
    query_word: str  # the word the benchmark searches for
    category: int  # the root category it filters on
    expected_total: int  # products matching both


def _vocabulary(rng: random.Random) -> tuple[list[str], list[str]]:
    latin: set[str] = set()
    while len(latin) < 2_000:
        latin.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))))
    han: set[str] = set()
    while len(han) < 200:
        han.add("".join(rng.choice(HAN) for _ in range(2)))
    return sorted(latin), sorted(han)


def _now() -> str:
    return datetime(2026, 11, 1, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _reference_rows(connection: sqlite3.Connection) -> list[int]:
    now = _now()
    leaves = []
    for r, root in enumerate(ROOTS):
        connection.execute(
            "INSERT INTO categories (id, parent_id, name_en, name_zh_cn, name_fr, path, depth, "
            "top_level_id, is_active, created_at, updated_at) "
            "VALUES (?, NULL, ?, ?, ?, ?, 0, ?, 1, ?, ?)",
            (root, f"Root {r}", f"根 {r}", f"Racine {r}", f"Root {r}", root, now, now),
        )
        for c in range(CHILDREN_PER_ROOT):
            leaf = root * 10 + c
            leaves.append(leaf)
            connection.execute(
                "INSERT INTO categories (id, parent_id, name_en, name_zh_cn, name_fr, path, "
                "depth, top_level_id, is_active, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, ?, 1, ?, ?)",
                (
                    leaf,
                    root,
                    f"Leaf {leaf}",
                    f"叶 {leaf}",
                    f"Feuille {leaf}",
                    f"Root {r} > Leaf {leaf}",
                    root,
                    now,
                    now,
                ),
            )
    connection.executemany(
        "INSERT INTO brands (id, name, created_at) VALUES (?, ?, ?)",
        [(9_000_000 + b, f"Bench brand {b}", now) for b in range(BRANDS)],
    )
    return leaves


def generate(path: str, *, seed: int = 20261129) -> Catalog:
    rng = random.Random(seed)
    latin, han = _vocabulary(rng)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        leaves = _reference_rows(connection)
        documents, categories = [], []
        base = datetime(2025, 1, 1, tzinfo=UTC)
        for product_id in range(1, PRODUCTS + 1):
            title = rng.sample(latin, 3)
            words = title + rng.sample(latin, 5)
            chinese = rng.sample(han, 2)
            leaf = rng.choice(leaves)
            shop = rng.randrange(SHOPS)
            ratings = rng.randint(0, 50)
            listed = (base + timedelta(minutes=product_id)).strftime("%Y-%m-%d %H:%M:%S.%f")
            documents.append((
                product_id, 9_000_000 + shop, SHOP_TYPES[shop % 3], f"Shop {shop}", leaf,
                9_000_000 + rng.randrange(BRANDS), "en", "".join(chinese),
                " ".join(title).capitalize(), None, "CNY", rng.randint(100, 100_000),
                rng.randint(100, 500) if ratings else 0, ratings, rng.randint(0, 5_000),
                listed, rng.random() < 0.9, None, None,
                " ".join(words + chinese + [c for word in chinese for c in word]),
            ))  # fmt: skip
            categories += [(leaf // 10, product_id, None), (leaf, product_id, leaf // 10)]
        connection.executemany(
            "INSERT INTO search_documents (product_id, shop_id, shop_type, shop_name, "
            "category_id, brand_id, default_language, title_zh_cn, title_en, title_fr, "
            "currency, price_minor, rating_x100, rating_count, sales_count, listed_at, "
            "in_stock, image_key, image_url, terms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            documents,
        )
        connection.executemany(
            "INSERT INTO search_categories (category_id, product_id, parent_id) VALUES (?, ?, ?)",
            categories,
        )
        connection.executemany(
            "INSERT INTO search_terms (term) VALUES (?) ON CONFLICT DO NOTHING",
            [(word,) for word in latin],
        )
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
        query_word, category = latin[len(latin) // 2], ROOTS[0]
        (total,) = connection.execute(
            "SELECT count(*) FROM search_fts f JOIN search_categories c "
            "ON c.product_id = f.rowid AND c.category_id = ? WHERE search_fts MATCH ?",
            (category, f'"{query_word}"'),
        ).fetchone()
    finally:
        connection.close()
    return Catalog(latin, query_word, category, int(total))
