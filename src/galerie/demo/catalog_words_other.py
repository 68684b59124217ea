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
    ("goldfish", "金鱼", "poisson rouge"),
    ("swallow", "燕子", "hirondelle"),
    ("chrysanthemum", "菊花", "chrysanthème"),
    ("orchid", "兰花", "orchidée"),
)
CRAFT_KINDS: tuple[Kind, ...] = (
    Kind("fan", 16, ("Hand-painted {f} paper fan", "手绘{f}纸扇", "Éventail en papier peint à la main, {f}"), CRAFT_MOTIFS, (39, 129)),
    Kind("papercut", 16, ("{f} paper-cut window flower", "{f}剪纸窗花", "Papier découpé {f} pour fenêtre"), CRAFT_MOTIFS, (19, 69)),
    Kind("bookmark", 16, ("Embroidered {f} silk bookmark", "{f}刺绣丝绸书签", "Marque-page en soie brodé {f}"), CRAFT_MOTIFS, (25, 59)),
    Kind("knot", 16, ("{f} Chinese knot", "{f}中国结", "Nœud chinois {f}"), CRAFT_MOTIFS, (29, 99)),
    Kind("lantern", 16, ("{f} silk lantern", "{f}丝绸灯笼", "Lanterne en soie {f}"), CRAFT_MOTIFS, (69, 199)),
    Kind("sachet", 16, ("Embroidered {f} sachet", "{f}刺绣香囊", "Sachet parfumé brodé {f}"), CRAFT_MOTIFS, (29, 89)),
    Kind("embroidery", 7096, ("{f} embroidery kit", "{f}刺绣材料包", "Kit de broderie {f}"), CRAFT_MOTIFS, (49, 159)),
    Kind("origami", 2967, ("{f} origami paper, {n} sheets", "{f}图案折纸（{n}张）",
                           "Papier origami motif {f}, {n} feuilles"), CRAFT_MOTIFS, (15, 45), (50, 100)),
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
    ("Huangshan Maofeng green tea", "黄山毛峰", "thé vert Huangshan Maofeng"),
    ("Anji Bai Cha green tea", "安吉白茶", "thé vert Anji Bai Cha"),
    ("Lapsang souchong", "正山小种", "thé noir Lapsang souchong"),
    ("Junshan Yinzhen yellow tea", "君山银针", "thé jaune Junshan Yinzhen"),
    ("Liu'an Guapian green tea", "六安瓜片", "thé vert Liu’an Guapian"),
    ("Taiping Houkui green tea", "太平猴魁", "thé vert Taiping Houkui"),
    ("Oriental Beauty oolong", "东方美人茶", "oolong Beauté orientale"),
    ("Phoenix Dancong oolong", "凤凰单丛", "oolong Phoenix Dancong"),
    ("Pu'er raw tea", "普洱生茶", "thé Pu’er cru"), ("Anhua dark tea", "安化黑茶", "thé sombre d’Anhua"),
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
    Kind("teabags", 2073, ("{a} {f}, {n} tea bags", "{a}{f}茶包（{n}包）", "{f}, {a}, {n} sachets"),
         TEAS, (38, 298), (20, 50)),
    Kind("flowers", 2073, ("{a} {f}, {n} g", "{a}{f}（{n}克）", "{f}, {a}, {n} g"), (
        ("dried rosebuds", "玫瑰花蕾", "boutons de rose séchés"),
        ("dried chrysanthemum flowers", "菊花茶", "fleurs de chrysanthème séchées"),
        ("dried osmanthus flowers", "桂花", "fleurs d’osmanthe séchées"),
        ("dried jasmine flowers", "茉莉花", "fleurs de jasmin séchées"),
        ("dried honeysuckle flowers", "金银花", "fleurs de chèvrefeuille séchées"),
    ), (28, 128), (30, 50, 100)),
)  # fmt: skip
RETRO_KINDS: tuple[Kind, ...] = (
    Kind("console", 1294, ("Refurbished {f} console, {a}", "翻新{f}游戏机（{a}）",
                           "Console {f} reconditionnée, {a}"), (
        ("8-bit home", "8位家用", "8 bits de salon"), ("16-bit home", "16位家用", "16 bits de salon"),
        ("handheld", "掌上", "portable"), ("32-bit disc", "32位光盘", "32 bits à disque"),
        ("64-bit cartridge", "64位卡带", "64 bits à cartouche"),
        ("8-bit handheld", "8位掌上", "portable 8 bits"), ("colour handheld", "彩屏掌上", "portable couleur"),
        ("128-bit disc", "128位光盘", "128 bits à disque"),
    ), (399, 1599)),
    Kind("controller", 1294, ("Refurbished {f} controller, {a}", "翻新{f}手柄（{a}）",
                              "Manette {f} reconditionnée, {a}"), (
        ("8-bit", "8位", "8 bits"), ("16-bit", "16位", "16 bits"), ("analogue", "摇杆", "analogique"),
        ("arcade stick", "街机摇杆", "arcade"), ("32-bit", "32位", "32 bits"), ("64-bit", "64位", "64 bits"),
    ), (99, 399)),
)  # fmt: skip
RETRO_CONDITIONS: tuple[Words, ...] = (
    ("grade A", "A级", "état A"),
    ("grade B", "B级", "état B"),
    ("boxed", "带原盒", "en boîte"),
    ("grade C", "C级", "état C"),
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
    Kind("cushion", 4454, ("{f} cushion cover, {n} cm", "{f}抱枕套（{n}厘米）", "Housse de coussin {f}, {n} cm"), (
        ("linen", "亚麻", "en lin"), ("cotton", "棉", "en coton"), ("wool", "羊毛", "en laine"),
    ), (59, 199), (45, 50)),
    Kind("frame", 597, ("{f} picture frame", "{f}相框", "Cadre photo {f}"), (
        ("oak", "橡木", "en chêne"), ("walnut", "胡桃木", "en noyer"), ("brass", "黄铜", "en laiton"),
    ), (49, 189)),
    Kind("clock", 3840, ("{f} wall clock, {n} cm", "{f}挂钟（{n}厘米）", "Horloge murale {f}, {n} cm"), (
        ("oak", "橡木", "en chêne"), ("metal", "金属", "en métal"), ("ceramic", "陶瓷", "en céramique"),
    ), (199, 599), (25, 30, 40)),
    Kind("mirror", 595, ("Round {f} mirror, {n} cm", "{f}圆镜（{n}厘米）", "Miroir rond {f}, {n} cm"), (
        ("oak", "橡木框", "en chêne"), ("brass", "黄铜框", "en laiton"), ("rattan", "藤编框", "en rotin"),
    ), (299, 999), (40, 60)),
    Kind("basket", 573, ("{f} storage basket", "{f}收纳篮", "Panier de rangement {f}"), (
        ("rattan", "藤编", "en rotin"), ("seagrass", "海草编", "en jonc de mer"), ("felt", "毛毡", "en feutre"),
    ), (79, 259)),
    Kind("tray", 6456, ("{f} decorative tray", "{f}装饰托盘", "Plateau décoratif {f}"), (
        ("oak", "橡木", "en chêne"), ("brass", "黄铜", "en laiton"), ("marble", "大理石", "en marbre"),
    ), (99, 399)),
    Kind("scented", 588, ("{f} scented candle", "{f}香薰蜡烛", "Bougie parfumée {f}"), (
        ("pine", "松木", "au pin"), ("fig", "无花果", "à la figue"), ("sea salt", "海盐", "au sel marin"),
        ("linden", "椴花", "au tilleul"),
    ), (69, 199)),
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
        "{title}. Calm Scandinavian shapes for a bright home.",
        "{title}。简约北欧造型，点亮居家空间。",
        "{title}. Des formes scandinaves apaisantes pour une maison lumineuse.",
    ),
}
