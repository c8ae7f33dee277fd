"""The generated messages' and notifications' texts, per language: a few phrases each, enough
that lists and searches see varied words. `{order}` and `{product}` are filled in per case."""

SUBJECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "shipment_issue": (
            "Where is my parcel?",
            "Order {order} has not arrived",
            "Tracking has not moved for days",
        ),
        "defect": (
            "{product} stopped working",
            "{product} arrived broken",
            "Problem with my {product}",
        ),
        "return": ("Return {product}", "Refund for order {order}", "How do I send {product} back?"),
        "wrong_item": (
            "Wrong item in order {order}",
            "I received the wrong {product}",
            "This is not what I ordered",
        ),
        "general": (
            "Question about my order",
            "How do I change my address?",
            "Invoice for order {order}",
        ),
    },
    "de": {
        "shipment_issue": (
            "Wo ist mein Paket?",
            "Bestellung {order} ist nicht angekommen",
            "Sendungsverfolgung steht seit Tagen still",
        ),
        "defect": (
            "{product} funktioniert nicht mehr",
            "{product} kam beschädigt an",
            "Problem mit meinem {product}",
        ),
        "return": (
            "Rücksendung {product}",
            "Erstattung für Bestellung {order}",
            "Wie schicke ich {product} zurück?",
        ),
        "wrong_item": (
            "Falscher Artikel in Bestellung {order}",
            "Ich habe den falschen Artikel erhalten",
            "Das habe ich nicht bestellt",
        ),
        "general": (
            "Frage zu meiner Bestellung",
            "Wie ändere ich meine Adresse?",
            "Rechnung zu Bestellung {order}",
        ),
    },
    "fr": {
        "shipment_issue": (
            "Où est mon colis ?",
            "La commande {order} n'est pas arrivée",
            "Le suivi ne bouge plus depuis des jours",
        ),
        "defect": (
            "{product} ne fonctionne plus",
            "{product} est arrivé cassé",
            "Problème avec mon {product}",
        ),
        "return": (
            "Retour de {product}",
            "Remboursement de la commande {order}",
            "Comment renvoyer {product} ?",
        ),
        "wrong_item": (
            "Mauvais article dans la commande {order}",
            "J'ai reçu le mauvais article",
            "Ce n'est pas ce que j'ai commandé",
        ),
        "general": (
            "Question sur ma commande",
            "Comment changer mon adresse ?",
            "Facture de la commande {order}",
        ),
    },
    "es": {
        "shipment_issue": (
            "¿Dónde está mi paquete?",
            "El pedido {order} no ha llegado",
            "El seguimiento no avanza desde hace días",
        ),
        "defect": (
            "{product} ha dejado de funcionar",
            "{product} llegó roto",
            "Problema con mi {product}",
        ),
        "return": (
            "Devolver {product}",
            "Reembolso del pedido {order}",
            "¿Cómo devuelvo {product}?",
        ),
        "wrong_item": (
            "Artículo equivocado en el pedido {order}",
            "He recibido el artículo equivocado",
            "Esto no es lo que pedí",
        ),
        "general": (
            "Pregunta sobre mi pedido",
            "¿Cómo cambio mi dirección?",
            "Factura del pedido {order}",
        ),
    },
    "zh-hans": {
        "shipment_issue": ("我的包裹在哪里？", "订单 {order} 还没有到", "物流信息好几天没有更新"),
        "defect": ("{product} 不能用了", "{product} 收到时已损坏", "我的 {product} 有问题"),
        "return": ("退回 {product}", "订单 {order} 退款", "如何退回 {product}？"),
        "wrong_item": ("订单 {order} 发错了商品", "我收到了错误的商品", "这不是我订购的商品"),
        "general": ("关于我的订单的问题", "如何修改我的地址？", "订单 {order} 的发票"),
    },
}

