"""The console's category tree pages: an admin adds a top-level category and a subcategory,
renames, moves (a refused move comes back with its message and changes nothing), and
deactivates and reactivates; other operators, sellers and forged forms are refused."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import select

from galerie.catalog.models import OPERATOR_IDS_FROM, Category
from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.catalog_products.factories import APPAREL, CLOTHING, HOME, World, make_world
from tests.integration.catalog_tree.support import tree
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form


@pytest.fixture
async def world(db: Database, clock: FixedClock, tmp_path: Path) -> World:
    return await make_world(db, clock.now(), tmp_path)


async def _row(db: Database, category_id: int) -> Category:
    async with db.reading() as session:
        found = await session.scalar(select(Category).where(Category.id == category_id))
    assert found is not None
    return found


async def test_an_admin_edits_the_tree_through_the_pages(
    app: Litestar, client: httpx.AsyncClient, db: Database, world: World
) -> None:
    await sign_in_as(client, app, world.people["admin"].user_id)
    listing = await client.get("/console/categories")
    assert listing.status_code == 200
    assert 'action="/console/categories" method="post"' in listing.text
    added = await post_form(client, "/console/categories", {"name_en": "Crafts", "name_fr": ""})
    assert added.status_code == 303, added.text
    root = OPERATOR_IDS_FROM
    assert added.headers["location"] == f"/console/categories/{root}"
    child = await post_form(client, f"/console/categories/{root}/children", {"name_en": "Pottery"})
    assert child.headers["location"] == f"/console/categories/{root + 1}"
    page = await client.get(f"/console/categories/{root}")
    assert f'href="/console/categories/{root + 1}">Pottery</a>' in page.text
    renamed = await post_form(
        client,
        f"/console/categories/{root}/rename",
        {"name_en": "Handicrafts", "name_zh_cn": "手工艺"},
    )
    assert renamed.status_code == 303
    assert (await _row(db, root + 1)).path == "Handicrafts > Pottery"
    moved = await post_form(client, f"/console/categories/{root}/move", {"parent_id": f"#{HOME}"})
    assert moved.status_code == 303
    assert (await _row(db, root + 1)).path == "Home & Garden > Handicrafts > Pottery"
    off = await post_form(client, f"/console/categories/{HOME}/active", {"active": "no"})
    assert off.status_code == 303
    shown = await client.get(f"/console/categories/{root + 1}")
    assert 'id="active">Inactive, because a parent category is</dd>' in shown.text
    on = await post_form(client, f"/console/categories/{HOME}/active", {"active": "yes"})
    assert on.status_code == 303
    assert (await _row(db, HOME)).is_active is True


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (f"/console/categories/{APPAREL}/move", {"parent_id": str(CLOTHING)},
         "A category cannot move under itself or under one of its subcategories."),
        (f"/console/categories/{APPAREL}/move", {"parent_id": "abc"},
         "Enter the id of a category, or leave it empty."),
        (f"/console/categories/{CLOTHING}/move", {"parent_id": "999999"},
         "There is no category with this id."),
        (f"/console/categories/{APPAREL}/children", {"name_en": "CLOTHING"},
         "A category with this name is already there."),
        (f"/console/categories/{APPAREL}/rename", {"name_en": "Home & Garden"},
         "A category with this name is already there."),
        ("/console/categories", {"name_en": "A > B"},
         "A name may not contain '>' or control characters."),
        ("/console/categories", {"name_en": ""}, "This field is required."),
    ],
    ids=["cycle", "not an id", "unknown parent", "taken child", "taken rename", "bad name",
         "no name"],
)  # fmt: skip
async def test_a_refused_form_comes_back_with_its_message(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    world: World,
    path: str,
    data: dict[str, str],
    message: str,
) -> None:
    await sign_in_as(client, app, world.people["admin"].user_id)
    before = await tree(db)
    answer = await post_form(client, path, data)
    assert answer.status_code == 422
    assert message in answer.text
    assert await tree(db) == before


@pytest.mark.parametrize("role", ["moderation", "vetting", "owner", "shopper"])
async def test_others_are_refused_and_nothing_changes(
    app: Litestar, client: httpx.AsyncClient, db: Database, world: World, role: str
) -> None:
    before = await tree(db)
    await sign_in_as(client, app, world.people[role].user_id)
    for path, data in [
        ("/console/categories", {"name_en": "Crafts"}),
        (f"/console/categories/{HOME}/children", {"name_en": "Vases"}),
        (f"/console/categories/{HOME}/rename", {"name_en": "House"}),
        (f"/console/categories/{CLOTHING}/move", {"parent_id": str(HOME)}),
        (f"/console/categories/{HOME}/active", {"active": "no"}),
    ]:
        assert (await post_form(client, path, data)).status_code == 403, path
    assert await tree(db) == before


async def test_a_form_without_its_csrf_token_is_refused(
    app: Litestar, client: httpx.AsyncClient, db: Database, world: World
) -> None:
    await sign_in_as(client, app, world.people["admin"].user_id)
    before = await tree(db)
    forged = await post_form(
        client, f"/console/categories/{HOME}/active", {"active": "no"}, csrf=None
    )
    assert forged.status_code == 403
    assert await tree(db) == before
