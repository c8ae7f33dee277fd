"""The static side of `manage.py seed_demo`: countries, catalogue, rates, teams and the texts
customers and agents write, in the five portal languages. No logic and no randomness here."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Country:
    """Where demo customers live: their language, the currency they pay in, the tax added to
    their orders, and (time zone, phone pattern) pairs; in a pattern # is any digit, N 2-9."""

    language: str
    currency: str
    tax_rate: Decimal
    places: tuple[tuple[str, str], ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    family_name_first: bool = False


COUNTRIES = {
    "DE": Country(
        "de",
        "EUR",
        Decimal("0.19"),
        (("Europe/Berlin", "+49151########"),),
        ("Lena", "Jonas", "Sophie", "Felix", "Hannah", "Lukas", "Marie", "Tobias"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Hoffmann"),
    ),
    "AT": Country(
        "de",
        "EUR",
        Decimal("0.20"),
        (("Europe/Vienna", "+43664#######"),),
        ("Anna", "Florian", "Katharina", "Stefan", "Julia", "Matthias"),
        ("Gruber", "Huber", "Bauer", "Pichler", "Moser", "Steiner"),
    ),
    "CH": Country(
        "de",
        "EUR",
        Decimal("0.081"),
        (("Europe/Zurich", "+4179#######"),),
        ("Laura", "Nicolas", "Sarah", "David", "Mia", "Simon"),
        ("Meier", "Keller", "Brunner", "Frei", "Baumann", "Zimmermann"),
    ),
    "FR": Country(
        "fr",
        "EUR",
        Decimal("0.20"),
        (("Europe/Paris", "+3361#######"), ("Europe/Paris", "+3367#######")),
        ("Camille", "Louis", "Chloé", "Hugo", "Manon", "Théo", "Léa", "Antoine"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy"),
    ),
    "ES": Country(
        "es",
        "EUR",
        Decimal("0.21"),
        (("Europe/Madrid", "+346########"),),
        ("Lucía", "Pablo", "María", "Javier", "Carmen", "Alejandro"),
        ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero"),
    ),
    "MX": Country(
        "es",
        "USD",
        Decimal("0.16"),
        (("America/Mexico_City", "+5255########"), ("America/Monterrey", "+5281########")),
        ("Valeria", "Diego", "Ximena", "Santiago", "Fernanda", "Emiliano"),
        ("Hernández", "González", "Ramírez", "Flores", "Torres", "Morales"),
    ),
    "CN": Country(
        "zh-hans",
        "CNY",
        Decimal("0.13"),
        (("Asia/Shanghai", "+86138########"), ("Asia/Shanghai", "+86139########")),
        ("伟", "芳", "静", "磊", "婷", "浩然", "子涵", "欣怡"),
        ("王", "李", "张", "刘", "陈", "杨", "赵", "黄"),
        family_name_first=True,
    ),
    "US": Country(
        "en",
        "USD",
        Decimal("0.08"),
        (
            ("America/New_York", "+1212N######"),
            ("America/Chicago", "+1312N######"),
            ("America/Los_Angeles", "+1415N######"),
        ),
        ("Emily", "Michael", "Olivia", "James", "Ava", "Ethan"),
        ("Johnson", "Williams", "Brown", "Davis", "Miller", "Wilson"),
    ),
    "GB": Country(
        "en",
        "GBP",
        Decimal("0.20"),
        (("Europe/London", "+44738#######"),),
        ("Amelia", "Oliver", "Isla", "Harry", "Charlotte", "George"),
        ("Smith", "Jones", "Taylor", "Evans", "Roberts", "Walker"),
    ),
    # The portal has no Japanese yet: Japanese customers read it in English.
    "JP": Country(
        "en",
        "JPY",
        Decimal("0.10"),
        (("Asia/Tokyo", "+8190N#######"), ("Asia/Tokyo", "+8180N#######")),
        ("Yuki", "Haruto", "Sakura", "Ren", "Aoi", "Sota"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito"),
    ),
}

# username -> (password, group, profile). The passwords are public on purpose: every run
# prints them, and a demo database holds nothing worth protecting.
USERS = {
    "agent": ("agent-demo", "Agents", {"first_name": "Anna", "last_name": "Berger"}),
    "supervisor": (
        "supervisor-demo",
        "Supervisors",
        {"first_name": "Samuel", "last_name": "Ortega", "is_staff": True},
    ),
}

# Defects and late parcels are what cross-border shops hear about most (DESIGN.md).
KIND_WEIGHTS = {"defect": 35, "wrong_item": 15, "shipment_issue": 35, "general": 15}
# Where each kind of case can wait: every kind on the customer, some on a return or a carrier.
WAITING = {
    "defect": ("waiting_on_customer", "waiting_on_return"),
    "wrong_item": ("waiting_on_customer", "waiting_on_return"),
    "shipment_issue": ("waiting_on_customer", "waiting_on_carrier"),
    "general": ("waiting_on_customer",),
}

# Units of EUR one unit buys (ExchangeRate semantics), close to 2026 market rates.
EXCHANGE_RATES = {
    "USD": Decimal("0.92000000"),
    "GBP": Decimal("1.17000000"),
    "JPY": Decimal("0.00610000"),
    "CNY": Decimal("0.12700000"),
}

# Shelf prices are rounded up to a step, less a cut: 43.37 USD -> 43.99, 6,412 JPY -> 6,480.
PRICE_POINTS = {
    "USD": (Decimal(1), Decimal("0.01")),
    "GBP": (Decimal(1), Decimal("0.01")),
    "JPY": (Decimal(100), Decimal(20)),
    "CNY": (Decimal(1), Decimal(0)),
}

# Flat shipping per order currency, free from the second amount on.
SHIPPING = {
    "EUR": (Decimal("4.90"), Decimal(60)),
    "USD": (Decimal("9.90"), Decimal(75)),
    "GBP": (Decimal("4.99"), Decimal(50)),
    "JPY": (Decimal(990), Decimal(10000)),
    "CNY": (Decimal("39.00"), Decimal(500)),
}

# (sku, title, price in EUR)
PRODUCTS = (
    ("KTL-1700-BLK", "Brewmaster 1.7 L Electric Kettle, Black", Decimal("39.90")),
    ("HDP-ANC-300", "Aurora ANC-300 Wireless Headphones", Decimal("179.00")),
    ("SPK-MINI-BLU", "Pebble Mini Bluetooth Speaker, Blue", Decimal("49.90")),
    ("LMP-DESK-LED", "Lumo LED Desk Lamp with USB-C", Decimal("59.00")),
    ("BAG-TRV-40L", "Nomad 40 L Travel Backpack", Decimal("89.00")),
    ("SHO-RUN-42", "Stride Running Shoes, EU 42", Decimal("119.00")),
    ("JKT-RAIN-M", "Drift Rain Jacket, Size M", Decimal("129.00")),
    ("MUG-CER-SET4", "Stoneware Mug Set of 4", Decimal("34.50")),
    ("PAN-CI-28", "Cast Iron Skillet 28 cm", Decimal("54.90")),
    ("WCH-PULSE-2", "Pulse 2 Smartwatch", Decimal("199.00")),
    ("CHG-GAN-65W", "65 W GaN USB-C Charger", Decimal("39.00")),
    ("TEA-SENCHA-200", "Organic Sencha Green Tea, 200 g", Decimal("18.90")),
    ("YGA-CORK-6MM", "Cork Yoga Mat 6 mm", Decimal("69.00")),
    ("CAM-TRAIL-4K", "Trail 4K Action Camera", Decimal("249.00")),
    ("KBD-MECH-TKL", "Tenkeyless Mechanical Keyboard", Decimal("109.00")),
)

# language -> (team name, description)
TEAMS = {
    "de": ("DACH", "Germany, Austria and German-speaking Switzerland"),
    "fr": ("France", "France and French-speaking customers"),
    "es": ("Spain & LatAm", "Spain, Mexico and Latin America"),
    "zh-hans": ("China", "Mainland China"),
    "en": ("English", "UK, US, Japan and everyone else"),
}

TAGS = {
    "defect": ("battery", "transport-damage", "quality"),
    "wrong_item": ("warehouse-error", "wrong-variant"),
    "shipment_issue": ("customs", "lost-parcel", "late-delivery"),
    "general": ("invoice", "address-change"),
}
COMMON_TAGS = ("vip", "repeat-contact")

# What making it right costs, by case kind.
COMPENSATION_KINDS = {
    "defect": ("refund", "partial_refund", "replacement", "repair"),
    "wrong_item": ("replacement", "discount_code"),
    "shipment_issue": ("refund", "replacement", "partial_refund"),
    "general": ("store_credit",),
}
# Share of the order subtotal for the kinds that are not the whole order or one item.
COMPENSATION_SHARES = {
    "partial_refund": Decimal("0.30"),
    "repair": Decimal("0.25"),
    "discount_code": Decimal("0.10"),
    "store_credit": Decimal("0.10"),
}

# Internal notes are in English, the language every team shares.
NOTES = {
    "defect": (
        "Second claim for this product this month, flagged to purchasing.",
        "Photos show transport damage; the outer box was too thin for this item.",
    ),
    "wrong_item": (
        "Warehouse log: picked from bin A-41 instead of A-14.",
        "Same packer as last week's mix-up, informed the warehouse lead.",
    ),
    "shipment_issue": (
        "Carrier hotline: last scan at the export hub 9 days ago, likely lost.",
        "Customs wants a commercial invoice, sent it to the broker.",
    ),
    "general": (
        "Long-standing customer, handle generously.",
        "Checked with accounting, they can reissue the invoice today.",
    ),
}

# Placeholders: {name} the customer, {order} the order number, {product} the first line's title.
# openings: (subject, the customer's first message); requests: what the agent writes when the
# case starts waiting; replies: the customer answering a request.
TEXTS = {
    "en": {
        "openings": {
            "defect": (
                (
                    "{product} stopped working after a week",
                    "Hi, the {product} from order {order} stopped working after about a week. "
                    "It doesn't turn on at all any more, even after charging it overnight. "
                    "Can you help?",
                ),
                (
                    "{product} arrived damaged",
                    "Hello, my order {order} arrived today but the {product} is cracked on one "
                    "side. The box looked fine, so it must have happened before packing. "
                    "I'd like a replacement please.",
                ),
                (
                    "Problem with {product}",
                    "The {product} (order {order}) makes a loud rattling noise and gets very "
                    "hot. I don't feel safe using it. What are my options?",
                ),
            ),
            "wrong_item": (
                (
                    "Wrong item in order {order}",
                    "Hi, I ordered the {product} but received something completely different. "
                    "The packing slip is right, the item in the box is not. "
                    "Please send me the right one.",
                ),
                (
                    "Received the wrong size or colour",
                    "Hello, the {product} in order {order} is not the variant I ordered. "
                    "Can you exchange it?",
                ),
                (
                    "Order {order}: someone else's item in my parcel",
                    "My parcel for order {order} contained another customer's item instead of "
                    "the {product}. How do I send it back and get mine?",
                ),
            ),
            "shipment_issue": (
                (
                    "Where is my order {order}?",
                    "Hi, I placed order {order} almost three weeks ago and the tracking hasn't "
                    "moved for ten days. Can you check what is going on?",
                ),
                (
                    "Parcel stuck in customs",
                    "My parcel with the {product} (order {order}) has been held at customs for "
                    "a week. Do I need to do or pay anything?",
                ),
                (
                    "Tracking says delivered, but nothing arrived",
                    "The tracking for order {order} says it was delivered yesterday, but there "
                    "is nothing at my door or with the neighbours. What should I do?",
                ),
            ),
            "general": (
                (
                    "Invoice for order {order}",
                    "Hello, could you send me a proper VAT invoice for order {order}? "
                    "I need it for my company.",
                ),
                (
                    "Change the delivery address",
                    "Hi, I just noticed a typo in the delivery address of order {order}. "
                    "Can I still change it?",
                ),
                (
                    "Question about the warranty",
                    "How long is the warranty on the {product} from order {order}, and does it "
                    "cover the battery too?",
                ),
            ),
        },
        "acknowledgements": {
            "defect": "Hello {name}, I'm sorry the {product} is giving you trouble. I've opened "
            "a claim for order {order} and will come back to you with the next steps shortly.",
            "wrong_item": "Hello {name}, I'm really sorry: we clearly packed the wrong item for "
            "order {order}. I'm arranging the correct {product} for you right away.",
            "shipment_issue": "Hello {name}, thanks for letting us know. I've asked the carrier "
            "to investigate order {order} and I'm keeping an eye on it for you.",
            "general": "Hello {name}, thanks for your message about order {order}. "
            "I'm looking into it now.",
        },
        "requests": {
            "waiting_on_customer": "Could you send us two or three photos of the {product} and "
            "of the shipping label? As soon as we have them we'll continue.",
            "waiting_on_return": "Your prepaid return label is ready in the portal. Please pack "
            "the item securely and drop it off at any post office; we'll take it from there.",
            "waiting_on_carrier": "The carrier has opened an investigation for order {order}. "
            "They usually answer within 5 working days; I'll update you as soon as they do.",
        },
        "replies": (
            "Thanks, I've just uploaded the photos in the portal.",
            "Here you go: the serial number is on the underside, I added a picture of it too.",
            "Thank you for the quick answer! Let me know if you need anything else.",
        ),
        "resolutions": {
            "defect": "Good news, {name}: your claim for the {product} is approved. The refund "
            "or replacement is on its way and you'll get a confirmation by email. "
            "Sorry again for the trouble!",
            "wrong_item": "The correct {product} is on its way by express. Please keep the "
            "wrong item, there is no need to send it back.",
            "shipment_issue": "We've settled order {order} for you: the confirmation of the "
            "refund or replacement reaches you by email in a few minutes. "
            "Thank you for your patience.",
            "general": "All done: order {order} is updated as you asked. "
            "Is there anything else I can help with?",
        },
    },
    "de": {
        "openings": {
            "defect": (
                (
                    "{product} funktioniert nach einer Woche nicht mehr",
                    "Hallo, der Artikel {product} aus Bestellung {order} funktioniert nach "
                    "etwa einer Woche nicht mehr. Er lässt sich gar nicht mehr einschalten, "
                    "auch nicht nach dem Laden über Nacht. Können Sie mir helfen?",
                ),
                (
                    "{product} beschädigt angekommen",
                    "Guten Tag, meine Bestellung {order} ist heute angekommen, aber der Artikel "
                    "{product} hat an der Seite einen Riss. Der Karton war unbeschädigt, es muss "
                    "also vor dem Verpacken passiert sein. Ich hätte gern Ersatz.",
                ),
                (
                    "Problem mit {product}",
                    "Der Artikel {product} (Bestellung {order}) klappert laut und wird sehr "
                    "heiß. Ich traue mich nicht, ihn weiter zu benutzen. "
                    "Welche Möglichkeiten habe ich?",
                ),
            ),
            "wrong_item": (
                (
                    "Falscher Artikel in Bestellung {order}",
                    "Hallo, ich habe {product} bestellt, aber etwas ganz anderes bekommen. "
                    "Der Lieferschein stimmt, der Inhalt des Pakets nicht. "
                    "Bitte schicken Sie mir den richtigen Artikel.",
                ),
                (
                    "Falsche Größe bzw. Farbe geliefert",
                    "Guten Tag, der Artikel {product} aus Bestellung {order} ist nicht die "
                    "Variante, die ich bestellt habe. Können Sie ihn umtauschen?",
                ),
                (
                    "Bestellung {order}: fremder Artikel im Paket",
                    "In meinem Paket zur Bestellung {order} lag statt {product} der Artikel "
                    "eines anderen Kunden. Wie schicke ich ihn zurück und bekomme meinen?",
                ),
            ),
            "shipment_issue": (
                (
                    "Wo bleibt meine Bestellung {order}?",
                    "Hallo, ich habe die Bestellung {order} vor fast drei Wochen aufgegeben, "
                    "und die Sendungsverfolgung steht seit zehn Tagen still. "
                    "Können Sie nachsehen, was los ist?",
                ),
                (
                    "Paket hängt beim Zoll fest",
                    "Mein Paket mit {product} (Bestellung {order}) liegt seit einer Woche beim "
                    "Zoll. Muss ich etwas tun oder bezahlen?",
                ),
                (
                    "Laut Tracking zugestellt, aber nichts angekommen",
                    "Laut Sendungsverfolgung wurde die Bestellung {order} gestern zugestellt, "
                    "aber weder vor meiner Tür noch bei den Nachbarn ist etwas. "
                    "Was soll ich tun?",
                ),
            ),
            "general": (
                (
                    "Rechnung zur Bestellung {order}",
                    "Guten Tag, könnten Sie mir für die Bestellung {order} eine Rechnung mit "
                    "ausgewiesener Mehrwertsteuer schicken? Ich brauche sie für meine Firma.",
                ),
                (
                    "Lieferadresse ändern",
                    "Hallo, mir ist gerade ein Tippfehler in der Lieferadresse der Bestellung "
                    "{order} aufgefallen. Kann ich sie noch ändern?",
                ),
                (
                    "Frage zur Garantie",
                    "Wie lange gilt die Garantie auf {product} aus Bestellung {order}, und ist "
                    "der Akku auch abgedeckt?",
                ),
            ),
        },
        "acknowledgements": {
            "defect": "Hallo {name}, es tut mir leid, dass es mit {product} Probleme gibt. Ich "
            "habe für die Bestellung {order} eine Reklamation angelegt und melde mich in Kürze "
            "mit den nächsten Schritten.",
            "wrong_item": "Hallo {name}, das tut mir wirklich leid: Bei der Bestellung {order} "
            "haben wir offensichtlich falsch verpackt. Ich veranlasse sofort den Versand von "
            "{product}.",
            "shipment_issue": "Hallo {name}, danke für den Hinweis. Ich habe beim "
            "Versanddienstleister einen Nachforschungsauftrag für die Bestellung {order} "
            "gestellt und behalte die Sendung für Sie im Blick.",
            "general": "Hallo {name}, danke für Ihre Nachricht zur Bestellung {order}. "
            "Ich kümmere mich gleich darum.",
        },
        "requests": {
            "waiting_on_customer": "Könnten Sie uns zwei oder drei Fotos von {product} und vom "
            "Versandetikett schicken? Sobald wir sie haben, geht es sofort weiter.",
            "waiting_on_return": "Ihr vorfrankiertes Rücksendeetikett liegt im Kundenportal "
            "bereit. Bitte verpacken Sie den Artikel sicher und geben Sie das Paket in einer "
            "Postfiliale ab; den Rest übernehmen wir.",
            "waiting_on_carrier": "Der Versanddienstleister hat für die Bestellung {order} eine "
            "Nachforschung eröffnet. Eine Antwort kommt meist innerhalb von 5 Werktagen; ich "
            "melde mich, sobald ich etwas höre.",
        },
        "replies": (
            "Danke, ich habe die Fotos gerade im Portal hochgeladen.",
            "Bitte sehr: Die Seriennummer steht auf der Unterseite, davon habe ich auch ein "
            "Foto angehängt.",
            "Vielen Dank für die schnelle Antwort! Sagen Sie Bescheid, falls Sie noch etwas "
            "brauchen.",
        ),
        "resolutions": {
            "defect": "Gute Nachricht, {name}: Ihre Reklamation zu {product} ist genehmigt. "
            "Erstattung bzw. Ersatz sind unterwegs, die Bestätigung kommt per E-Mail. "
            "Entschuldigen Sie bitte die Umstände!",
            "wrong_item": "Der richtige Artikel {product} ist per Express unterwegs. Den "
            "falschen Artikel dürfen Sie behalten, eine Rücksendung ist nicht nötig.",
            "shipment_issue": "Wir haben die Bestellung {order} für Sie geklärt: Die "
            "Bestätigung der Erstattung bzw. Ersatzlieferung kommt in wenigen Minuten per "
            "E-Mail. Danke für Ihre Geduld.",
            "general": "Erledigt: Die Bestellung {order} ist wie gewünscht angepasst. "
            "Kann ich sonst noch etwas für Sie tun?",
        },
    },
    "fr": {
        "openings": {
            "defect": (
                (
                    "{product} ne fonctionne plus après une semaine",
                    "Bonjour, l'article {product} de la commande {order} ne fonctionne plus "
                    "après environ une semaine. Il ne s'allume plus du tout, même après une "
                    "nuit de charge. Pouvez-vous m'aider ?",
                ),
                (
                    "{product} arrivé endommagé",
                    "Bonjour, ma commande {order} est arrivée aujourd'hui, mais l'article "
                    "{product} est fissuré sur le côté. Le carton était intact, cela a donc dû "
                    "se produire avant l'emballage. Je souhaiterais un remplacement.",
                ),
                (
                    "Problème avec {product}",
                    "L'article {product} (commande {order}) fait un fort bruit de cliquetis et "
                    "chauffe beaucoup. Je n'ose plus l'utiliser. Quelles sont mes options ?",
                ),
            ),
            "wrong_item": (
                (
                    "Mauvais article dans la commande {order}",
                    "Bonjour, j'ai commandé {product} mais j'ai reçu tout autre chose. Le bon "
                    "de livraison est correct, le contenu du colis non. "
                    "Merci de m'envoyer le bon article.",
                ),
                (
                    "Mauvaise taille ou couleur reçue",
                    "Bonjour, l'article {product} de la commande {order} n'est pas la variante "
                    "que j'ai commandée. Pouvez-vous l'échanger ?",
                ),
                (
                    "Commande {order} : article d'un autre client",
                    "Mon colis pour la commande {order} contenait l'article d'un autre client à "
                    "la place de {product}. Comment le renvoyer et recevoir le mien ?",
                ),
            ),
            "shipment_issue": (
                (
                    "Où est ma commande {order} ?",
                    "Bonjour, j'ai passé la commande {order} il y a presque trois semaines et "
                    "le suivi n'a pas bougé depuis dix jours. "
                    "Pouvez-vous vérifier ce qui se passe ?",
                ),
                (
                    "Colis bloqué en douane",
                    "Mon colis avec {product} (commande {order}) est retenu en douane depuis "
                    "une semaine. Dois-je faire quelque chose ou payer des frais ?",
                ),
                (
                    "Indiqué livré, mais rien reçu",
                    "Le suivi de la commande {order} indique une livraison hier, mais il n'y a "
                    "rien devant ma porte ni chez les voisins. Que dois-je faire ?",
                ),
            ),
            "general": (
                (
                    "Facture pour la commande {order}",
                    "Bonjour, pourriez-vous m'envoyer une facture avec TVA pour la commande "
                    "{order} ? J'en ai besoin pour mon entreprise.",
                ),
                (
                    "Modifier l'adresse de livraison",
                    "Bonjour, je viens de remarquer une faute de frappe dans l'adresse de "
                    "livraison de la commande {order}. Est-il encore possible de la modifier ?",
                ),
                (
                    "Question sur la garantie",
                    "Quelle est la durée de la garantie de {product} (commande {order}), et la "
                    "batterie est-elle couverte ?",
                ),
            ),
        },
        "acknowledgements": {
            "defect": "Bonjour {name}, nous sommes désolés que l'article {product} vous pose "
            "problème. Nous avons ouvert une réclamation pour la commande {order} et revenons "
            "très vite vers vous avec la marche à suivre.",
            "wrong_item": "Bonjour {name}, toutes nos excuses : nous nous sommes trompés "
            "d'article pour la commande {order}. Nous organisons tout de suite l'envoi de "
            "{product}.",
            "shipment_issue": "Bonjour {name}, merci de nous avoir prévenus. Nous avons demandé "
            "une enquête au transporteur pour la commande {order} et suivons le colis de près.",
            "general": "Bonjour {name}, merci pour votre message concernant la commande "
            "{order}. Nous nous en occupons tout de suite.",
        },
        "requests": {
            "waiting_on_customer": "Pourriez-vous nous envoyer deux ou trois photos de "
            "{product} et de l'étiquette d'expédition ? Dès réception, nous poursuivons.",
            "waiting_on_return": "Votre étiquette de retour prépayée est disponible dans "
            "l'espace client. Merci d'emballer soigneusement l'article et de déposer le colis "
            "dans un bureau de poste ; nous nous chargeons du reste.",
            "waiting_on_carrier": "Le transporteur a ouvert une enquête pour la commande "
            "{order}. Il répond en général sous 5 jours ouvrés ; nous vous écrivons dès que "
            "nous avons des nouvelles.",
        },
        "replies": (
            "Merci, je viens de déposer les photos sur le portail.",
            "Voici : le numéro de série se trouve en dessous, j'en ai aussi joint une photo.",
            "Merci pour votre réponse rapide ! Dites-moi si vous avez besoin d'autre chose.",
        ),
        "resolutions": {
            "defect": "Bonne nouvelle, {name} : votre réclamation pour {product} est acceptée. "
            "Le remboursement ou le remplacement est en cours et vous recevrez une confirmation "
            "par e-mail. Encore désolés pour la gêne occasionnée !",
            "wrong_item": "Le bon article, {product}, est parti en express. Vous pouvez garder "
            "l'article reçu par erreur, inutile de le renvoyer.",
            "shipment_issue": "Nous avons réglé la commande {order} : la confirmation du "
            "remboursement ou du renvoi vous parvient par e-mail dans quelques minutes. "
            "Merci de votre patience.",
            "general": "C'est fait : la commande {order} a été mise à jour comme demandé. "
            "Pouvons-nous vous aider pour autre chose ?",
        },
    },
    "es": {
        "openings": {
            "defect": (
                (
                    "{product} dejó de funcionar tras una semana",
                    "Hola, el artículo {product} del pedido {order} dejó de funcionar a la "
                    "semana. Ya no enciende, ni siquiera después de cargarlo toda la noche. "
                    "¿Me pueden ayudar?",
                ),
                (
                    "{product} llegó dañado",
                    "Buenas tardes, mi pedido {order} llegó hoy, pero el artículo {product} "
                    "tiene una grieta en un lateral. La caja estaba intacta, así que debió de "
                    "pasar antes del embalaje. Quisiera un reemplazo.",
                ),
                (
                    "Problema con {product}",
                    "El artículo {product} (pedido {order}) hace un ruido fuerte y se calienta "
                    "mucho. No me atrevo a seguir usándolo. ¿Qué opciones tengo?",
                ),
            ),
            "wrong_item": (
                (
                    "Artículo equivocado en el pedido {order}",
                    "Hola, pedí {product} pero recibí algo completamente distinto. El albarán "
                    "es correcto, el contenido de la caja no. "
                    "Por favor, envíenme el artículo correcto.",
                ),
                (
                    "Me llegó otra talla o color",
                    "Hola, el artículo {product} del pedido {order} no es la variante que pedí. "
                    "¿Pueden cambiármelo?",
                ),
                (
                    "Pedido {order}: artículo de otro cliente",
                    "Mi paquete del pedido {order} traía el artículo de otro cliente en lugar "
                    "de {product}. ¿Cómo lo devuelvo y recibo el mío?",
                ),
            ),
            "shipment_issue": (
                (
                    "¿Dónde está mi pedido {order}?",
                    "Hola, hice el pedido {order} hace casi tres semanas y el seguimiento no "
                    "se mueve desde hace diez días. ¿Pueden revisar qué pasa?",
                ),
                (
                    "Paquete retenido en aduanas",
                    "Mi paquete con {product} (pedido {order}) lleva una semana retenido en "
                    "aduanas. ¿Tengo que hacer o pagar algo?",
                ),
                (
                    "Figura como entregado, pero no ha llegado nada",
                    "El seguimiento del pedido {order} dice que se entregó ayer, pero no hay "
                    "nada en mi puerta ni con los vecinos. ¿Qué hago?",
                ),
            ),
            "general": (
                (
                    "Factura del pedido {order}",
                    "Hola, ¿podrían enviarme una factura con el IVA desglosado para el pedido "
                    "{order}? La necesito para mi empresa.",
                ),
                (
                    "Cambiar la dirección de entrega",
                    "Hola, acabo de ver un error en la dirección de entrega del pedido {order}. "
                    "¿Todavía se puede cambiar?",
                ),
                (
                    "Consulta sobre la garantía",
                    "¿Cuánto dura la garantía de {product} del pedido {order}? "
                    "¿Cubre también la batería?",
                ),
            ),
        },
        "acknowledgements": {
            "defect": "Hola, {name}: lamentamos que {product} le esté dando problemas. Hemos "
            "abierto una reclamación para el pedido {order} y en breve le indicaremos los "
            "siguientes pasos.",
            "wrong_item": "Hola, {name}: le pedimos disculpas, nos equivocamos al preparar el "
            "pedido {order}. Ya estamos organizando el envío de {product}.",
            "shipment_issue": "Hola, {name}: gracias por avisarnos. Hemos pedido a la empresa "
            "de transporte que investigue el pedido {order} y seguimos el envío de cerca.",
            "general": "Hola, {name}: gracias por su mensaje sobre el pedido {order}. "
            "Nos ocupamos ahora mismo.",
        },
        "requests": {
            "waiting_on_customer": "¿Podría enviarnos dos o tres fotos de {product} y de la "
            "etiqueta de envío? En cuanto las tengamos, seguimos adelante.",
            "waiting_on_return": "Su etiqueta de devolución prepagada ya está en el portal de "
            "clientes. Embale bien el artículo y entregue el paquete en cualquier oficina de "
            "correos; nosotros nos encargamos del resto.",
            "waiting_on_carrier": "La empresa de transporte ha abierto una investigación para "
            "el pedido {order}. Suele responder en 5 días hábiles; le avisaremos en cuanto "
            "sepamos algo.",
        },
        "replies": (
            "Gracias, acabo de subir las fotos al portal.",
            "Aquí tienen: el número de serie está en la parte de abajo, también adjunté una foto.",
            "¡Muchas gracias por la rápida respuesta! Avísenme si necesitan algo más.",
        ),
        "resolutions": {
            "defect": "Buenas noticias, {name}: hemos aprobado su reclamación de {product}. "
            "El reembolso o el reemplazo ya está en camino y recibirá la confirmación por "
            "correo. ¡Disculpe las molestias!",
            "wrong_item": "El artículo correcto, {product}, ya va en camino por envío urgente. "
            "Puede quedarse con el artículo equivocado, no hace falta devolverlo.",
            "shipment_issue": "Hemos resuelto el pedido {order}: en unos minutos recibirá por "
            "correo la confirmación del reembolso o del reenvío. Gracias por su paciencia.",
            "general": "Listo: hemos actualizado el pedido {order} como nos pidió. "
            "¿Podemos ayudarle en algo más?",
        },
    },
    "zh-hans": {
        "openings": {
            "defect": (
                (
                    "{product} 用了一周就坏了",
                    "您好，订单 {order} 里的 {product} 用了大约一周就不能用了，"
                    "充了一整晚的电也开不了机。能帮我处理一下吗？",
                ),
                (
                    "{product} 收到时已损坏",
                    "您好，我的订单 {order} 今天到了，但 {product} 侧面有裂痕。"
                    "外箱完好，应该是打包前就坏了。希望能给我换一个新的。",
                ),
                (
                    "{product} 有问题",
                    "订单 {order} 里的 {product} 有很大的异响，而且发热很严重，"
                    "我不敢再用了。请问该怎么处理？",
                ),
            ),
            "wrong_item": (
                (
                    "订单 {order} 发错货了",
                    "您好，我买的是 {product}，收到的却是完全不同的东西。"
                    "装箱单是对的，但箱子里的商品不对。请把正确的商品寄给我。",
                ),
                (
                    "收到的尺码或颜色不对",
                    "您好，订单 {order} 里的 {product} 不是我下单的款式，可以帮我换货吗？",
                ),
                (
                    "订单 {order}：收到了别人的商品",
                    "我的订单 {order} 包裹里装的是别人的商品，没有 {product}。"
                    "请问怎么退回并拿到我的商品？",
                ),
            ),
            "shipment_issue": (
                (
                    "我的订单 {order} 到哪里了？",
                    "您好，订单 {order} 我快三个星期前就下了，物流信息已经十天没有更新了。"
                    "能帮我查一下吗？",
                ),
                (
                    "包裹卡在海关",
                    "我买的 {product}（订单 {order}）在海关已经扣了一个星期了。"
                    "我需要办理什么手续或者缴费吗？",
                ),
                (
                    "显示已签收，但我没收到",
                    "订单 {order} 的物流显示昨天已签收，但是门口和邻居那里都没有。我该怎么办？",
                ),
            ),
            "general": (
                (
                    "订单 {order} 的发票",
                    "您好，能否为订单 {order} 开一张增值税发票？公司报销需要。",
                ),
                (
                    "修改收货地址",
                    "您好，我刚发现订单 {order} 的收货地址写错了一个字，还能修改吗？",
                ),
                (
                    "关于保修的问题",
                    "订单 {order} 里的 {product} 保修多久？电池也在保修范围内吗？",
                ),
            ),
        },
        "acknowledgements": {
            "defect": "{name}，您好！很抱歉 {product} 给您带来了麻烦。我们已为订单 {order} "
            "登记了售后申请，稍后会告诉您下一步怎么做。",
            "wrong_item": "{name}，您好！非常抱歉，订单 {order} 确实是我们发错货了。"
            "我们马上为您寄出 {product}。",
            "shipment_issue": "{name}，您好！感谢告知。我们已请承运商调查订单 {order}，"
            "会持续为您跟进。",
            "general": "{name}，您好！感谢您关于订单 {order} 的留言，我们马上为您处理。",
        },
        "requests": {
            "waiting_on_customer": "麻烦您发两三张 {product} 和快递面单的照片给我们，"
            "收到后我们会马上继续处理。",
            "waiting_on_return": "预付费的退货面单已放在客户中心，请把商品包装好，"
            "交到任意邮局即可，其余由我们处理。",
            "waiting_on_carrier": "承运商已就订单 {order} 立案调查，一般会在 5 个工作日内答复。"
            "有消息我们会第一时间通知您。",
        },
        "replies": (
            "谢谢，我刚把照片上传到客户中心了。",
            "好的，序列号在底部，我也拍了照片附上。",
            "谢谢你们这么快回复！如果还需要什么请告诉我。",
        ),
        "resolutions": {
            "defect": "{name}，好消息：您关于 {product} 的售后申请已通过。退款或换货正在处理中，"
            "确认邮件稍后发送给您。给您带来不便，再次致歉！",
            "wrong_item": "正确的 {product} 已通过加急快递寄出。发错的商品您可以留下，无需寄回。",
            "shipment_issue": "订单 {order} 的问题已为您解决：退款或补发的确认邮件几分钟内就会"
            "发到您的邮箱。感谢您的耐心等待。",
            "general": "已经办好了：订单 {order} 已按您的要求更新。还有什么可以帮您的吗？",
        },
    },
}
