"""Word lists for the families only the other live shops sell (Nordhavn's feed never reads
them): Atelier des Sabots' French footwear and shoe accessories, wooden toys and games for
Aurora and Kiddo, cookware and tableware for Lindqvist and Panda Home, and retro console
parts. Each entry is (English, Simplified Chinese, French); category ids are Google's."""

from __future__ import annotations

from galerie.demo.catalog_words import ANIMALS, Kind, Words

FOOTWEAR_COLLECTIONS: tuple[Words, ...] = (
    ("Brittany", "布列塔尼系列", "Bretagne"),
    ("Provence", "普罗旺斯系列", "Provence"),
    ("Savoie", "萨瓦系列", "Savoie"),
    ("Normandy", "诺曼底系列", "Normandie"),
    ("Alsace", "阿尔萨斯系列", "Alsace"),
    ("Auvergne", "奥弗涅系列", "Auvergne"),
    ("Jura", "汝拉系列", "Jura"),
    ("Landes", "朗德系列", "Landes"),
)
FOOTWEAR_MATERIALS: tuple[Words, ...] = (
    ("leather", "真皮", "en cuir"),
    ("suede", "麂皮", "en daim"),
    ("nubuck", "磨砂皮", "en nubuck"),
    ("waxed leather", "油蜡皮", "en cuir ciré"),
    ("linen", "亚麻", "en lin"),
    ("felted wool", "羊毛毡", "en feutre de laine"),
)
FOOTWEAR_KINDS: tuple[Kind, ...] = tuple(
    Kind(code, 187, (f"{{a}} {{f}} {en}", f"{{a}}{{f}}{zh}", f"{fr} {{f}} {{a}}"),
         FOOTWEAR_MATERIALS, prices)
    for code, en, zh, fr, prices in (
        ("espadrille", "espadrille", "草编底便鞋", "Espadrille", (259, 599)),
        ("mule", "mule", "穆勒鞋", "Mule", (399, 899)),
        ("gardenclog", "garden clog", "园艺木底鞋", "Sabot de jardin", (299, 699)),
        ("ballet", "ballet flat", "芭蕾平底鞋", "Ballerine", (399, 999)),
        ("derby", "derby shoe", "德比鞋", "Derby", (699, 1499)),
        ("chelsea", "Chelsea boot", "切尔西靴", "Bottine Chelsea", (799, 1699)),
        ("clogboot", "clog boot", "木底靴", "Botte sabot", (899, 1899)),
    )
)  # fmt: skip
SHOE_SIZES_CARE = (36, 38, 40, 42, 44)
LACE_COLOURS: tuple[Words, ...] = (
    ("black", "黑色", "noirs"), ("brown", "棕色", "marron"), ("navy", "藏青色", "bleu marine"),
    ("natural", "原色", "écrus"), ("red", "红色", "rouges"), ("white", "白色", "blancs"),
)  # fmt: skip
LACE_MATERIALS: tuple[Words, ...] = (
    ("waxed cotton", "打蜡棉", "en coton ciré"), ("flat cotton", "扁棉", "plats en coton"),
    ("round leather", "圆皮", "ronds en cuir"),
)  # fmt: skip
LACES: tuple[Words, ...] = tuple(
    (f"{c[0]} {m[0]}", f"{c[1]}{m[1]}", f"{c[2]} {m[2]}")
    for c in LACE_COLOURS
    for m in LACE_MATERIALS
)
SHOE_CARE_KINDS: tuple[Kind, ...] = (
    Kind("laces", 1856, ("{f} shoelaces, {n} cm", "{f}鞋带（{n}厘米）", "Lacets {f}, {n} cm"),
         LACES, (19, 69), (75, 90, 120)),
    Kind("liners", 5567, ("{f} boot liners, size {n}", "{f}靴子内衬（{n}码）", "Chaussons de botte {f}, pointure {n}"), (
        ("felted wool", "羊毛毡", "en feutre de laine"), ("sheepskin", "羊皮", "en peau de mouton"),
        ("fleece", "抓绒", "en polaire"),
    ), (99, 259), SHOE_SIZES_CARE),
    Kind("insoles", 1933, ("{f} insoles, size {n}", "{f}鞋垫（{n}码）", "Semelles {f}, pointure {n}"), (
        ("cork", "软木", "en liège"), ("wool", "羊毛", "en laine"), ("leather", "真皮", "en cuir"),
        ("linen", "亚麻", "en lin"),
    ), (49, 149), SHOE_SIZES_CARE),
    Kind("trees", 1933, ("{f} shoe trees, size {n}", "{f}鞋撑（{n}码）", "Embauchoirs {f}, pointure {n}"), (
        ("cedar", "雪松木", "en cèdre"), ("beech", "山毛榉", "en hêtre"),
    ), (129, 299), SHOE_SIZES_CARE),
    Kind("horn", 1933, ("{f} shoehorn, {n} cm", "{f}鞋拔（{n}厘米）", "Chausse-pied {f}, {n} cm"), (
        ("oak", "橡木", "en chêne"), ("brass", "黄铜", "en laiton"), ("horn", "牛角", "en corne"),
    ), (59, 199), (20, 45, 60)),
)  # fmt: skip

