"""Word lists for the demo catalog's four Nordhavn families (food, shoes, toys, kitchenware):
each entry is (English, Simplified Chinese, French), put together by templates per kind
into titles such as "Organic blueberry jam" / "有机蓝莓果酱" / "Confiture de myrtilles bio".
Category ids are Google's."""

from __future__ import annotations

from dataclasses import dataclass

Words = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of product: its category, title templates ({a} adjective, {f} flavour or
    material or animal, {n} a number) in en / zh-CN / fr, the fillers, and a price range in
    whole yuan."""

    code: str
    category_id: int
    templates: Words
    fillers: tuple[Words, ...]
    prices: tuple[int, int]
    numbers: tuple[int, ...] = ()


FOOD_ADJECTIVES: tuple[Words, ...] = (
    ("Organic", "有机", "bio"),
    ("Nordic", "北欧", "nordique"),
    ("Wild", "野生", "sauvage"),
    ("Homestyle", "家常", "maison"),
    ("Classic", "经典", "classique"),
)
BERRIES: tuple[Words, ...] = (
    ("blueberry", "蓝莓", "myrtilles"),
    ("lingonberry", "越橘", "airelles"),
    ("strawberry", "草莓", "fraises"),
    ("raspberry", "覆盆子", "framboises"),
    ("blackcurrant", "黑加仑", "cassis"),
    ("sea buckthorn", "沙棘", "argousier"),
    ("rhubarb", "大黄", "rhubarbe"),
    ("cherry", "樱桃", "cerises"),
    ("cloudberry", "云莓", "plaquebière"),
    ("plum", "李子", "prunes"),
    ("elderflower", "接骨木花", "fleurs de sureau"),
    ("apple", "苹果", "pommes"),
)
FOOD_KINDS: tuple[Kind, ...] = (
    Kind("jam", 2188, ("{a} {f} jam", "{a}{f}果酱", "Confiture de {f} {a}"), BERRIES, (28, 68)),
    Kind("juice", 2887, ("{a} {f} juice", "{a}{f}果汁", "Jus de {f} {a}"), BERRIES, (22, 58)),
    Kind("cookies", 2229, ("{a} {f} cookies", "{a}{f}曲奇", "Biscuits {f} {a}"), (
        ("butter", "黄油", "au beurre"), ("oat", "燕麦", "à l’avoine"),
        ("cinnamon", "肉桂", "à la cannelle"), ("vanilla", "香草", "à la vanille"),
        ("chocolate chip", "巧克力豆", "aux pépites de chocolat"), ("hazelnut", "榛子", "à la noisette"),
    ), (32, 88)),
    Kind("chocolate", 4748, ("{a} {f} chocolate", "{a}{f}巧克力", "Chocolat {f} {a}"), (
        ("sea salt", "海盐", "au sel de mer"), ("licorice", "甘草", "à la réglisse"),
        ("orange", "香橙", "à l’orange"), ("caramel", "焦糖", "au caramel"),
        ("raspberry", "覆盆子", "à la framboise"), ("almond", "杏仁", "aux amandes"),
    ), (38, 98)),
    Kind("honey", 4947, ("{a} {f} honey", "{a}{f}蜂蜜", "Miel {f} {a}"), (
        ("heather", "石楠花", "de bruyère"), ("clover", "三叶草", "de trèfle"),
        ("linden", "椴树", "de tilleul"), ("wildflower", "野花", "de fleurs sauvages"),
        ("rapeseed", "油菜花", "de colza"),
    ), (58, 168)),
    Kind("crispbread", 1445, ("{a} {f} crispbread", "{a}{f}脆饼", "Pain croustillant {f} {a}"), (
        ("rye", "黑麦", "au seigle"), ("sesame", "芝麻", "au sésame"),
        ("seeded", "多籽", "aux graines"), ("spelt", "斯佩尔特小麦", "à l’épeautre"),
    ), (26, 48)),
    Kind("coffee", 1868, ("{a} {f} coffee beans", "{a}{f}咖啡豆", "Café en grains {a}, {f}"), (
        ("light roast", "浅焙", "torréfaction claire"), ("medium roast", "中焙", "torréfaction moyenne"),
        ("dark roast", "深焙", "torréfaction foncée"),
    ), (68, 158)),
    Kind("herring", 5813, ("{a} {f} pickled herring", "{a}{f}腌鲱鱼", "Hareng mariné {f} {a}"), (
        ("dill", "莳萝", "à l’aneth"), ("mustard", "芥末", "à la moutarde"),
        ("curry", "咖喱", "au curry"), ("sherry", "雪莉酒", "au xérès"),
    ), (36, 78)),
)  # fmt: skip
FOOD_WEIGHTS = (180, 250, 300, 400, 500)

SHOE_MATERIALS: tuple[Words, ...] = (
    ("leather", "真皮", "en cuir"),
    ("suede", "麂皮", "en daim"),
    ("canvas", "帆布", "en toile"),
    ("wool", "羊毛", "en laine"),
    ("rubber", "橡胶", "en caoutchouc"),
    ("recycled", "再生材料", "en matière recyclée"),
)
SHOE_COLLECTIONS: tuple[Words, ...] = (
    ("Skagen", "斯卡恩系列", "Skagen"),
    ("Bornholm", "博恩霍尔姆系列", "Bornholm"),
    ("Amager", "阿迈厄系列", "Amager"),
    ("Fanø", "法诺系列", "Fanø"),
    ("Møn", "默恩系列", "Møn"),
    ("Ribe", "里伯系列", "Ribe"),
    ("Odense", "欧登塞系列", "Odense"),
    ("Aarhus", "奥胡斯系列", "Aarhus"),
)
SHOE_KINDS: tuple[Kind, ...] = tuple(
    Kind(
        code,
        187,
        (f"{{a}} {{f}} {en}", f"{{a}}{{f}}{zh}", f"{fr} {{f}} {{a}}"),
        SHOE_MATERIALS,
        prices,
    )
    for code, en, zh, fr, prices in (
        ("rainboot", "rain boot", "雨靴", "Botte de pluie", (399, 799)),
        ("sneaker", "sneaker", "运动鞋", "Basket", (459, 999)),
        ("clog", "clog", "木底鞋", "Sabot", (399, 899)),
        ("loafer", "loafer", "乐福鞋", "Mocassin", (599, 1299)),
        ("ankleboot", "ankle boot", "短靴", "Bottine", (699, 1499)),
        ("slipper", "slipper", "室内拖鞋", "Chausson", (199, 459)),
        ("sandal", "sandal", "凉鞋", "Sandale", (299, 699)),
        ("walker", "walking shoe", "徒步鞋", "Chaussure de marche", (599, 1199)),
    )
)
SHOE_SIZES = ("36", "37", "38", "39", "40", "41", "42", "43", "44", "45")
COLOURS: tuple[tuple[str, str], ...] = (
    ("Black", "BLK"), ("Navy", "NVY"), ("Sand", "SND"), ("Forest green", "GRN"),
    ("Oat", "OAT"), ("Red", "RED"),
)  # fmt: skip

ANIMALS: tuple[Words, ...] = (
    ("seal", "海豹", "phoque"),
    ("polar bear", "北极熊", "ours polaire"),
    ("fox", "狐狸", "renard"),
    ("owl", "猫头鹰", "hibou"),
    ("reindeer", "驯鹿", "renne"),
    ("whale", "鲸鱼", "baleine"),
    ("hedgehog", "刺猬", "hérisson"),
    ("puffin", "海鹦", "macareux"),
    ("elk", "驼鹿", "élan"),
    ("hare", "野兔", "lièvre"),
    ("otter", "水獭", "loutre"),
    ("lynx", "猞猁", "lynx"),
    ("wolf", "狼", "loup"),
    ("bear", "熊", "ours"),
    ("penguin", "企鹅", "manchot"),
    ("squirrel", "松鼠", "écureuil"),
)
TOY_KINDS: tuple[Kind, ...] = (
    Kind("plush", 1259, ("Plush {f}, {n} cm", "毛绒{f}（{n}厘米）", "Peluche {f}, {n} cm"), ANIMALS, (89, 299), (25, 35, 45)),
    Kind("pull", 2505, ("Wooden {f} pull toy", "木制{f}拖拉玩具", "Jouet à tirer {f} en bois"),
         ANIMALS, (129, 259)),
    Kind("puzzle", 2618, ("{f} jigsaw puzzle, {n} pieces", "{f}拼图（{n}片）", "Puzzle {f}, {n} pièces"),
         ANIMALS, (69, 189), (24, 48, 100, 500)),
    Kind("bath", 3911, ("{f} bath toy", "{f}洗澡玩具", "Jouet de bain {f}"), ANIMALS, (49, 119)),
    Kind("blocks", 1254, ("{f} building blocks, {n} pieces", "{f}积木（{n}块）",
                          "Blocs de construction {f}, {n} pièces"), ANIMALS, (149, 499), (30, 60, 120)),
    Kind("kite", 1261, ("{f} kite", "{f}风筝", "Cerf-volant {f}"), ANIMALS, (99, 229)),
)  # fmt: skip

KITCHEN_KINDS: tuple[Kind, ...] = (
    Kind("mug", 2169, ("{f} mug, {n} ml", "{f}马克杯（{n}毫升）", "Mug {f}, {n} ml"), (
        ("stoneware", "粗陶", "en grès"), ("porcelain", "瓷", "en porcelaine"),
        ("enamel", "搪瓷", "en émail"),
    ), (89, 229), (250, 350, 450)),
    Kind("board", 666, ("{f} cutting board, {n} cm", "{f}砧板（{n}厘米）", "Planche à découper {f}, {n} cm"), (
        ("oak", "橡木", "en chêne"), ("beech", "山毛榉", "en hêtre"), ("walnut", "胡桃木", "en noyer"),
    ), (159, 499), (30, 40, 50)),
    Kind("knife", 665, ("{f} chef's knife, {n} cm", "{f}主厨刀（{n}厘米）", "Couteau de chef {f}, {n} cm"), (
        ("stainless steel", "不锈钢", "en inox"), ("carbon steel", "碳钢", "en acier carbone"),
        ("Damascus steel", "大马士革钢", "en acier damas"),
    ), (299, 1599), (16, 20, 24)),
    Kind("casserole", 6070, ("{f} casserole, {n} l", "{f}炖锅（{n}升）", "Cocotte {f}, {n} l"), (
        ("cast-iron", "铸铁", "en fonte"), ("enamelled cast-iron", "搪瓷铸铁", "en fonte émaillée"),
        ("stainless steel", "不锈钢", "en inox"),
    ), (599, 1899), (2, 3, 4, 5)),
    Kind("plate", 672, ("{f} dinner plate, {n} cm", "{f}餐盘（{n}厘米）", "Assiette plate {f}, {n} cm"), (
        ("stoneware", "粗陶", "en grès"), ("porcelain", "瓷", "en porcelaine"),
        ("bone china", "骨瓷", "en porcelaine tendre"),
    ), (69, 259), (21, 25, 27)),
    Kind("jar", 2626, ("{f} storage jar, {n} ml", "{f}储物罐（{n}毫升）", "Bocal de conservation {f}, {n} ml"), (
        ("glass", "玻璃", "en verre"), ("stoneware", "粗陶", "en grès"),
    ), (49, 159), (500, 1000, 1500)),
)  # fmt: skip
KITCHEN_FINISHES: tuple[Words, ...] = (
    ("fjord blue", "峡湾蓝", "bleu fjord"),
    ("sand", "沙色", "sable"),
    ("moss", "苔绿", "mousse"),
    ("charcoal", "炭灰", "anthracite"),
    ("natural", "原色", "naturel"),
    ("birch white", "桦木白", "blanc bouleau"),
    ("rust", "铁锈红", "rouille"),
    ("sea grey", "海雾灰", "gris mer"),
)
DESCRIPTIONS: dict[str, Words] = {
    "food": (
        "{title}. Made in Denmark from carefully chosen ingredients, without artificial "
        "colours or preservatives. Net weight {weight} g; best kept in a cool, dry place.",
        "{title}。丹麦制造，精选原料，不含人工色素和防腐剂。净含量 {weight} 克，请置于阴凉干燥处保存。",
        "{title}. Fabriqué au Danemark à partir d’ingrédients choisis avec soin, sans colorants "
        "ni conservateurs. Poids net {weight} g ; à conserver au frais et au sec.",
    ),
    "shoes": (
        "{title}, designed in Copenhagen for long walks by the sea. Cushioned insole, "
        "non-slip sole, true to size.",
        "{title}，哥本哈根设计，适合海边长时间漫步。软垫鞋垫，防滑鞋底，尺码标准。",
        "{title}, dessiné à Copenhague pour les longues promenades au bord de la mer. Semelle "
        "intérieure amortissante, semelle antidérapante, taille normalement.",
    ),
    "toys": (
        "{title}. Tested to EN 71 and made from child-safe materials; for ages 3 and up.",
        "{title}。通过 EN 71 检测，采用儿童安全材料制成，适合 3 岁及以上儿童。",
        "{title}. Testé selon la norme EN 71, en matériaux sûrs pour les enfants ; dès 3 ans.",
    ),
    "kitchen": (
        "{title}, in {finish}. Scandinavian design made to last for everyday cooking.",
        "{title}，{finish}。经久耐用的北欧设计，适合日常烹饪。",
        "{title}, coloris {finish}. Un design scandinave fait pour durer, au quotidien.",
    ),
}
