"""Catalog rows for the search tests, inserted straight into the tables (the catalog's own
services are written elsewhere): categories, shops, brands, products with their texts,
one SKU each and its stock. Factories set up state; indexing and search are the real ones."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, update

import galerie.models  # noqa: F401 - every table in the metadata
from galerie.db import Database, metadata

_numbers = itertools.count(1)


def _table(name: str) -> Any:
    return metadata.tables[name]


@dataclass
class CatalogFactory:
    db: Database
    now: datetime
    organisation_id: int | None = None
    _category_paths: dict[int, tuple[int, int]] = field(default_factory=dict)

    async def _insert(self, table: str, **values: Any) -> int:
        async with self.db.transaction() as session:
            result: Any = await session.execute(insert(_table(table)).values(**values))
            return int(result.inserted_primary_key[0])

    async def category(
        self, category_id: int, name_en: str, zh: str, fr: str, parent: int | None = None
    ) -> int:
        depth, top = (
            (0, category_id)
            if parent is None
            else (
                self._category_paths[parent][0] + 1,
                self._category_paths[parent][1],
            )
        )
        self._category_paths[category_id] = (depth, top)
        await self._insert(
            "categories",
            id=category_id,
            parent_id=parent,
            name_en=name_en,
            name_zh_cn=zh,
            name_fr=fr,
            path=name_en,
            depth=depth,
            top_level_id=top,
            created_at=self.now,
            updated_at=self.now,
        )
        return category_id

    async def brand(self, name: str) -> int:
        return await self._insert("brands", name=name, created_at=self.now)

    async def shop(self, name: str, *, shop_type: str = "individual", status: str = "live") -> int:
        n = next(_numbers)
        if self.organisation_id is None:
            self.organisation_id = await self._insert(
                "seller_organisations", name="Search test organisation", created_at=self.now
            )
        application_id = await self._insert(
            "seller_applications",
            organisation_id=self.organisation_id,
            applicant_kind="business",
            legal_name=name,
            registration_number=f"SEARCH{n}",
            country="CN",
            address="1 Nanjing Road",
            legal_representative="Zhang Wei",
            contact_email="zw@example.com",
            contact_phone="+86 21 5555 0101",
            bank_account_holder="Zhang Wei",
            bank_account_number="6222020200112233",
            shop_type=shop_type,
            category_ids=[],
            brand_ids=[],
            status="approved",
            created_at=self.now,
            updated_at=self.now,
        )
        return await self._insert(
            "shops",
            organisation_id=self.organisation_id,
            application_id=application_id,
            shop_type=shop_type,
            name=name,
            slug=f"search-shop-{n}-{application_id}",
            descriptions={},
            navigation=[],
            status=status,
            deposit_required_minor=0,
            deposit_currency="CNY",
            created_at=self.now,
            updated_at=self.now,
        )

    async def product(
        self,
        *,
        shop_id: int,
        category_id: int,
        titles: dict[str, str],
        price: int,
        brand_id: int | None = None,
        default_language: str = "en",
        status: str = "live",
        sales: int = 0,
        ratings: tuple[int, int] = (0, 0),  # (count, sum of stars)
        stock: int = 10,
        day: int = 0,
        description: str = "",
    ) -> int:
        n = next(_numbers)
        listed = self.now + timedelta(days=day)
        product_id = await self._insert(
            "products",
            shop_id=shop_id,
            seller_ref=f"REF-{n}",
            category_id=category_id,
            brand_id=brand_id,
            default_language=default_language,
            status=status,
            findings=[],
            option_axes=[],
            attributes={},
            currency="CNY",
            min_price_minor=price,
            max_price_minor=price,
            sales_count=sales,
            rating_count=ratings[0],
            rating_sum=ratings[1],
            content_hash="0" * 64,
            version=1,
            created_at=listed,
            updated_at=listed,
            listed_at=listed if status == "live" else None,
        )
        for language, title in titles.items():
            await self._insert(
                "product_texts",
                product_id=product_id,
                language=language,
                shop_id=shop_id,
                title=title,
                description=description,
            )
        sku_id = await self._insert(
            "skus",
            product_id=product_id,
            shop_id=shop_id,
            seller_sku=f"SKU-{n}",
            options={},
            price_minor=price,
            currency="CNY",
            created_at=self.now,
            updated_at=self.now,
        )
        warehouse_id = await self._insert(
            "warehouses",
            shop_id=shop_id,
            code=f"W{n}",
            name="Main",
            country="CN",
            city="Shanghai",
            address_line="1 Dock Road",
            created_at=self.now,
            updated_at=self.now,
        )
        await self._insert(
            "stock_levels",
            shop_id=shop_id,
            warehouse_id=warehouse_id,
            sku_id=sku_id,
            on_hand=stock,
            available=stock,
            updated_at=self.now,
        )
        return product_id

    async def set_status(self, table: str, row_id: int, status: str) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                update(_table(table)).where(_table(table).c.id == row_id).values(status=status)
            )

    async def set_stock(self, product_id: int, available: int) -> int:
        """Set the product's only stock level; returns its SKU id."""
        skus, levels = _table("skus"), _table("stock_levels")
        async with self.db.transaction() as session:
            sku_id = (
                await session.execute(skus.select().where(skus.c.product_id == product_id))
            ).one()[0]
            await session.execute(
                update(levels)
                .where(levels.c.sku_id == sku_id)
                .values(on_hand=available, available=available)
            )
        return int(sku_id)
