"""Google's product taxonomy: parsing its text file, and Galerie's defaults for it. Pure.

The file has one category per line, `id - Level 1 > Level 2 > ...`, after a header line
starting with `#`. Each category's parent is the category whose path is its own path minus
the last level, so parents are found by path, wherever they appear in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from galerie.kernel import ValidationFailed

DEFAULT_TAXONOMY = Path(__file__).parent / "data" / "google-product-taxonomy-with-ids.en-US.txt"
SEPARATOR = " > "
MAX_NAME = 200
MAX_PATH = 1000
# Ids of categories operators add: far above Google's (six digits today), never in its file.
OPERATOR_IDS_FROM = 1_000_000_000

_LINE = re.compile(r"(\d{1,19}) - (\S.*)")

# The 21 top-level categories in Simplified Chinese and French (Google's own published
# translations of the taxonomy). Deeper levels get translated later.
TOP_LEVEL_NAMES: dict[int, tuple[str, str]] = {
    1: ("动物和宠物用品", "Animaux et articles pour animaux de compagnie"),
    8: ("艺术和娱乐", "Arts et loisirs"),
    111: ("商业和工业", "Entreprise et industrie"),
    141: ("相机和光学器件", "Appareils photo, caméras et instruments d'optique"),
    166: ("服饰与配饰", "Vêtements et accessoires"),
    222: ("电子产品", "Appareils électroniques"),
    412: ("食品、饮料和烟草", "Alimentation, boissons et tabac"),
    436: ("家具", "Meubles"),
    469: ("健康与美容", "Santé et beauté"),
    536: ("家居和园艺", "Maison et jardin"),
    537: ("婴幼儿用品", "Bébés et tout-petits"),
    632: ("五金", "Quincaillerie"),
    772: ("成人用品", "Adulte"),
    783: ("媒体", "Médias"),
    888: ("车辆和零配件", "Véhicules et accessoires"),
    922: ("办公用品", "Fournitures de bureau"),
    988: ("体育用品", "Articles de sport"),
    1239: ("玩具和游戏", "Jeux et jouets"),
    2092: ("软件", "Logiciels"),
    5181: ("箱包", "Bagages et maroquinerie"),
    5605: ("宗教和仪式用品", "Articles religieux et de cérémonie"),
}

# The qualification a seller must hold to list in a category (and, by inheritance, in every
# category below it unless a nearer one says otherwise). The default set, set on import:
#   food_business_licence  - Food, Beverages & Tobacco (412); Baby & Toddler Food (562);
#                            Health Care > Fitness & Nutrition (2890: supplements are food)
#   alcohol_licence        - Food, Beverages & Tobacco > Beverages > Alcoholic Beverages (499676)
#   tobacco_licence        - Food, Beverages & Tobacco > Tobacco Products (435)
#   medical_device_licence - Health & Beauty > Health Care (491)
#   pharmaceutical_licence - Health & Beauty > Health Care > Medicine & Drugs (518)
#   weapons_licence        - Mature > Weapons (780)
DEFAULT_QUALIFICATIONS: dict[int, str] = {
    412: "food_business_licence",
    562: "food_business_licence",
    2890: "food_business_licence",
    499676: "alcohol_licence",
    435: "tobacco_licence",
    491: "medical_device_licence",
    518: "pharmaceutical_licence",
    780: "weapons_licence",
}


@dataclass(frozen=True, slots=True)
class TaxonomyEntry:
    id: int
    parent_id: int | None
    name: str
    path: str
    depth: int
    top_level_id: int


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    id: int
    levels: tuple[str, ...]


def _refuse(number: int, reason: str) -> ValidationFailed:
    return ValidationFailed(
        f"Taxonomy line {number}: {reason}.", code="bad_taxonomy_line", field="source", line=number
    )


def _parse_line(number: int, text: str) -> _Line:
    match = _LINE.fullmatch(text)
    if match is None:
        raise _refuse(number, "expected 'id - Level 1 > Level 2 > ...'")
    category_id = int(match.group(1))
    if not 0 < category_id < OPERATOR_IDS_FROM:
        raise _refuse(number, "the id is out of range (ids from 1000000000 up are operators')")
    path = match.group(2).rstrip()
    levels = tuple(level.strip() for level in path.split(SEPARATOR))
    if any(not level or ">" in level for level in levels):
        raise _refuse(number, "a level of the path is empty or malformed")
    if any(len(level) > MAX_NAME for level in levels) or len(path) > MAX_PATH:
        raise _refuse(number, "a name or the path is too long")
    return _Line(number, category_id, levels)


def _read_lines(lines: Iterable[str]) -> list[_Line]:
    parsed: list[_Line] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.rstrip("\r\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        parsed.append(_parse_line(number, text))
    return parsed


def parse_taxonomy(lines: Iterable[str]) -> list[TaxonomyEntry]:
    """Every category of the file, parents resolved. Refuses the first bad line (malformed,
    duplicate id or path, or a parent that is not in the file) with its line number."""
    parsed = _read_lines(lines)
    by_path: dict[tuple[str, ...], _Line] = {}
    seen_ids: set[int] = set()
    for line in parsed:
        if line.id in seen_ids:
            raise _refuse(line.number, f"id {line.id} appears twice")
        if line.levels in by_path:
            raise _refuse(line.number, "this path appears twice")
        seen_ids.add(line.id)
        by_path[line.levels] = line
    entries: list[TaxonomyEntry] = []
    for line in parsed:
        parent = by_path.get(line.levels[:-1]) if len(line.levels) > 1 else None
        root = by_path.get(line.levels[:1])
        if (len(line.levels) > 1 and parent is None) or root is None:
            raise _refuse(line.number, "its parent category is not in the file")
        entries.append(
            TaxonomyEntry(
                id=line.id,
                parent_id=parent.id if parent else None,
                name=line.levels[-1],
                path=SEPARATOR.join(line.levels),
                depth=len(line.levels) - 1,
                top_level_id=root.id,
            )
        )
    return entries
