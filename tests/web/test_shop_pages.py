"""The shops of the storefront: the directory, the shop page (discreet launch: a hidden shop
is a plain 404 for everyone but its team and operators), following, escaping, languages."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import select

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.sellers import Decoration, ShopAction, change_shop_status, decorate_shop
from galerie.sellers.models import Shop, ShopFollow
from galerie.web.auth import galerie_of_app
from tests.integration.sellers.factories import (
    APPAREL,
    FOOD,
    HOME,
    People,
    insert_shop,
    load_categories,
    make_people,
)
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form

AUDIT = AuditContext(request_id="test")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
async def people(db: Database, clock: FixedClock, tmp_path: Path) -> People:
    await load_categories(db, clock.now(), tmp_path)
    return await make_people(db, clock.now())


async def shop(
    db: Database,
    clock: FixedClock,
    people: People,
    *,
    slug: str,
    name: str = "Maison Lune",
    status: str = "live",
    shop_type: str = "individual",
    top_levels: tuple[int, ...] = (HOME,),
    descriptions: dict[str, str] | None = None,
    organisation: str = "org",
    logo_key: str | None = None,
) -> int:
    """A shop in `status`, decorated through the sellers service by its owner (a closed
    shop cannot be decorated: it keeps the factory's name "Maison Lune")."""
    org = people.org if organisation == "org" else people.rival_org
    owner = people["owner"] if organisation == "org" else people["rival"]
    shop_id = await insert_shop(
        db, clock.now(), organisation_id=org, status=status, shop_type=shop_type,
        top_levels=top_levels,
    )  # fmt: skip
    if status == "closed":
        return shop_id
    decoration = Decoration(
        name=name, slug=slug, descriptions=descriptions or {}, logo_key=logo_key
    )
    await decorate_shop(
        db, actor=owner, shop_id=shop_id, decoration=decoration, now=clock.now(), audit=AUDIT
    )
    return shop_id


def same_page(html: str, slug: str) -> str:
    without_tokens = re.sub(r'(x-csrftoken": "|name="_csrf_token" value=")[^"]*', "", html)
    return without_tokens.replace(slug, "SLUG")


async def follows(db: Database) -> list[tuple[int, int]]:
    async with db.reading() as session:
        rows = await session.execute(select(ShopFollow.user_id, ShopFollow.shop_id))
    return sorted((u, s) for u, s in rows.tuples())


# The directory


async def test_the_directory_lists_live_shops_only(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    await shop(db, clock, people, slug="open-one", name="Open One")
    await shop(db, clock, people, slug="open-two", name="Another Open", organisation="rival")
    for status in ("preparing", "suspended", "closed"):
        await shop(
            db, clock, people, slug=f"hidden-{status}", name=f"Hidden {status}", status=status
        )
    response = await client.get("/shops")
    assert response.status_code == 200
    assert "Another Open" in response.text
    assert "Open One" in response.text
    assert response.text.index("Another Open") < response.text.index("Open One")  # by name
    assert "Hidden" not in response.text
    assert "hidden-" not in response.text
    assert "Maison Lune" not in response.text  # the closed one
    assert "2 shops" in response.text


async def test_the_directory_filters_by_type_and_category(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    await shop(db, clock, people, slug="home-solo", name="Home Solo", top_levels=(HOME,))
    await shop(
        db, clock, people, slug="wear-flag", name="Wear Flag", shop_type="flagship",
        top_levels=(APPAREL,),
    )  # fmt: skip
    await shop(
        db, clock, people, slug="both-flag", name="Both Flag", shop_type="flagship",
        top_levels=(HOME, APPAREL),
    )  # fmt: skip

    async def names(query: str) -> list[str]:
        response = await client.get(f"/shops{query}")
        assert response.status_code == 200
        found = ["Both Flag", "Home Solo", "Wear Flag"]
        return [n for n in found if f">{n}</a>" in response.text]

    assert await names("") == ["Both Flag", "Home Solo", "Wear Flag"]
    assert await names("?type=flagship") == ["Both Flag", "Wear Flag"]
    assert await names("?type=individual") == ["Home Solo"]
    assert await names(f"?category={APPAREL}") == ["Both Flag", "Wear Flag"]
    assert await names(f"?type=flagship&category={HOME}") == ["Both Flag"]
    assert await names(f"?category={FOOD}") == []
    assert await names("?type=&category=") == ["Both Flag", "Home Solo", "Wear Flag"]


async def test_the_directory_offers_localised_categories_and_type_badges(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    await shop(db, clock, people, slug="wear-flag", name="Wear Flag", shop_type="flagship")
    response = await client.get("/shops", headers={"accept-language": "fr"})
    assert f'<option value="{APPAREL}">' in response.text
    assert "Boutique officielle de la marque" in response.text
    assert "Toutes les catégories de produits" in response.text
    chinese = await client.get("/shops", headers={"accept-language": "zh-CN"})
    assert "官方旗舰店" in chinese.text
    assert '<html lang="zh-CN">' in chinese.text


@pytest.mark.parametrize(
    "query", ["?type=warehouse", "?category=abc", "?category=999999", "?page=0", "?page=-1"]
)
async def test_the_directory_refuses_bad_filters(
    client: httpx.AsyncClient, people: People, query: str
) -> None:
    response = await client.get(f"/shops{query}")
    assert response.status_code == 422
    assert "bad_" in response.text


async def test_the_directory_pages_through_many_shops(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    for _ in range(25):
        await insert_shop(db, clock.now(), organisation_id=people.org, status="live")
    first = await client.get("/shops?type=individual")
    assert first.text.count('class="card shop-card"') == 24
    assert "Page 1 of 2" in first.text
    assert 'href="/shops?page=2&amp;type=individual&amp;category=" rel="next"' in first.text
    second = await client.get("/shops?page=2&type=individual")
    assert second.text.count('class="card shop-card"') == 1
    assert "Page 2 of 2" in second.text
    beyond = await client.get("/shops?page=3")
    assert beyond.status_code == 200
    assert beyond.text.count('class="card shop-card"') == 0


# The shop page and the discreet launch


async def test_a_live_shop_page_shows_its_branding(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    await shop(
        db, clock, people, slug="maison-lune", shop_type="flagship",
        descriptions={"en": "Moon lamps.", "fr": "Des lampes lune."},
    )  # fmt: skip
    response = await client.get("/shops/maison-lune")
    assert response.status_code == 200
    assert '<h1 id="shop-name">Maison Lune</h1>' in response.text
    assert "Official flagship store" in response.text
    assert "Moon lamps." in response.text
    assert "0 followers" in response.text
    assert "No products here yet." in response.text
    assert "Sign in to follow this shop" in response.text
    assert 'href="/signin?next=/shops/maison-lune"' in response.text
    assert "not public yet" not in response.text
    french = await client.get("/shops/MAISON-LUNE", headers={"accept-language": "fr"})
    assert "Des lampes lune." in french.text
    assert "Boutique officielle de la marque" in french.text
    chinese = await client.get("/shops/maison-lune", headers={"accept-language": "zh-CN"})
    assert "Moon lamps." in chinese.text  # no Chinese text: falls back to English


@pytest.mark.parametrize("status", ["preparing", "suspended"])
async def test_a_hidden_shop_is_a_plain_404_to_outsiders(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    people: People,
    status: str,
) -> None:
    await shop(db, clock, people, slug="quiet-shop", name="Quiet Shop", status=status)
    for who in (None, "shopper", "rival"):
        client.cookies.clear()
        if who:
            await sign_in_as(client, app, people[who].user_id)
        unknown = await client.get("/shops/no-such-shop")
        response = await client.get("/shops/quiet-shop")
        assert response.status_code == unknown.status_code == 404, who
        assert "Quiet Shop" not in response.text
        assert "<code>not_found</code>" in response.text
        # The very same page as for an address that never existed (but for the path and
        # the form tokens).
        assert same_page(response.text, "quiet-shop") == same_page(unknown.text, "no-such-shop")


@pytest.mark.parametrize(
    ("status", "banner"),
    [
        ("preparing", "Preparing: not public yet."),
        ("suspended", "Suspended: hidden from shoppers."),
    ],
)
async def test_a_hidden_shop_shows_to_its_team_and_operators_with_a_banner(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    people: People,
    status: str,
    banner: str,
) -> None:
    await shop(db, clock, people, slug="quiet-shop", name="Quiet Shop", status=status)
    for who in ("owner", "staff", "support", "moderation"):
        client.cookies.clear()
        await sign_in_as(client, app, people[who].user_id)
        response = await client.get("/shops/quiet-shop")
        assert response.status_code == 200, who
        assert banner in response.text
        assert "Quiet Shop" in response.text
        assert "/shops/quiet-shop/follow" not in response.text  # not followable


async def test_a_suspended_shop_leaves_the_directory_and_its_page(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    shop_id = await shop(db, clock, people, slug="soon-gone", name="Soon Gone")
    assert (await client.get("/shops/soon-gone")).status_code == 200
    await change_shop_status(
        db, actor=people["moderation"], shop_id=shop_id, action=ShopAction.SUSPEND,
        reason="Counterfeits", now=clock.now(), audit=AUDIT,
    )  # fmt: skip
    assert (await client.get("/shops/soon-gone")).status_code == 404
    assert "Soon Gone" not in (await client.get("/shops")).text


async def test_seller_text_is_escaped(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    await shop(
        db, clock, people, slug="sneaky", name="<script>alert('n')</script>",
        descriptions={"en": "<script>alert('d')</script><b>bold</b>"},
    )  # fmt: skip
    for path in ("/shops/sneaky", "/shops"):
        response = await client.get(path)
        assert "<script>alert" not in response.text, path
        assert "<b>bold</b>" not in response.text, path
        assert "&lt;script&gt;alert(" in response.text, path


# Following


async def test_following_and_unfollowing_from_the_page(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    shop_id = await shop(db, clock, people, slug="maison-lune")
    user = people["shopper"].user_id
    await sign_in_as(client, app, user)
    first = await post_form(client, "/shops/maison-lune/follow", {})
    assert first.status_code == 303
    assert first.headers["location"] == "/shops/maison-lune"
    again = await post_form(client, "/shops/maison-lune/follow", {})
    assert again.status_code == 303
    assert await follows(db) == [(user, shop_id)]
    page = await client.get("/shops/maison-lune")
    assert "1 follower" in page.text
    assert 'action="/shops/maison-lune/unfollow"' in page.text
    gone = await post_form(client, "/shops/maison-lune/unfollow", {})
    assert gone.status_code == 303
    assert await follows(db) == []
    assert "0 followers" in (await client.get("/shops/maison-lune")).text


async def test_htmx_swaps_the_button_and_the_count(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    shop_id = await shop(db, clock, people, slug="maison-lune")
    await sign_in_as(client, app, people["rival"].user_id)
    await post_form(client, "/shops/maison-lune/follow", {})
    client.cookies.clear()
    await sign_in_as(client, app, people["shopper"].user_id)
    hx = {"hx-request": "true"}
    followed = await post_form(client, "/shops/maison-lune/follow", {}, headers=hx)
    assert followed.status_code == 200
    assert followed.text.startswith('<div id="shop-follow"')
    assert "2 followers" in followed.text
    assert 'hx-post="/shops/maison-lune/unfollow"' in followed.text
    assert "<html" not in followed.text
    unfollowed = await post_form(client, "/shops/maison-lune/unfollow", {}, headers=hx)
    assert "1 follower" in unfollowed.text
    assert 'hx-post="/shops/maison-lune/follow"' in unfollowed.text
    assert await follows(db) == [(people["rival"].user_id, shop_id)]


@pytest.mark.parametrize("status", ["preparing", "suspended"])
async def test_a_hidden_shop_cannot_be_followed_even_by_its_team(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    people: People,
    status: str,
) -> None:
    await shop(db, clock, people, slug="quiet-shop", status=status)
    for who in ("owner", "shopper"):
        client.cookies.clear()
        await sign_in_as(client, app, people[who].user_id)
        response = await post_form(client, "/shops/quiet-shop/follow", {})
        assert response.status_code == 404, who
        assert "<code>not_found</code>" in response.text
    assert await follows(db) == []


async def test_follow_forms_need_the_csrf_token(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    shop_id = await shop(db, clock, people, slug="maison-lune")
    user = people["shopper"].user_id
    await sign_in_as(client, app, user)
    for path in ("/shops/maison-lune/follow", "/shops/maison-lune/unfollow"):
        assert (await post_form(client, path, {}, csrf=None)).status_code == 403
        assert (await post_form(client, path, {}, csrf="f" * 64)).status_code == 403
    assert await follows(db) == []
    await post_form(client, "/shops/maison-lune/follow", {})
    assert (
        await post_form(client, "/shops/maison-lune/unfollow", {}, csrf=None)
    ).status_code == 403
    assert await follows(db) == [(user, shop_id)]


async def test_anonymous_followers_are_sent_to_sign_in(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    await shop(db, clock, people, slug="maison-lune")
    response = await post_form(client, "/shops/maison-lune/follow", {})
    assert response.status_code in {302, 303}
    assert response.headers["location"].startswith("/signin")
    assert await follows(db) == []


async def test_the_shops_a_person_follows(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    kept = await shop(db, clock, people, slug="kept-shop", name="Kept Shop")
    later = await shop(db, clock, people, slug="later-shop", name="Later Shop")
    await shop(db, clock, people, slug="not-followed", name="Not Followed")
    await sign_in_as(client, app, people["shopper"].user_id)
    empty = await client.get("/account/following")
    assert "You do not follow any shop yet." in empty.text
    await post_form(client, "/shops/kept-shop/follow", {})
    await post_form(client, "/shops/later-shop/follow", {})
    await change_shop_status(
        db, actor=people["moderation"], shop_id=later, action=ShopAction.SUSPEND,
        reason="Counterfeits", now=clock.now(), audit=AUDIT,
    )  # fmt: skip
    await post_form(client, "/language", {"language": "fr", "next": "/"})  # the account's
    response = await client.get("/account/following")
    assert response.status_code == 200
    assert "Kept Shop" in response.text
    assert "Later Shop" not in response.text
    assert "Not Followed" not in response.text
    assert "Boutiques que vous suivez" in response.text
    assert kept > 0


# Logo and banner


async def test_the_logo_is_served_to_those_who_may_see_the_shop(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    storage = galerie_of_app(app).storage
    await storage.put("shops/logo-1.png", PNG, content_type="image/png")
    await storage.put("shops/fake.png", b"<script>x</script>", content_type="image/png")
    await shop(db, clock, people, slug="with-logo", logo_key="shops/logo-1.png")
    await shop(db, clock, people, slug="bad-logo", logo_key="shops/fake.png")
    await shop(
        db, clock, people, slug="quiet-logo", logo_key="shops/logo-1.png", status="preparing"
    )
    page = await client.get("/shops/with-logo")
    assert 'src="/shops/with-logo/images/logo"' in page.text
    logo = await client.get("/shops/with-logo/images/logo")
    assert logo.status_code == 200
    assert logo.content == PNG
    assert logo.headers["content-type"] == "image/png"
    assert logo.headers["x-content-type-options"] == "nosniff"
    assert (await client.get("/shops/with-logo/images/banner")).status_code == 404
    assert (await client.get("/shops/with-logo/images/other")).status_code == 404
    assert (await client.get("/shops/bad-logo/images/logo")).status_code == 404
    assert (await client.get("/shops/quiet-logo/images/logo")).status_code == 404
    await sign_in_as(client, app, people["owner"].user_id)
    assert (await client.get("/shops/quiet-logo/images/logo")).status_code == 200


async def test_slugs_are_looked_up_case_insensitively_only_among_shops(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, people: People
) -> None:
    await shop(db, clock, people, slug="maison-lune")
    async with db.reading() as session:
        assert await session.scalar(select(Shop.slug).where(Shop.slug == "maison-lune"))
    assert (await client.get("/shops/Maison-Lune")).status_code == 200
    assert (await client.get("/shops/maison-lune-2")).status_code == 404