WOODEN_TOY_KINDS: tuple[Kind, ...] = (
    Kind("rocking", 3441, ("Rocking {f}", "{f}摇摇马", "{f} à bascule"), ANIMALS, (399, 999)),
    Kind("top", 3466, ("{f} spinning top", "{f}陀螺", "Toupie {f}"), ANIMALS, (29, 79)),
    Kind("figurine", 1255, ("{f} wooden figurine", "{f}木制玩偶", "Figurine {f} en bois"), ANIMALS, (39, 99)),
    Kind("xylophone", 1264, ("{f} xylophone", "{f}木琴", "Xylophone {f}"), ANIMALS, (99, 259)),
    Kind("stacker", 1254, ("{f} stacking tower", "{f}叠叠塔", "Tour à empiler {f}"), ANIMALS, (69, 189)),
    Kind("sorter", 1262, ("{f} shape sorter", "{f}形状配对盒", "Boîte à formes {f}"), ANIMALS, (89, 229)),
    Kind("train", 5152, ("{f} wooden train, {n} pieces", "{f}木制小火车（{n}件）",
                         "Train en bois {f}, {n} pièces"), ANIMALS, (149, 459), (12, 24)),
)  # fmt: skip
TOY_FINISHES: tuple[Words, ...] = (
    ("rainbow", "彩虹色", "arc-en-ciel"),
    ("pastel", "马卡龙色", "pastel"),
    ("natural wood", "原木色", "bois naturel"),
)
THEMES: tuple[Words, ...] = (
    ("Forest", "森林", "forêt"), ("Ocean", "海洋", "océan"), ("Farm", "农场", "ferme"),
    ("Space", "太空", "espace"), ("Pirate", "海盗", "pirates"), ("Dinosaur", "恐龙", "dinosaures"),
    ("Castle", "城堡", "château"), ("Jungle", "丛林", "jungle"), ("Arctic", "北极", "banquise"),
    ("Savanna", "草原", "savane"),
)  # fmt: skip
GAME_KINDS: tuple[Kind, ...] = (
    Kind("board", 1246, ("{f} board game", "{f}主题桌游", "Jeu de plateau thème {f}"), THEMES, (99, 299)),
    Kind("memory", 1247, ("{f} memory game, {n} cards", "{f}记忆配对卡（{n}张）",
                          "Jeu de mémoire thème {f}, {n} cartes"), THEMES, (49, 129), (24, 36, 48)),
    Kind("cards", 1247, ("{f} card game", "{f}主题卡牌游戏", "Jeu de cartes thème {f}"), THEMES, (39, 99)),
    Kind("dominoes", 6038, ("{f} picture dominoes, {n} tiles", "{f}图案多米诺骨牌（{n}块）",
                            "Dominos illustrés thème {f}, {n} pièces"), THEMES, (59, 149), (28, 56)),
    Kind("dice", 6037, ("{f} dice game", "{f}骰子游戏", "Jeu de dés thème {f}"), THEMES, (39, 89)),
    Kind("balance", 6054, ("{f} stacking game", "{f}叠叠乐", "Jeu d’équilibre thème {f}"), THEMES, (69, 159)),
)  # fmt: skip
GAME_EDITIONS: tuple[Words, ...] = (
    ("travel edition", "旅行版", "édition voyage"),
    ("family edition", "家庭版", "édition famille"),
    ("junior edition", "儿童版", "édition junior"),
)

