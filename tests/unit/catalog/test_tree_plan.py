"""The pure tree planner: placing nodes, and what a taxonomy re-import may change. Whatever
the operators did and whatever the file says, the planned tree keeps every category, has no
cycle, and no two siblings share a name (case aside)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from galerie.catalog.taxonomy import TaxonomyEntry, parse_taxonomy
from galerie.catalog.tree_plan import Node, name_key, place_all, plan_import

NAMES = ("A", "a", "B", "C")


def test_place_all_leaves_out_cycles_and_orphans() -> None:
    nodes = {
        1: Node(1, None, "Root"),
        2: Node(2, 1, "Child"),
        3: Node(3, 4, "Loop"),
        4: Node(4, 3, "Pool"),
        5: Node(5, 99, "Orphan"),
    }
    placed = place_all(nodes)
    assert sorted(placed) == [1, 2]
    assert (placed[2].path, placed[2].depth, placed[2].top_level_id) == ("Root > Child", 1, 1)


def test_kept_nodes_keep_their_place_and_clashes_are_left_out() -> None:
    existing = {1: Node(1, None, "A"), 2: Node(2, 1, "B"), 10: Node(10, 1, "Mine")}
    entries = parse_taxonomy(["1 - A", "2 - A > B2", "3 - A > Mine", "4 - A > Mine > X", "5 - Z"])
    planned, added = plan_import(existing, {2}, entries)
    assert planned[2] == Node(2, 1, "B")
    assert (3 in planned, 4 in planned, added) == (False, False, {5})


def _file(draws: list[tuple[int, int]]) -> list[TaxonomyEntry]:
    """A valid taxonomy from (parent index or -1, name index) pairs, ids 1..n."""
    paths: dict[int, str] = {}
    lines: list[str] = []
    for n, (parent, name) in enumerate(draws, start=1):
        base = paths.get(parent + 1) if 0 <= parent < n - 1 else None
        path = NAMES[name] if base is None else f"{base} > {NAMES[name]}"
        if path.casefold() in {p.casefold() for p in paths.values()}:
            continue
        paths[n] = path
        lines.append(f"{n} - {path}")
    return parse_taxonomy(lines)


trees = st.lists(st.tuples(st.integers(-1, 8), st.integers(0, 3)), max_size=10)


@settings(max_examples=200, deadline=None)
@given(trees, trees, st.sets(st.integers(1, 10)), st.lists(st.integers(-1, 12), max_size=4))
def test_a_planned_tree_is_always_a_tree(
    first: list[tuple[int, int]],
    second: list[tuple[int, int]],
    kept: set[int],
    operator_parents: list[int],
) -> None:
    existing_nodes, _ = plan_import({}, set(), _file(first))
    existing = dict(existing_nodes)
    for n, parent in enumerate(operator_parents):  # operators' categories, anywhere
        node = Node(1000 + n, parent if parent in existing else None, f"Op{n}")
        existing[node.id] = node
    planned, added = plan_import(existing, kept & set(existing), _file(second))
    placed = place_all(planned)
    assert set(existing) <= set(planned)
    assert set(placed) == set(planned)  # reachable from a root: no cycle, no orphan
    assert not added & set(existing)
    siblings = Counter((n.parent_id, name_key(n.name)) for n in planned.values())
    assert max(siblings.values(), default=1) == 1
    assert all(planned[i] == existing[i] for i in kept & set(existing))
