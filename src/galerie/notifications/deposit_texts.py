"""The words of the mails about a shop's deposit (galerie.deposits) and its restriction,
in en, fr and zh-CN; `{number}` is the shop's number."""

from __future__ import annotations

DEPOSIT_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "DepositTopUpRequested": {
        "en": (
            "Please top up the deposit of shop no. {number}",
            "The deposit of shop no. {number} is now below what the shop must hold. Please top "
            "it up from the Deposit page of the seller centre within 15 days; otherwise the "
            "shop will be restricted (hidden from shoppers, no new orders) until it is topped up.",
        ),
        "fr": (
            "Veuillez compléter le dépôt de garantie de la boutique n° {number}",
            "Le dépôt de garantie de la boutique n° {number} est désormais inférieur au montant "
            "exigé. Complétez-le depuis la page Dépôt de garantie de l'espace vendeur dans les "
            "15 jours ; sinon la boutique sera restreinte (masquée aux clients, sans nouvelles "
            "commandes) jusqu'à ce qu'il soit complété.",
        ),
        "zh-CN": (
            "请补足第 {number} 号店铺的保证金",
            "第 {number} 号店铺的保证金已低于应缴金额。请在 15 天内通过商家中心的“保证金”页面补足；"
            "否则店铺将被限制（对买家隐藏，不能接收新订单），直至补足为止。",
        ),
    },
    "ShopRestricted": {
        "en": (
            "Shop no. {number} is restricted",
            "The deposit of shop no. {number} was not topped up in time: the shop is hidden "
            "from shoppers and takes no new orders. Topping up the deposit lifts the "
            "restriction at once.",
        ),
        "fr": (
            "La boutique n° {number} est restreinte",
            "Le dépôt de garantie de la boutique n° {number} n'a pas été complété à temps : la "
            "boutique est masquée aux clients et ne reçoit plus de commandes. Compléter le "
            "dépôt lève la restriction immédiatement.",
        ),
        "zh-CN": (
            "第 {number} 号店铺已被限制",
            "第 {number} 号店铺的保证金未按时补足：店铺已对买家隐藏，不能接收新订单。"
            "补足保证金后限制将立即解除。",
        ),
    },
    "ShopRestrictionLifted": {
        "en": (
            "Shop no. {number} is open again",
            "The deposit of shop no. {number} has been topped up: the restriction is lifted and "
            "shoppers can see the shop and order again.",
        ),
        "fr": (
            "La boutique n° {number} est de nouveau ouverte",
            "Le dépôt de garantie de la boutique n° {number} a été complété : la restriction est "
            "levée et les clients peuvent de nouveau voir la boutique et commander.",
        ),
        "zh-CN": (
            "第 {number} 号店铺已恢复",
            "第 {number} 号店铺的保证金已补足：限制已解除，买家可以再次看到店铺并下单。",
        ),
    },
}
