"""Rendered product pages kept per process (the content block: gallery, picker, price,
stock, shop card, description), each with the product's state stamp it was rendered from
(catalog.product_state). A request reads the state (one statement) and uses the rendered
content only when the stamp is the same, so a price, stock, status, shop or edit is not
served stale; within `refresh_seconds` of the last check (GALERIE_PAGE_REFRESH_SECONDS, 1 s
by default, 0 in tests) the content is used without reading the state at all, as search
results are (the checkout checks prices and stock again anyway). Keyed by product,
language, signed in or not (the follow form differs) and the chosen picture; previews are
never kept. Bounded: least recently used dropped first."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Final
from weakref import WeakKeyDictionary

from markupsafe import Markup

from galerie.db import Database
from galerie.kernel.lru import Lru

CAPACITY: Final = 2048  # pages of about 6-10 KB each
# Stands for the request's CSRF input in a kept page. Random per process, so no seller can
# put it in a product's text (escaping would leave it as it is).
CSRF_MARK: Final = f"\u2063csrf-{secrets.token_hex(16)}\u2063"


@dataclass(frozen=True, slots=True)
class RenderedProduct:
    stamp: tuple[Any, ...]
    title: str
    content_parts: tuple[Markup, ...]  # the content, split where the CSRF input goes
    checked_at: float  # time.monotonic() when the stamp was last found current


class PageCache:
    def __init__(
        self,
        capacity: int = CAPACITY,
        *,
        refresh_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self.entries: Lru[Hashable, RenderedProduct] = Lru(capacity)

    def fresh(self, key: Hashable) -> RenderedProduct | None:
        """The entry if its stamp was checked less than `refresh_seconds` ago."""
        found = self.entries.recall(key)
        if found is None or self.clock() - found.checked_at >= self.refresh_seconds:
            return None
        return found

    def get(self, key: Hashable) -> RenderedProduct | None:
        return self.entries.recall(key)

    def put(self, key: Hashable, rendered: RenderedProduct) -> None:
        self.entries.keep(key, rendered)


_caches: WeakKeyDictionary[Database, PageCache] = WeakKeyDictionary()


def product_pages_of(db: Database) -> PageCache:
    found = _caches.get(db)
    if found is None:
        found = _caches[db] = PageCache()
    return found


def configure_product_pages(db: Database, *, refresh_seconds: float) -> PageCache:
    """The composition root's call (GALERIE_PAGE_REFRESH_SECONDS)."""
    cache = _caches[db] = PageCache(refresh_seconds=refresh_seconds)
    return cache