# The customer's first message, by kind.
OPENINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "shipment_issue": (
            "I ordered two weeks ago and nothing has arrived yet. Can you check?",
            "The tracking page says delivered but there is no parcel.",
        ),
        "defect": (
            "It worked for a week and now it does not switch on any more.",
            "The box was fine but the item inside is cracked.",
        ),
        "return": (
            "It does not fit, I would like to send it back.",
            "I changed my mind, it is still in its box.",
        ),
        "wrong_item": (
            "The parcel contained a different product than the one I ordered.",
            "I got the wrong size and colour.",
        ),
        "general": (
            "Could you tell me when my order will ship?",
            "Can I still add something to my order?",
        ),
    },
    "de": {
        "shipment_issue": (
            "Ich habe vor zwei Wochen bestellt und noch nichts erhalten. Können Sie nachsehen?",
            "Laut Sendungsverfolgung zugestellt, aber hier ist kein Paket.",
        ),
        "defect": (
            "Es hat eine Woche funktioniert, jetzt lässt es sich nicht mehr einschalten.",
            "Der Karton war heil, aber der Artikel darin ist gesprungen.",
        ),
        "return": (
            "Es passt nicht, ich möchte es zurückschicken.",
            "Ich habe es mir anders überlegt, es ist noch verpackt.",
        ),
        "wrong_item": (
            "Im Paket war ein anderes Produkt als bestellt.",
            "Ich habe die falsche Größe und Farbe bekommen.",
        ),
        "general": (
            "Können Sie mir sagen, wann meine Bestellung verschickt wird?",
            "Kann ich noch etwas zu meiner Bestellung hinzufügen?",
        ),
    },
    "fr": {
        "shipment_issue": (
            "J'ai commandé il y a deux semaines et rien n'est arrivé. Pouvez-vous vérifier ?",
            "Le suivi indique livré mais je n'ai pas de colis.",
        ),
        "defect": (
            "Il a fonctionné une semaine et ne s'allume plus.",
            "Le carton était intact mais l'article est fissuré.",
        ),
        "return": (
            "Il ne me va pas, je voudrais le renvoyer.",
            "J'ai changé d'avis, il est encore dans son emballage.",
        ),
        "wrong_item": (
            "Le colis contenait un autre produit que celui commandé.",
            "J'ai reçu la mauvaise taille et la mauvaise couleur.",
        ),
        "general": (
            "Pouvez-vous me dire quand ma commande sera expédiée ?",
            "Puis-je encore ajouter un article à ma commande ?",
        ),
    },
    "es": {
        "shipment_issue": (
            "Hice el pedido hace dos semanas y no ha llegado nada. ¿Pueden revisarlo?",
            "El seguimiento dice entregado pero no tengo el paquete.",
        ),
        "defect": (
            "Funcionó una semana y ahora ya no enciende.",
            "La caja estaba bien pero el artículo está agrietado.",
        ),
        "return": (
            "No me queda bien, quisiera devolverlo.",
            "He cambiado de opinión, sigue en su caja.",
        ),
        "wrong_item": (
            "El paquete traía un producto distinto al que pedí.",
            "Me llegó la talla y el color equivocados.",
        ),
        "general": (
            "¿Me pueden decir cuándo se enviará mi pedido?",
            "¿Puedo añadir algo todavía a mi pedido?",
        ),
    },
    "zh-hans": {
        "shipment_issue": (
            "我两周前下的订单，到现在还没收到，能帮忙查一下吗？",
            "物流显示已签收，但我没有收到包裹。",
        ),
        "defect": ("用了一周就开不了机了。", "外包装完好，但里面的商品裂了。"),
        "return": ("尺寸不合适，我想退货。", "我改主意了，还没有拆封。"),
        "wrong_item": ("包裹里的商品和我订的不一样。", "尺码和颜色都发错了。"),
        "general": ("请问我的订单什么时候发货？", "我还能在订单里加东西吗？"),
    },
}