COOKWARE_KINDS: tuple[Kind, ...] = (
    Kind("saucepan", 661, ("{f} saucepan, {n} cm", "{f}单柄汤锅（{n}厘米）", "Casserole {f}, {n} cm"), (
        ("stainless steel", "不锈钢", "en inox"), ("copper", "紫铜", "en cuivre"),
        ("enamelled steel", "搪瓷钢", "en acier émaillé"),
    ), (259, 999), (16, 18, 20)),
    Kind("stockpot", 663, ("{f} stockpot, {n} l", "{f}汤锅（{n}升）", "Faitout {f}, {n} l"), (
        ("stainless steel", "不锈钢", "en inox"), ("enamelled steel", "搪瓷钢", "en acier émaillé"),
    ), (399, 1299), (5, 8, 10)),
    Kind("wok", 664, ("{f} wok, {n} cm", "{f}炒锅（{n}厘米）", "Wok {f}, {n} cm"), (
        ("carbon steel", "碳钢", "en acier carbone"), ("cast-iron", "铸铁", "en fonte"),
    ), (199, 699), (30, 34, 36)),
    Kind("cakepan", 643, ("{f} cake tin, {n} cm", "{f}蛋糕模（{n}厘米）", "Moule à gâteau {f}, {n} cm"), (
        ("non-stick steel", "不粘钢", "en acier anti-adhésif"), ("tinplate", "马口铁", "en fer-blanc"),
    ), (69, 199), (20, 24, 26)),
    Kind("piedish", 645, ("{f} pie dish, {n} cm", "{f}派盘（{n}厘米）", "Moule à tarte {f}, {n} cm"), (
        ("stoneware", "粗陶", "en grès"), ("porcelain", "瓷", "en porcelaine"),
    ), (89, 259), (24, 28)),
    Kind("ramekin", 647, ("{f} ramekins, set of {n}", "{f}烤碗（{n}只装）", "Ramequins {f}, lot de {n}"), (
        ("stoneware", "粗陶", "en grès"), ("porcelain", "瓷", "en porcelaine"),
    ), (79, 229), (2, 4, 6)),
    Kind("roaster", 648, ("{f} roasting dish, {n} cm", "{f}烤盘（{n}厘米）", "Plat à rôtir {f}, {n} cm"), (
        ("enamelled cast-iron", "搪瓷铸铁", "en fonte émaillée"), ("stoneware", "粗陶", "en grès"),
    ), (199, 899), (30, 36)),
    Kind("bowl", 3498, ("{f} bowl, {n} cm", "{f}碗（{n}厘米）", "Bol {f}, {n} cm"), (
        ("stoneware", "粗陶", "en grès"), ("porcelain", "瓷", "en porcelaine"),
        ("bone china", "骨瓷", "en porcelaine tendre"),
    ), (39, 129), (12, 15, 18)),
    Kind("tumbler", 674, ("{f} tumblers, set of {n}", "{f}水杯（{n}只装）", "Gobelets {f}, lot de {n}"), (
        ("glass", "玻璃", "en verre"), ("enamel", "搪瓷", "en émail"),
    ), (69, 199), (2, 4, 6)),
    Kind("serving", 4026, ("{f} serving platter, {n} cm", "{f}大餐盘（{n}厘米）",
                           "Plat de service {f}, {n} cm"), (
        ("stoneware", "粗陶", "en grès"), ("oak", "橡木", "en chêne"), ("porcelain", "瓷", "en porcelaine"),
    ), (129, 459), (30, 40)),
    Kind("whisk", 3597, ("{f} whisk, {n} cm", "{f}打蛋器（{n}厘米）", "Fouet {f}, {n} cm"), (
        ("stainless steel", "不锈钢", "en inox"), ("silicone", "硅胶", "en silicone"),
    ), (39, 99), (20, 25, 30)),
    Kind("ladle", 3620, ("{f} ladle", "{f}汤勺", "Louche {f}"), (
        ("stainless steel", "不锈钢", "en inox"), ("olive wood", "橄榄木", "en bois d’olivier"),
        ("silicone", "硅胶", "en silicone"),
    ), (29, 99)),
    Kind("rollingpin", 3467, ("{f} rolling pin, {n} cm", "{f}擀面杖（{n}厘米）",
                              "Rouleau à pâtisserie {f}, {n} cm"), (
        ("beech", "山毛榉", "en hêtre"), ("marble", "大理石", "en marbre"),
    ), (49, 199), (40, 50)),
)  # fmt: skip

