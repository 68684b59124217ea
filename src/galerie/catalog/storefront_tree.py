"""The category tree for shoppers' pages, cached in process: names in every language,
children, ancestors (breadcrumbs), descendant sets (category listings) and the attribute
definitions (labels of a product's attributes table).

It is loaded in ONE statement (categories and category attributes as one UNION ALL) and kept
per Database for `TREE_TTL` seconds, so a listing or a product page spends no query on the
tree when warm. Operators' edits show within that time."""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from galerie.db import Database, RawSQL

TREE_TTL: Final = 60.0
COUNTS_TTL: Final = 30.0
LANGUAGE_COLUMNS: Final = ("en", "zh-CN", "fr")

TREE_SQL: Final = """
SELECT 0, id, parent_id, name_en, name_zh_cn, name_fr, is_active, NULL, NULL, 0
FROM categories
UNION ALL
SELECT 1, category_id, NULL, name_en, name_zh_cn, name_fr, required, code, unit, position
FROM category_attributes
"""


@dataclass(frozen=True, slots=True)
class AttributeLabel:
    code: str
    names: dict[str, str]
    unit: str | None
    position: int

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


@dataclass(slots=True)
class TreeNode:
    id: int
    parent_id: int | None
    names: dict[str, str]
    is_active: bool
    children: list[int] = field(default_factory=list)
    attributes: list[AttributeLabel] = field(default_factory=list)

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


class CategoryTree:
    """The whole tree, by id. Descendant sets are computed once per category and kept."""

    def __init__(self, nodes: dict[int, TreeNode]) -> None:
        self.nodes = nodes
        self._descendants: dict[int, tuple[int, ...]] = {}
        self._arguments: dict[tuple[int, str], Any] = {}

    def get(self, category_id: int) -> TreeNode | None:
        """The category if it and all its ancestors are active."""
        chain = self.ancestors(category_id)
        return chain[-1] if chain and all(n.is_active for n in chain) else None

    def ancestors(self, category_id: int) -> list[TreeNode]:
        """The chain from the root down to the category itself (empty if unknown)."""
        chain: list[TreeNode] = []
        node = self.nodes.get(category_id)
        while node is not None and len(chain) < 64:
            chain.append(node)
            node = self.nodes.get(node.parent_id) if node.parent_id is not None else None
        return chain[::-1]

    def children(self, category_id: int) -> list[TreeNode]:
        node = self.nodes.get(category_id)
        if node is None:
            return []
        found = (self.nodes[c] for c in node.children)
        return sorted((c for c in found if c.is_active), key=lambda c: c.names["en"])

    def descendants(self, category_id: int) -> tuple[int, ...]:
        """The category and every active category below it."""
        known = self._descendants.get(category_id)
        if known is None:
            known = tuple(self._walk(category_id))
            self._descendants[category_id] = known
        return known

    def argument(
        self, category_id: int, dialect: str, make: Callable[[str, tuple[int, ...]], Any]
    ) -> Any:
        """The descendant set as bound to SQL (`make(dialect, ids)`), built once."""
        key = (category_id, dialect)
        known = self._arguments.get(key)
        if known is None:
            known = self._arguments[key] = make(dialect, self.descendants(category_id))
        return known

    def _walk(self, category_id: int) -> Iterator[int]:
        stack = [category_id]
        while stack:
            current = self.nodes.get(stack.pop())
            if current is not None and current.is_active:
                yield current.id
                stack.extend(current.children)

    def attribute_labels(self, category_id: int) -> dict[str, AttributeLabel]:
        """Attribute definitions of the category and its ancestors, by code (nearest wins)."""
        labels: dict[str, AttributeLabel] = {}
        for node in self.ancestors(category_id):
            labels.update({a.code: a for a in node.attributes})
        return labels


def _names(en: str, zh: str | None, fr: str | None) -> dict[str, str]:
    names = {"en": en}
    if zh:
        names["zh-CN"] = zh
    if fr:
        names["fr"] = fr
    return names


def build_tree(rows: list[tuple[Any, ...]]) -> CategoryTree:
    nodes: dict[int, TreeNode] = {}
    attributes: list[tuple[int, AttributeLabel]] = []
    for kind, row_id, parent, en, zh, fr, flag, code, unit, position in rows:
        names = _names(str(en), zh and str(zh), fr and str(fr))
        if kind == 0:
            parent_id = int(parent) if parent is not None else None
            nodes[int(row_id)] = TreeNode(int(row_id), parent_id, names, bool(flag))
        else:
            label = AttributeLabel(str(code), names, unit and str(unit), int(position))
            attributes.append((int(row_id), label))
    for node in nodes.values():
        if node.parent_id is not None and node.parent_id in nodes:
            nodes[node.parent_id].children.append(node.id)
    for category_id, label in sorted(attributes, key=lambda a: a[1].position):
        if category_id in nodes:
            nodes[category_id].attributes.append(label)
    return CategoryTree(nodes)


class StorefrontCache:
    """What the storefront keeps in process for one Database: the tree and, per category,
    the counts of live products of live shops in its subtree and its children's (the
    children links), by category."""

    def __init__(self) -> None:
        self.tree: CategoryTree | None = None
        self.loaded_at = 0.0
        self.counts: dict[int, tuple[float, dict[int, int]]] = {}

    async def category_tree(self, reader: RawSQL) -> CategoryTree:
        now = time.monotonic()
        if self.tree is None or now - self.loaded_at > TREE_TTL:
            rows = await reader.fetch(TREE_SQL)
            self.tree = build_tree([tuple(r) for r in rows])
            self.loaded_at = now
            self.counts.clear()
        return self.tree

    def cached_counts(self, category_id: int) -> dict[int, int] | None:
        entry = self.counts.get(category_id)
        if entry is None or time.monotonic() - entry[0] > COUNTS_TTL:
            return None
        return entry[1]

    def keep_counts(self, category_id: int, counts: dict[int, int]) -> None:
        self.counts[category_id] = (time.monotonic(), counts)


_CACHES: weakref.WeakKeyDictionary[Database, StorefrontCache] = weakref.WeakKeyDictionary()


def storefront_cache(db: Database) -> StorefrontCache:
    cache = _CACHES.get(db)
    if cache is None:
        cache = _CACHES[db] = StorefrontCache()
    return cache


def forget_storefront_cache(db: Database) -> None:
    """Drop what is cached for `db` (after an operator edits the tree, or in tests)."""
    _CACHES.pop(db, None)
