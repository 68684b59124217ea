"""The demo's people: an operator of each role, seller organisations with members, shoppers."""

from __future__ import annotations

from dataclasses import dataclass, field

from galerie.identity import OperatorRole, SellerRole

DEMO_PASSWORD = "galerie-demo-2026"  # noqa: S105 - published on purpose, demo only


@dataclass(frozen=True, slots=True)
class DemoAccount:
    email: str
    display_name: str
    language: str
    operator_roles: tuple[OperatorRole, ...] = ()
    # (organisation name, role, acting for brand)
    memberships: tuple[tuple[str, SellerRole, str | None], ...] = ()
    notes: str = field(default="")


NORDHAVN = "Nordhavn Foods A/S"
SABOTS = "Atelier des Sabots SARL"
XIAOMEI = "小美手作 Xiaomei Crafts"
LINDQVIST = "Lindqvist Kitchenware AB"
KIDDO = "Kiddo Trading Ltd"
PANDA = "熊猫家居 Panda Home Supply Co., Ltd."
LUMIERE = "Boutique Lumière SAS"
ZHANG = "张伟茶铺 Zhang Wei Tea"
LEA = "Léa Martin Vintage"
RETRO = "Retro Pixel"
BRIGHT_STAR = "深圳明星电子 Shenzhen Bright Star Electronics Co., Ltd."
OLIVE = "Olive & Thyme Ltd"

ORGANISATIONS = (
    NORDHAVN, SABOTS, XIAOMEI, LINDQVIST, KIDDO, PANDA, LUMIERE, ZHANG, LEA, RETRO,
    BRIGHT_STAR, OLIVE,
)  # fmt: skip


def _owner(email: str, name: str, language: str, organisation: str, notes: str) -> DemoAccount:
    return DemoAccount(
        email, name, language, memberships=((organisation, SellerRole.OWNER, None),), notes=notes
    )


def demo_accounts() -> tuple[DemoAccount, ...]:
    operators = tuple(
        DemoAccount(
            email=f"{role.value}@galerie.test",
            display_name=f"{role.value.title()} Operator",
            language="en",
            operator_roles=(role,),
            notes=f"operator: {role.value}",
        )
        for role in OperatorRole
    )
    sellers = (
        DemoAccount(
            "owner@nordhavn.test", "Ingrid Madsen", "en",
            memberships=((NORDHAVN, SellerRole.OWNER, None),), notes="seller owner (foreign brand)",
        ),
        DemoAccount(
            "manager@nordhavn.test", "Lars Holm", "en",
            memberships=((NORDHAVN, SellerRole.MANAGER, None),), notes="seller manager",
        ),
        DemoAccount(
            "staff@nordhavn.test", "王芳 Wang Fang", "zh-CN",
            memberships=((NORDHAVN, SellerRole.STAFF, None),), notes="seller staff",
        ),
        DemoAccount(
            "owner@sabots.test", "Camille Girard", "fr",
            memberships=((SABOTS, SellerRole.OWNER, None),), notes="seller owner",
        ),
        DemoAccount(
            "agency@partners.test", "刘洋 Liu Yang", "zh-CN",
            memberships=((SABOTS, SellerRole.AGENCY, "Sabots"), (NORDHAVN, SellerRole.AGENCY, "Nordhavn")),
            notes="agency operator for two brands",
        ),
        DemoAccount(
            "owner@xiaomei.test", "李小美 Li Xiaomei", "zh-CN",
            memberships=((XIAOMEI, SellerRole.OWNER, None),), notes="individual seller (C2C)",
        ),
        _owner("owner@lindqvist.test", "Astrid Lindqvist", "en", LINDQVIST, "seller owner (flagship, TM mark)"),
        _owner("owner@kiddo.test", "黄嘉欣 Wong Ka-yan", "zh-CN", KIDDO, "seller owner (exclusive licensee)"),
        _owner("owner@pandahome.test", "赵敏 Zhao Min", "zh-CN", PANDA, "seller owner (multi-brand, sub-licence)"),
        _owner("owner@lumiere.test", "Julien Moreau", "fr", LUMIERE, "seller owner (authorised, suspended)"),
        _owner("owner@zhangtea.test", "张伟 Zhang Wei", "zh-CN", ZHANG, "individual seller (tea)"),
        _owner("owner@leavintage.test", "Léa Martin", "fr", LEA, "individual seller (shop closed)"),
        _owner("owner@retropixel.test", "Tom Baker", "en", RETRO, "individual seller (reinstated)"),
        _owner("owner@brightstar.test", "陈静 Chen Jing", "zh-CN", BRIGHT_STAR, "applicant (in review, overdue)"),
        _owner("owner@oliveandthyme.test", "Priya Shah", "en", OLIVE, "applicant (food, in review)"),
    )  # fmt: skip
    shoppers = (
        DemoAccount("chen.wei@example.test", "陈伟 Chen Wei", "zh-CN", notes="shopper, Shanghai"),
        DemoAccount("amelie@example.test", "Amélie Durand", "fr", notes="shopper, Lyon"),
        DemoAccount("sam@example.test", "Sam Taylor", "en", notes="shopper"),
    )
    return operators + sellers + shoppers