AGENT_REPLIES: dict[str, tuple[str, ...]] = {
    "en": (
        "Thank you for writing. I am looking into this and will get back to you shortly.",
        "Sorry for the trouble. We have sent a replacement today.",
        "We have issued a refund; it will show on your statement within a few days.",
    ),
    "de": (
        "Danke für Ihre Nachricht. Ich sehe mir das an und melde mich in Kürze.",
        "Entschuldigen Sie die Umstände. Wir haben heute Ersatz verschickt.",
        "Wir haben den Betrag erstattet; er erscheint in wenigen Tagen auf Ihrem Konto.",
    ),
    "fr": (
        "Merci pour votre message. Je regarde cela et reviens vers vous rapidement.",
        "Désolé pour le désagrément. Nous avons envoyé un remplacement aujourd'hui.",
        "Nous avons effectué le remboursement ; il apparaîtra d'ici quelques jours.",
    ),
    "es": (
        "Gracias por escribirnos. Lo estoy revisando y le respondo en breve.",
        "Disculpe las molestias. Hoy hemos enviado un reemplazo.",
        "Hemos emitido el reembolso; lo verá en su cuenta en unos días.",
    ),
    "zh-hans": (
        "感谢您的来信，我正在处理，稍后回复您。",
        "给您带来不便，非常抱歉。我们今天已寄出替换商品。",
        "我们已办理退款，几天内会到账。",
    ),
}

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "en": (
        "Thanks, any news?",
        "I have attached a photo of the item.",
        "That works for me, thank you.",
    ),
    "de": (
        "Danke, gibt es Neuigkeiten?",
        "Ich habe ein Foto des Artikels angehängt.",
        "Das passt für mich, vielen Dank.",
    ),
    "fr": (
        "Merci, avez-vous des nouvelles ?",
        "J'ai joint une photo de l'article.",
        "Cela me convient, merci.",
    ),
    "es": (
        "Gracias, ¿hay novedades?",
        "He adjuntado una foto del artículo.",
        "Me parece bien, gracias.",
    ),
    "zh-hans": ("谢谢，有进展了吗？", "我附上了商品的照片。", "可以，谢谢。"),
}

# Internal notes are for agents: one language is enough.
NOTES: tuple[str, ...] = (
    "Checked with the warehouse, stock is available.",
    "Carrier claim opened.",
    "Customer is a repeat buyer, be generous.",
    "Waiting for the photo before approving.",
)

# (subject, body) of the two notifications the generator writes, per language.
NOTIFICATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "case_received": (
            "We received your request {number}",
            "Hello, we received your request {number} and will answer soon.",
        ),
        "case_resolved": (
            "Your request {number} is resolved",
            "Hello, your request {number} is resolved. Reply to this email if anything is still wrong.",
        ),
    },
    "de": {
        "case_received": (
            "Wir haben Ihre Anfrage {number} erhalten",
            "Hallo, wir haben Ihre Anfrage {number} erhalten und antworten bald.",
        ),
        "case_resolved": (
            "Ihre Anfrage {number} ist gelöst",
            "Hallo, Ihre Anfrage {number} ist gelöst. Antworten Sie auf diese E-Mail, falls noch etwas nicht stimmt.",
        ),
    },
    "fr": {
        "case_received": (
            "Nous avons reçu votre demande {number}",
            "Bonjour, nous avons reçu votre demande {number} et répondrons bientôt.",
        ),
        "case_resolved": (
            "Votre demande {number} est résolue",
            "Bonjour, votre demande {number} est résolue. Répondez à cet e-mail si quelque chose ne va pas.",
        ),
    },
    "es": {
        "case_received": (
            "Hemos recibido su solicitud {number}",
            "Hola, hemos recibido su solicitud {number} y responderemos pronto.",
        ),
        "case_resolved": (
            "Su solicitud {number} está resuelta",
            "Hola, su solicitud {number} está resuelta. Responda a este correo si algo sigue mal.",
        ),
    },
    "zh-hans": {
        "case_received": (
            "我们已收到您的请求 {number}",
            "您好，我们已收到您的请求 {number}，会尽快答复。",
        ),
        "case_resolved": (
            "您的请求 {number} 已解决",
            "您好，您的请求 {number} 已解决。如仍有问题，请回复此邮件。",
        ),
    },
}
