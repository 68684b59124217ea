"""How the demo shops decorate themselves: name, address (slug), descriptions in the three
languages and the shop's own navigation."""

from __future__ import annotations

from galerie.sellers import Decoration


def _decoration(name: str, slug: str, en: str, fr: str, zh: str, *nav: str) -> Decoration:
    return Decoration(name, slug, {"en": en, "fr": fr, "zh-CN": zh}, tuple(nav))


DECORATIONS: dict[str, Decoration] = {
    d.slug: d
    for d in (
        _decoration(
            "Nordhavn", "nordhavn",
            "Nordic food, shoes, toys and kitchenware from Copenhagen, shipped from our own "
            "warehouses.",
            "Épicerie, chaussures, jouets et ustensiles de cuisine nordiques, expédiés depuis "
            "nos entrepôts de Copenhague.",
            "来自哥本哈根的北欧食品、鞋履、玩具和厨具，由我们自有仓库直接发货。",
            "Pantry", "Shoes", "Toys", "Kitchen",
        ),
        _decoration(
            "Atelier des Sabots", "atelier-des-sabots",
            "Wooden clogs carved by hand in the Vosges since 1921.",
            "Sabots en bois taillés à la main dans les Vosges depuis 1921.",
            "自 1921 年起在孚日山区手工雕制的木鞋。",
            "Classiques", "Enfants", "Atelier",
        ),
        _decoration(
            "小美手作", "xiaomei-crafts",
            "Hand-made paper cuts and embroidery from Shanghai.",
            "Papiers découpés et broderies faits main à Shanghai.",
            "上海手工剪纸与刺绣，每件都是独一无二的。",
            "剪纸", "刺绣",
        ),
        _decoration(
            "Lindqvist", "lindqvist",
            "Cast-iron and enamel cookware from Gothenburg.",
            "Cocottes en fonte et en émail de Göteborg.",
            "来自哥德堡的铸铁与搪瓷锅具。",
            "Cast iron", "Enamel",
        ),
        _decoration(
            "Aurora Toys 官方旗舰店", "aurora-toys",
            "The official Aurora Toys store in China, run by its exclusive licensee.",
            "La boutique officielle d'Aurora Toys en Chine, tenue par son licencié exclusif.",
            "Aurora Toys 中国官方旗舰店，由品牌独家授权商经营。",
            "Wooden toys", "Puzzles",
        ),
        _decoration(
            "熊猫家居", "panda-home",
            "Kitchenware and home decor from Scandinavian brands, authorised by their owners.",
            "Cuisine et décoration de marques scandinaves, autorisées par leurs propriétaires.",
            "斯堪的纳维亚品牌厨具与家居装饰，均获品牌方正式授权。",
            "厨具", "家居装饰",
        ),
        _decoration(
            "张伟茶铺", "zhang-wei-tea",
            "Oolong and white tea from my family's gardens in Fujian.",
            "Thés oolong et blancs des jardins de ma famille, dans le Fujian.",
            "福建自家茶园出产的乌龙茶和白茶。",
            "乌龙茶", "白茶",
        ),
        _decoration(
            "Kiddo Toy Box", "kiddo-toy-box",
            "Aurora and Tiny Tin toys and games for every age.",
            "Jouets et jeux Aurora et Tiny Tin pour tous les âges.",
            "Aurora 与 Tiny Tin 的玩具和游戏，适合各个年龄段。",
            "Toys", "Games",
        ),
        _decoration(
            "Retro Pixel", "retro-pixel",
            "Refurbished game consoles from the 80s and 90s, tested and guaranteed.",
            "Consoles de jeu des années 80 et 90 reconditionnées, testées et garanties.",
            "八九十年代的翻新游戏机，经过测试并提供保修。",
            "Consoles",
        ),
        _decoration(
            "熊猫家居 Aurora 专卖店", "panda-aurora-toys",
            "Aurora Toys, sold under licence in Chengdu.",
            "Les jouets Aurora, vendus sous licence à Chengdu.",
            "成都 Aurora Toys 授权专卖店。",
            "玩具",
        ),
        _decoration(
            "Lumière Sabots", "lumiere-sabots",
            "Atelier des Sabots clogs, authorised retailer in Lyon.",
            "Sabots de l'Atelier des Sabots, revendeur agréé à Lyon.",
            "里昂的 Atelier des Sabots 授权经销店。",
            "Sabots",
        ),
        _decoration(
            "Léa Vintage", "lea-vintage",
            "Second-hand clothes from the 70s, picked in Lyon.",
            "Vêtements d'occasion des années 70, chinés à Lyon.",
            "在里昂淘来的七十年代古着。",
            "Robes", "Vestes",
        ),
    )
}  # fmt: skip
