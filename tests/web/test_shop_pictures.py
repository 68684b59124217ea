"""Shop logo and banner: a real PNG or JPEG is stored and shown on the shop page; a script
renamed .png, an empty file or a decompression bomb is refused with a message, and nothing is
stored, recorded or changed; another organisation's owner cannot upload to the shop."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from PIL import Image
from sqlalchemy import func, select

from galerie.audit.models import AuditRecord
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.identity import SellerRole
from galerie.kernel import FixedClock
from galerie.sellers.models import Shop
from galerie.storage import InMemoryStorage
from galerie.web.auth import galerie_of_app
from tests.factories import make_user
from tests.integration.sellers.factories import insert_shop, load_categories
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import csrf_token


def png(width: int = 120, height: int = 60) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (140, 40, 60)).save(out, format="PNG")
    return out.getvalue()


def bomb() -> bytes:
    """A tiny PNG that claims 20,000 x 20,000 pixels."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
async def shop(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> int:
    await load_categories(db, clock.now(), tmp_path)
    made = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    assert made.organisation_id is not None
    await sign_in_as(client, app, made.user_id)
    return await insert_shop(db, clock.now(), organisation_id=made.organisation_id)


async def send(client: httpx.AsyncClient, shop_id: int, kind: str, data: bytes) -> httpx.Response:
    return await client.post(
        f"/seller/shops/{shop_id}/pictures/{kind}",
        data={"_csrf_token": await csrf_token(client)},
        files={"file": ("picture.png", data, "image/png")},
    )


async def state(db: Database, shop_id: int) -> tuple[str | None, str | None, int, int]:
    async with db.reading() as session:
        found = await session.get(Shop, shop_id)
        assert found is not None
        audits = await session.scalar(select(func.count()).select_from(AuditRecord))
        events = await session.scalar(select(func.count()).select_from(OutboxEvent))
    return found.logo_key, found.banner_key, audits or 0, events or 0


async def test_a_logo_and_a_banner_are_stored_and_shown(
    app: Litestar, client: httpx.AsyncClient, db: Database, shop: int
) -> None:
    _, _, audits, events = await state(db, shop)
    logo = await send(client, shop, "logo", png())
    assert logo.status_code == 303
    assert logo.headers["location"] == f"/seller/shops/{shop}"
    banner = await send(client, shop, "banner", png(800, 200))
    assert banner.status_code == 303
    logo_key, banner_key, audits_after, events_after = await state(db, shop)
    assert logo_key is not None
    assert logo_key.startswith(f"shops/{shop}/logo-")
    assert banner_key is not None
    assert banner_key.startswith(f"shops/{shop}/banner-")
    assert (audits_after - audits, events_after - events) == (2, 2)
    storage = galerie_of_app(app).storage
    assert isinstance(storage, InMemoryStorage)
    assert await storage.get(logo_key) == png()
    page = await client.get(f"/seller/shops/{shop}")
    async with db.reading() as session:
        slug = await session.scalar(select(Shop.slug).where(Shop.id == shop))
    assert f'src="/shops/{slug}/images/logo"' in page.text
    served = await client.get(f"/shops/{slug}/images/banner")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("image/png")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "The picture must be a PNG or JPEG image."),
        (b"", "Choose a picture to upload."),
        (bomb(), "The picture has too many pixels."),
        (png()[:60], "The picture is damaged or truncated."),
    ],
    ids=["script", "empty", "bomb", "truncated"],
)
async def test_a_bad_picture_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, db: Database, shop: int, data: bytes, message: str
) -> None:
    before = await state(db, shop)
    refused = await send(client, shop, "logo", data)
    assert refused.status_code == 422
    assert message in refused.text
    assert await state(db, shop) == before


async def test_an_unknown_kind_is_not_found(
    client: httpx.AsyncClient, db: Database, shop: int
) -> None:
    before = await state(db, shop)
    assert (await send(client, shop, "favicon", png())).status_code == 404
    assert await state(db, shop) == before


async def test_another_organisation_cannot_upload(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, shop: int
) -> None:
    rival = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    await sign_in_as(client, app, rival.user_id)
    before = await state(db, shop)
    refused = await send(client, shop, "logo", png())
    assert refused.status_code == 404
    assert await state(db, shop) == before
