"""Rendered product pages kept per process (the content block: gallery, picker, price,
stock, shop card, description), each with the product's state stamp it was rendered from
(catalog.product_state). A request reads the state (one statement) and uses the rendered
content only when the stamp is the same, so a price, stock, status, shop or edit is never
served stale. Keyed by product, language, signed in or not (the follow form differs) and
the chosen picture; previews are never kept. Bounded: least recently used dropped first."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Final
from weakref import WeakKeyDictionary

from markupsafe import Markup

from galerie.db import Database

CAPACITY: Final = 2048  # pages of about 6-10 KB each
# Stands for the request's CSRF input in a kept page. Random per process, so no seller can
# put it in a product's text (escaping would leave it as it is).
CSRF_MARK: Final = f"\u2063csrf-{secrets.token_hex(16)}\u2063"


@dataclass(frozen=True, slots=True)
class RenderedProduct:
    stamp: tuple[Any, ...]
    title: str
    content_parts: tuple[Markup, ...]  # the content, split where the CSRF input goes


class PageCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.entries: OrderedDict[Hashable, RenderedProduct] = OrderedDict()

    def get(self, key: Hashable) -> RenderedProduct | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: Hashable, rendered: RenderedProduct) -> None:
        self.entries[key] = rendered
        self.entries.move_to_end(key)
        while len(self.entries) > self.capacity:
            self.entries.popitem(last=False)


_caches: WeakKeyDictionary[Database, PageCache] = WeakKeyDictionary()


def product_pages_of(db: Database) -> PageCache:
    found = _caches.get(db)
    if found is None:
        found = _caches[db] = PageCache()
    return found
