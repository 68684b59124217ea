"""The legal details each demo organisation fills in on its applications."""

from __future__ import annotations

from dataclasses import dataclass

from galerie.demo.accounts import (
    BRIGHT_STAR,
    KIDDO,
    LEA,
    LINDQVIST,
    LUMIERE,
    NORDHAVN,
    OLIVE,
    PANDA,
    RETRO,
    SABOTS,
    XIAOMEI,
    ZHANG,
)
from galerie.sellers import ApplicantKind, ApplicationForm, ShopType


@dataclass(frozen=True, slots=True)
class Legal:
    legal_name: str
    registration_number: str
    country: str
    address: str
    legal_representative: str
    contact_email: str
    contact_phone: str
    bank_account_number: str

    @property
    def individual(self) -> bool:
        return self.registration_number.split("-")[1:2] == ["ID"]

    def form(
        self, shop_type: ShopType, category_ids: tuple[int, ...], brand_ids: tuple[int, ...]
    ) -> ApplicationForm:
        kind = ApplicantKind.INDIVIDUAL if self.individual else ApplicantKind.BUSINESS
        return ApplicationForm(
            applicant_kind=kind,
            legal_name=self.legal_name,
            registration_number=self.registration_number,
            country=self.country,
            address=self.address,
            legal_representative=self.legal_representative,
            contact_email=self.contact_email,
            contact_phone=self.contact_phone,
            bank_account_holder=self.legal_name,
            bank_account_number=self.bank_account_number,
            shop_type=shop_type,
            category_ids=category_ids,
            brand_ids=brand_ids,
        )


# Individuals' registration numbers read "<country>-ID-<number>" (their identity papers).
LEGAL: dict[str, Legal] = {
    NORDHAVN: Legal(
        "Nordhavn Foods A/S", "DK-31245687", "DK", "Sundkrogsgade 21, 2100 København Ø",
        "Ingrid Madsen", "owner@nordhavn.test", "+45 33 12 45 67", "DK5000400440116243",
    ),
    SABOTS: Legal(
        "Atelier des Sabots SARL", "FR-812 345 678", "FR", "4 rue des Tanneurs, 88000 Épinal",
        "Camille Girard", "owner@sabots.test", "+33 3 29 64 12 00",
        "FR7630006000011234567890189",
    ),
    XIAOMEI: Legal(
        "李小美 Li Xiaomei", "CN-ID-310101199001018765", "CN", "上海市黄浦区南京东路 100 号",
        "李小美 Li Xiaomei", "owner@xiaomei.test", "+86 138 0013 8000", "6222020200112233445",
    ),
    LINDQVIST: Legal(
        "Lindqvist Kitchenware AB", "SE-556677-8899", "SE", "Kungsgatan 12, 411 19 Göteborg",
        "Astrid Lindqvist", "owner@lindqvist.test", "+46 31 123 45 67",
        "SE4550000000058398257466",
    ),
    KIDDO: Legal(
        "Kiddo Trading Ltd", "HK-2987654", "HK", "18/F, 88 Queen's Road Central, Hong Kong",
        "黄嘉欣 Wong Ka-yan", "owner@kiddo.test", "+852 2123 4567", "HK00412345678901",
    ),
    PANDA: Legal(
        "熊猫家居 Panda Home Supply Co., Ltd.", "91510100MA6C8K2X1Y", "CN",
        "四川省成都市锦江区红星路三段 1 号", "赵敏 Zhao Min", "owner@pandahome.test",
        "+86 28 8888 6666", "6217003810026543210",
    ),
    LUMIERE: Legal(
        "Boutique Lumière SAS", "FR-901 234 567", "FR", "27 rue de la République, 69002 Lyon",
        "Julien Moreau", "owner@lumiere.test", "+33 4 78 00 11 22",
        "FR7610096000501234567890123",
    ),
    ZHANG: Legal(
        "张伟 Zhang Wei", "CN-ID-350102198805051234", "CN", "福建省福州市鼓楼区五四路 8 号",
        "张伟 Zhang Wei", "owner@zhangtea.test", "+86 591 8765 4321", "6228480012345678901",
    ),
    LEA: Legal(
        "Léa Martin", "FR-ID-19AB45678", "FR", "9 place Bellecour, 69002 Lyon", "Léa Martin",
        "owner@leavintage.test", "+33 6 12 34 56 78", "FR7620041010050500013M02606",
    ),
    RETRO: Legal(
        "Tom Baker", "GB-ID-533842197", "GB", "14 Canal Street, Manchester M1 3HE", "Tom Baker",
        "owner@retropixel.test", "+44 161 496 0000", "GB29NWBK60161331926819",
    ),
    BRIGHT_STAR: Legal(
        "深圳明星电子有限公司 Shenzhen Bright Star Electronics Co., Ltd.", "91440300MA5F1B2C3D",
        "CN", "广东省深圳市南山区科技园 6 号", "陈静 Chen Jing", "owner@brightstar.test",
        "+86 755 2666 8888", "6214830012345678",
    ),
    OLIVE: Legal(
        "Olive & Thyme Ltd", "GB-09876543", "GB", "3 Borough Market, London SE1 9AH",
        "Priya Shah", "owner@oliveandthyme.test", "+44 20 7946 0000",
        "GB82WEST12345698765432",
    ),
}  # fmt: skip