SYSTEMS: tuple[Words, ...] = (
    ("8-bit home", "8位家用机", "8 bits de salon"),
    ("16-bit home", "16位家用机", "16 bits de salon"),
    ("32-bit disc", "32位光盘机", "32 bits à disque"),
    ("64-bit cartridge", "64位卡带机", "64 bits à cartouche"),
    ("handheld", "掌机", "portables"),
)
RETRO_PART_KINDS: tuple[Kind, ...] = (
    Kind("av", 1505, ("AV cable for {f} consoles, {n} m", "{f}AV连接线（{n}米）",
                      "Câble AV pour consoles {f}, {n} m"), SYSTEMS, (39, 99), (2, 3)),
    Kind("power", 1505, ("Power adapter for {f} consoles", "{f}电源适配器",
                         "Adaptateur secteur pour consoles {f}"), SYSTEMS, (59, 149)),
    Kind("memory", 1505, ("Memory card for {f} consoles", "{f}记忆卡",
                          "Carte mémoire pour consoles {f}"), SYSTEMS, (49, 129)),
    Kind("shell", 1505, ("Replacement shell for {f} consoles", "{f}替换外壳",
                         "Coque de remplacement pour consoles {f}"), SYSTEMS, (69, 199)),
    Kind("case", 2070, ("Carrying case for {f} consoles", "{f}收纳包", "Housse de transport pour consoles {f}"),
         SYSTEMS[-1:], (49, 139)),
)  # fmt: skip
RETRO_PART_COLOURS: tuple[Words, ...] = (
    ("black", "黑色", "noir"),
    ("grey", "灰色", "gris"),
    ("translucent purple", "透明紫", "violet translucide"),
)

DESCRIPTIONS_MORE: dict[str, Words] = {
    "footwear": (
        "{title}, made in our Lyon workshop on a beech last. Leather lining, resoleable sole, "
        "true to size.",
        "{title}，里昂工坊以山毛榉鞋楦手工制作。真皮内衬，鞋底可更换，尺码标准。",
        "{title}, fabriqué dans notre atelier lyonnais sur une forme en hêtre. Doublure en cuir, "
        "semelle ressemelable, taille normalement.",
    ),
    "shoecare": (
        "{title}. Care and comfort for your shoes, made in France.",
        "{title}。呵护鞋履，提升舒适度；法国制造。",
        "{title}. Pour l’entretien et le confort de vos chaussures ; fabriqué en France.",
    ),
    "woodentoys": (
        "{title}. Solid wood with water-based paints, tested to EN 71; for ages 1 and up.",
        "{title}。实木材质，水性漆，通过 EN 71 检测，适合 1 岁及以上儿童。",
        "{title}. En bois massif et peintures à l’eau, testé selon la norme EN 71 ; dès 1 an.",
    ),
    "games": (
        "{title}. For 2 to 6 players aged 5 and up; a game lasts about 20 minutes.",
        "{title}。适合 2 至 6 名 5 岁及以上玩家，每局约 20 分钟。",
        "{title}. De 2 à 6 joueurs, dès 5 ans ; une partie dure environ 20 minutes.",
    ),
    "cookware": (
        "{title}. Suitable for every hob, induction included where the material allows; "
        "dishwasher safe unless made of wood.",
        "{title}。材质允许时适用于包括电磁炉在内的各种灶具；木制品以外均可放入洗碗机。",
        "{title}. Compatible avec tous les feux, induction comprise quand le "
        "matériau le permet ; passe au lave-vaisselle, sauf le bois.",
    ),
    "retroparts": (
        "{title}. New, compatible part, tested before shipping; 6-month warranty.",
        "{title}。全新兼容配件，发货前已测试，提供 6 个月保修。",
        "{title}. Pièce compatible neuve, testée avant expédition ; garantie 6 mois.",
    ),
}
