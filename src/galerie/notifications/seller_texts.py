"""The words of the mails sent to sellers about their applications and shops, in every
language we write in (en, fr, zh-CN). Templates take `{name}` (the recipient) and `{number}`
(the application's or the shop's number); the reason, when there is one, is appended as it
was given, never passed through `str.format`."""

from __future__ import annotations

from galerie.notifications.deposit_texts import DEPOSIT_TEXTS

# event name -> language -> (subject, paragraph)
SELLER_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "ApplicationSubmitted": {
        "en": (
            "Application no. {number} received",
            "We have received application no. {number} from your organisation. The automatic "
            "checks start straight away, and we will write to you at each step.",
        ),
        "fr": (
            "Demande n° {number} reçue",
            "Nous avons bien reçu la demande n° {number} de votre organisation. Les contrôles "
            "automatiques démarrent immédiatement et nous vous écrirons à chaque étape.",
        ),
        "zh-CN": (
            "已收到第 {number} 号开店申请",
            "我们已收到贵组织的第 {number} 号开店申请。系统将立即进行自动审核，"
            "每一步进展我们都会通知您。",
        ),
    },
    "ApplicationChecksPassed": {
        "en": (
            "Application no. {number} is under review",
            "The automatic checks found nothing blocking in application no. {number}. An "
            "operator will now review it and decide.",
        ),
        "fr": (
            "La demande n° {number} est en cours d'examen",
            "Les contrôles automatiques n'ont rien relevé de bloquant dans la demande "
            "n° {number}. Un opérateur va maintenant l'examiner et rendre sa décision.",
        ),
        "zh-CN": (
            "第 {number} 号申请已进入人工审核",
            "第 {number} 号申请已通过自动审核，未发现阻碍问题。平台审核人员将进行审核并作出决定。",
        ),
    },
    "ApplicationChangesRequested": {
        "en": (
            "Application no. {number}: changes requested",
            "Application no. {number} needs changes before it can go further. Open it in the "
            "seller centre, make the changes and submit it again.",
        ),
        "fr": (
            "Demande n° {number} : modifications demandées",
            "La demande n° {number} doit être modifiée avant d'aller plus loin. Ouvrez-la dans "
            "l'espace vendeur, apportez les modifications et soumettez-la de nouveau.",
        ),
        "zh-CN": (
            "第 {number} 号申请需要修改",
            "第 {number} 号申请需要修改后才能继续审核。请在商家中心打开申请，完成修改后重新提交。",
        ),
    },
    "ApplicationApproved": {
        "en": (
            "Application no. {number} approved",
            "Good news: application no. {number} is approved. Your shop has been created and "
            "is being prepared: only your team and our operators can see it. Once the deposit "
            "is paid and the shop decorated, publish it whenever you are ready.",
        ),
        "fr": (
            "Demande n° {number} approuvée",
            "Bonne nouvelle : la demande n° {number} est approuvée. Votre boutique a été créée "
            "et est en préparation : seuls votre équipe et nos opérateurs la voient. Une fois "
            "le dépôt de garantie réglé et la boutique décorée, publiez-la quand vous voulez.",
        ),
        "zh-CN": (
            "第 {number} 号申请已获批准",
            "好消息：第 {number} 号申请已获批准。您的店铺已创建，目前处于筹备状态，"
            "仅您的团队和平台运营人员可见。缴纳保证金并装修店铺后，即可随时发布上线。",
        ),
    },
    "DocumentExpiring": {
        "en": (
            "A document of shop no. {number} expires soon",
            "A document of shop no. {number} expires within 30 days. Upload a current one in "
            "the seller centre before it expires.",
        ),
        "fr": (
            "Un document de la boutique n° {number} expire bientôt",
            "Un document de la boutique n° {number} expire dans moins de 30 jours. Téléversez "
            "une version à jour dans l'espace vendeur avant son expiration.",
        ),
        "zh-CN": (
            "第 {number} 号店铺的证件即将到期",
            "第 {number} 号店铺有证件将在 30 天内到期。请在到期前到商家中心上传最新版本。",
        ),
    },
    "DocumentExpired": {
        "en": (
            "A document of shop no. {number} has expired",
            "A document of shop no. {number} has expired. Upload a current one in the seller "
            "centre as soon as possible.",
        ),
        "fr": (
            "Un document de la boutique n° {number} a expiré",
            "Un document de la boutique n° {number} a expiré. Téléversez une version à jour "
            "dans l'espace vendeur dès que possible.",
        ),
        "zh-CN": (
            "第 {number} 号店铺的证件已过期",
            "第 {number} 号店铺有证件已过期。请尽快到商家中心上传最新版本。",
        ),
    },
    "ApplicationApproved:extension": {
        "en": (
            "Application no. {number} approved",
            "Good news: application no. {number} is approved. Your shop may now sell in the "
            "categories and brands it asked for.",
        ),
        "fr": (
            "Demande n° {number} approuvée",
            "Bonne nouvelle : la demande n° {number} est approuvée. Votre boutique peut "
            "désormais vendre dans les catégories et les marques demandées.",
        ),
        "zh-CN": (
            "第 {number} 号申请已获批准",
            "好消息：第 {number} 号申请已获批准。您的店铺现在可以经营所申请的类目和品牌。",
        ),
    },
    "ApplicationRejected": {
        "en": (
            "Application no. {number} rejected",
            "We are sorry: application no. {number} has been rejected. You may apply again "
            "once the reason below has been addressed.",
        ),
        "fr": (
            "Demande n° {number} refusée",
            "Nous sommes désolés : la demande n° {number} a été refusée. Vous pourrez déposer "
            "une nouvelle demande une fois le motif ci-dessous résolu.",
        ),
        "zh-CN": (
            "第 {number} 号申请未获批准",
            "很遗憾，第 {number} 号申请未获批准。解决下述原因后，您可以重新提交申请。",
        ),
    },
    "ShopPublished": {
        "en": (
            "Shop no. {number} is open",
            "Shop no. {number} is now open: shoppers can find it in the directory and visit it.",
        ),
        "fr": (
            "La boutique n° {number} est ouverte",
            "La boutique n° {number} est désormais ouverte : les clients peuvent la trouver "
            "dans l'annuaire et la visiter.",
        ),
        "zh-CN": (
            "第 {number} 号店铺已开业",
            "第 {number} 号店铺现已开业，买家可以在店铺目录中找到并访问它。",
        ),
    },
    "ShopSuspended": {
        "en": (
            "Shop no. {number} is suspended",
            "Shop no. {number} has been suspended: it is hidden from shoppers and cannot sell "
            "until it is reinstated.",
        ),
        "fr": (
            "La boutique n° {number} est suspendue",
            "La boutique n° {number} a été suspendue : elle est masquée aux clients et ne peut "
            "plus vendre jusqu'à sa réactivation.",
        ),
        "zh-CN": (
            "第 {number} 号店铺已被暂停营业",
            "第 {number} 号店铺已被暂停营业：恢复之前，买家无法看到该店铺，店铺也不能销售。",
        ),
    },
    "ShopReinstated": {
        "en": (
            "Shop no. {number} is reinstated",
            "Shop no. {number} has been reinstated: shoppers can see it again and it can sell.",
        ),
        "fr": (
            "La boutique n° {number} est réactivée",
            "La boutique n° {number} a été réactivée : elle est de nouveau visible des clients "
            "et peut vendre.",
        ),
        "zh-CN": (
            "第 {number} 号店铺已恢复营业",
            "第 {number} 号店铺已恢复营业，买家可以再次看到该店铺，店铺也可以正常销售。",
        ),
    },
    "ShopClosed": {
        "en": (
            "Shop no. {number} is closed",
            "Shop no. {number} has been closed. It is no longer visible and can no longer sell.",
        ),
        "fr": (
            "La boutique n° {number} est fermée",
            "La boutique n° {number} a été fermée. Elle n'est plus visible et ne peut plus vendre.",
        ),
        "zh-CN": (
            "第 {number} 号店铺已关闭",
            "第 {number} 号店铺已关闭，不再对外展示，也不能再销售。",
        ),
    },
    "ShopDepositPaid": {
        "en": (
            "Deposit received for shop no. {number}",
            "We have recorded the deposit of shop no. {number} as paid. Once the shop is "
            "decorated, you can publish it.",
        ),
        "fr": (
            "Dépôt de garantie reçu pour la boutique n° {number}",
            "Nous avons enregistré le dépôt de garantie de la boutique n° {number} comme réglé. "
            "Une fois la boutique décorée, vous pourrez la publier.",
        ),
        "zh-CN": (
            "第 {number} 号店铺的保证金已到账",
            "我们已确认第 {number} 号店铺的保证金已缴纳。店铺装修完成后，即可发布上线。",
        ),
    },
    **DEPOSIT_TEXTS,  # galerie.deposits
}

# language -> (greeting, reason label, closing)
SELLER_FRAME: dict[str, tuple[str, str, str]] = {
    "en": (
        "Hello {name},",
        "Reason:",
        "You receive this message as an owner or manager of the seller organisation.\n\n"
        "The Galerie team\n",
    ),
    "fr": (
        "Bonjour {name},",
        "Motif :",
        "Vous recevez ce message en tant que propriétaire ou gestionnaire de l'organisation "
        "vendeuse.\n\nL'équipe Galerie\n",
    ),
    "zh-CN": (
        "{name}，您好：",
        "原因：",
        "您作为商家组织的所有者或管理员收到此邮件。\n\nGalerie 团队\n",
    ),
}
