"""The seller centre's payouts table says who made each payout, on SQLite and PostgreSQL: a
payout the owner asked for is "Your request", one a payout run made is "Payout run" (it
said "Requested on" above both, though nobody at the shop asked for the second)."""

from __future__ import annotations

import re

import httpx
from litestar import Litestar
from sqlalchemy import update

from galerie.db import Database
from galerie.identity.models import User
from galerie.kernel import FixedClock, Money
from galerie.settlement import run_payouts
from tests.integration.payments.support import make_provider
from tests.integration.settlement.support import fund
from tests.web.sessions import sign_in_as
from tests.web.storefront_catalog_factories import make_shops
from tests.web.test_pages_support import post_form


def _rows(page: str) -> list[list[str]]:
    table = page.split('id="shop-payouts"', 1)[1].split("</table>", 1)[0]
    cell = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", flags=re.S)
    return [cell.findall(row) for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)]


async def test_a_requested_payout_and_a_runs_payout_are_told_apart(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: object
) -> None:
    shops = await make_shops(db, clock, tmp_path)  # type: ignore[arg-type]
    await fund(db, shops.live, 50_000, clock.now(), "test:fund")
    await sign_in_as(client, app, shops.people["owner"].user_id)
    base = f"/seller/shops/{shops.live}/finance"
    asked = await post_form(client, base + "/payouts", {"amount": "120.50", "token": "t1"})
    assert asked.status_code == 303
    done = await run_payouts(
        db, make_provider(db, clock), key="CNY:2026-11-11", minimum=Money(10_000, "CNY"),
        now=clock.now(),
    )  # fmt: skip
    assert done.payouts == 1
    page = await client.get(base, headers={"Accept-Language": "en"})
    rows = _rows(page.text)
    assert rows[0] == ["Date", "Made by", "Amount", "Status"]
    assert sorted(row[1:3] for row in rows[1:]) == [
        ["Payout run", "CN¥379.50"],
        ["Your request", "CN¥120.50"],
    ]
    owner = shops.people["owner"].user_id
    async with db.transaction() as session:
        await session.execute(update(User).where(User.id == owner).values(preferred_language="fr"))
    french = _rows((await client.get(base)).text)
    assert french[0] == ["Date", "À l'origine", "Montant", "État"]
    assert sorted(row[1] for row in french[1:]) == ["Campagne de versement", "Votre demande"]
