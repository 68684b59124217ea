"""The category tree as plain data: placing every node (path, depth, root) from its parent
and English name, and deciding what a taxonomy re-import may change without undoing
operators' edits or breaking the tree. Pure: no I/O.

Two rules hold for every tree we write: no category lies under itself, and no two children
of one parent (or two roots) share an English name, case aside (so paths are unique)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from galerie.catalog.taxonomy import SEPARATOR, TaxonomyEntry


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    parent_id: int | None
    name: str


@dataclass(frozen=True, slots=True)
class Place:
    """Where a node stands: what the `categories` row keeps of the tree."""

    parent_id: int | None
    name: str
    path: str
    depth: int
    top_level_id: int


def place_all(nodes: Mapping[int, Node]) -> dict[int, Place]:
    """The place of every node reachable from a root (a node under a missing parent, or in
    a cycle, is left out)."""
    children: dict[int | None, list[Node]] = defaultdict(list)
    for node in nodes.values():
        children[node.parent_id].append(node)
    placed: dict[int, Place] = {}
    stack: list[tuple[Node, Place | None]] = [(n, None) for n in children[None]]
    while stack:
        node, parent = stack.pop()
        if parent is None:
            place = Place(None, node.name, node.name, 0, node.id)
        else:
            path = parent.path + SEPARATOR + node.name
            place = Place(node.parent_id, node.name, path, parent.depth + 1, parent.top_level_id)
        placed[node.id] = place
        stack.extend((child, place) for child in children[node.id])
    return placed


def name_key(name: str) -> str:
    """What sibling names are compared on: case and surrounding blanks aside."""
    return name.strip().casefold()


class TreeIndex:
    """A tree to try changes on: each node's parent, and who holds each sibling name."""

    def __init__(self, nodes: Mapping[int, Node]) -> None:
        self.nodes = dict(nodes)
        self.names = {(n.parent_id, name_key(n.name)): n.id for n in nodes.values()}

    def is_within(self, node_id: int | None, ancestor_id: int) -> bool:
        """Whether `node_id` is `ancestor_id` or lies below it."""
        steps = 0
        while node_id is not None and steps <= len(self.nodes):
            if node_id == ancestor_id:
                return True
            found = self.nodes.get(node_id)
            node_id = found.parent_id if found else None
            steps += 1
        return False

    def allows(self, node: Node) -> bool:
        """Whether the node may stand as given: its parent known and not itself or below
        it, its name free among its siblings."""
        if node.parent_id is not None and (
            node.parent_id not in self.nodes or self.is_within(node.parent_id, node.id)
        ):
            return False
        holder = self.names.get((node.parent_id, name_key(node.name)))
        return holder is None or holder == node.id

    def put(self, node: Node) -> None:
        old = self.nodes.get(node.id)
        if old is not None and self.names.get((old.parent_id, name_key(old.name))) == old.id:
            del self.names[(old.parent_id, name_key(old.name))]
        self.nodes[node.id] = node
        self.names[(node.parent_id, name_key(node.name))] = node.id


def plan_import(
    existing: Mapping[int, Node], kept: set[int], entries: Iterable[TaxonomyEntry]
) -> tuple[dict[int, Node], set[int]]:
    """The tree after a taxonomy import over `existing`, and the ids it adds.

    Google's new categories are added and its moves and renames applied, shallowest first
    (changes to existing categories before new ones at the same depth), except:
    a category in `kept` (renamed or moved by an operator) keeps its name and place;
    a change that would put a category under itself, under a category left out, or beside
    a sibling of the same name (an operator's category, say) is left out, and a new
    category left out takes its descendants with it. Categories absent from the file (the
    operators') stay where they are."""
    tree = TreeIndex(existing)
    wanted = [
        (entry.depth, entry.id in existing, Node(entry.id, entry.parent_id, entry.name))
        for entry in entries
        if entry.id not in kept
    ]
    wanted = [w for w in wanted if existing.get(w[2].id) != w[2]]
    added: set[int] = set()
    for _depth, _known, node in sorted(wanted, key=lambda w: (w[0], not w[1])):
        if tree.allows(node):
            tree.put(node)
            if node.id not in existing:
                added.add(node.id)
    return tree.nodes, added
