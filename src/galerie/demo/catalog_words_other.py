"""Word lists for the other live shops' demo products: crafts, tea, retro consoles and
home decor (shoes, toys and kitchenware reuse catalog_words)."""

from __future__ import annotations

from galerie.demo.catalog_words import Kind, Words

CRAFT_MOTIFS: tuple[Words, ...] = (
    ("plum blossom", "梅花", "fleur de prunier"),
    ("peony", "牡丹", "pivoine"),
    ("koi", "锦鲤", "carpe koï"),
    ("crane", "仙鹤", "grue"),
    ("bamboo", "竹", "bambou"),
    ("lotus", "莲花", "lotus"),
    ("panda", "熊猫", "panda"),
    ("mountain", "山水", "montagne"),
)
CRAFT_KINDS: tuple[Kind, ...] = (
    Kind("fan", 16, ("Hand-painted {f} paper fan", "手绘{f}纸扇", "Éventail en papier peint à la main, {f}"), CRAFT_MOTIFS, (39, 129)),
    Kind("papercut", 16, ("{f} paper-cut window flower", "{f}剪纸窗花", "Papier découpé {f} pour fenêtre"), CRAFT_MOTIFS, (19, 69)),
    Kind("bookmark", 16, ("Embroidered {f} silk bookmark", "{f}刺绣丝绸书签", "Marque-page en soie brodé {f}"), CRAFT_MOTIFS, (25, 59)),
    Kind("knot", 16, ("{f} Chinese knot", "{f}中国结", "Nœud chinois {f}"), CRAFT_MOTIFS, (29, 99)),
    Kind("lantern", 16, ("{f} silk lantern", "{f}丝绸灯笼", "Lanterne en soie {f}"), CRAFT_MOTIFS, (69, 199)),
)  # fmt: skip
CRAFT_COLOURS: tuple[Words, ...] = (
    ("Chinese red", "中国红", "rouge de Chine"),
    ("gold", "金色", "or"),
    ("jade", "翠绿", "jade"),
    ("ink black", "墨黑", "noir d’encre"),
    ("indigo", "靛蓝", "indigo"),
)
TEAS: tuple[Words, ...] = (
    ("Longjing green tea", "龙井绿茶", "thé vert Longjing"), ("Biluochun green tea", "碧螺春", "thé vert Biluochun"),
    ("Tieguanyin oolong", "铁观音乌龙茶", "oolong Tieguanyin"), ("Da Hong Pao oolong", "大红袍", "oolong Da Hong Pao"),
    ("Keemun black tea", "祁门红茶", "thé noir Keemun"), ("Dianhong black tea", "滇红", "thé noir Dianhong"),
    ("Pu'er ripe tea", "普洱熟茶", "thé Pu’er fermenté"), ("White peony tea", "白牡丹", "thé blanc Pai Mu Tan"),
    ("Jasmine pearls", "茉莉龙珠", "perles de jasmin"), ("Silver needle white tea", "白毫银针", "thé blanc aiguilles d’argent"),
)  # fmt: skip
TEA_GRADES: tuple[Words, ...] = (
    ("Spring harvest", "春茶", "récolte de printemps"),
    ("Premium", "特级", "qualité supérieure"),
    ("Classic", "经典", "classique"),
    ("Gift box", "礼盒装", "coffret cadeau"),
)
TEA_KINDS: tuple[Kind, ...] = (
    Kind(
        "tea",
        2073,
        ("{a} {f}, {n} g", "{a}{f}（{n}克）", "{f}, {a}, {n} g"),
        TEAS,
        (48, 688),
        (50, 100, 250),
    ),
)
RETRO_KINDS: tuple[Kind, ...] = (
    Kind("console", 1294, ("Refurbished {f} console", "翻新{f}游戏机", "Console {f} reconditionnée"), (
        ("8-bit home", "8位家用", "8 bits de salon"), ("16-bit home", "16位家用", "16 bits de salon"),
        ("handheld", "掌上", "portable"), ("32-bit disc", "32位光盘", "32 bits à disque"),
        ("64-bit cartridge", "64位卡带", "64 bits à cartouche"),
    ), (399, 1599)),
    Kind("controller", 1294, ("Refurbished {f} controller", "翻新{f}手柄", "Manette {f} reconditionnée"), (
        ("8-bit", "8位", "8 bits"), ("16-bit", "16位", "16 bits"), ("analogue", "摇杆", "analogique"),
        ("arcade stick", "街机摇杆", "arcade"),
    ), (99, 399)),
)  # fmt: skip
RETRO_CONDITIONS: tuple[Words, ...] = (
    ("Grade A", "A级", "état A"),
    ("Grade B", "B级", "état B"),
    ("Boxed", "带原盒", "en boîte"),
)
DECOR_KINDS: tuple[Kind, ...] = (
    Kind("vase", 696, ("{f} vase, {n} cm", "{f}花瓶（{n}厘米）", "Vase {f}, {n} cm"), (
        ("ceramic", "陶瓷", "en céramique"), ("glass", "玻璃", "en verre"), ("stoneware", "粗陶", "en grès"),
    ), (129, 699), (15, 20, 30)),
    Kind("candle", 696, ("{f} candle holder", "{f}烛台", "Bougeoir {f}"), (
        ("brass", "黄铜", "en laiton"), ("ceramic", "陶瓷", "en céramique"), ("oak", "橡木", "en chêne"),
    ), (89, 399)),
    Kind("bowl", 696, ("{f} decorative bowl, {n} cm", "{f}装饰碗（{n}厘米）", "Coupe décorative {f}, {n} cm"), (
        ("ceramic", "陶瓷", "en céramique"), ("walnut", "胡桃木", "en noyer"),
    ), (99, 459), (20, 28, 35)),
)  # fmt: skip
DESCRIPTIONS_OTHER: dict[str, Words] = {
    "crafts": (
        "{title}, made by hand in a small workshop in Suzhou. Each piece is unique.",
        "{title}，苏州小作坊纯手工制作，每件都独一无二。",
        "{title}, fait à la main dans un petit atelier de Suzhou. Chaque pièce est unique.",
    ),
    "tea": (
        "{title}. Picked and processed by the grower; steep at 80 to 95 °C.",
        "{title}。茶农亲手采制；建议以 80 至 95 °C 的水冲泡。",
        "{title}. Cueilli et préparé par le producteur ; infuser entre 80 et 95 °C.",
    ),
    "retro": (
        "{title}. Cleaned, tested and sold with a 6-month warranty; refurbished, not new.",
        "{title}。已清洁并测试，提供 6 个月保修；翻新商品，非全新。",
        "{title}. Nettoyé, testé et garanti 6 mois ; reconditionné, pas neuf.",
    ),
    "decor": (
        "{title}, in {finish}. Calm Scandinavian shapes for a bright home.",
        "{title}，{finish}。简约北欧造型，点亮居家空间。",
        "{title}, coloris {finish}. Des formes scandinaves apaisantes pour une maison lumineuse.",
    ),
}
