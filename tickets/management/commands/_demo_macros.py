"""The demo's macros, in every language of the site, in the words the customer's emails and
portal use (a case is an "Anfrage" in German, a "工单" in Chinese): created by seed_demo when
missing (by name), so running it again changes nothing."""

from tickets.models import Case, Macro, Tag
from tickets.services.macros import macro_save

# name: (status, priority, tag, {language: body})
DEMO_MACROS: dict[str, tuple[str, str, str, dict[str, str]]] = {
    "Ask for a photo": (
        Case.Status.WAITING_ON_CUSTOMER,
        "",
        "",
        {
            "en": "Hello {customer_name},\n\nthank you for your message about case {case_number}. "
            "Could you send us a photo of the problem? You can add it on your case page: "
            "{portal_link}",
            "de": "Hallo {customer_name},\n\ndanke für Ihre Nachricht zur Anfrage {case_number}. "
            "Könnten Sie uns ein Foto des Problems schicken? Sie können es auf der Seite Ihrer "
            "Anfrage hochladen: {portal_link}",
            "fr": "Bonjour {customer_name},\n\nmerci pour votre message concernant le dossier "
            "{case_number}. Pourriez-vous nous envoyer une photo du problème ? Vous pouvez "
            "l'ajouter sur la page de votre dossier : {portal_link}",
            "es": "Hola, {customer_name}:\n\ngracias por su mensaje sobre el caso {case_number}. "
            "¿Podría enviarnos una foto del problema? Puede añadirla en la página de su caso: "
            "{portal_link}",
            "zh-hans": "{customer_name}，您好：\n\n感谢您就工单 {case_number} 联系我们。"
            "能否请您发送一张问题的照片？您可以在工单页面上传：{portal_link}",
        },
    ),
    "Order number please": (
        Case.Status.WAITING_ON_CUSTOMER,
        "",
        "",
        {
            "en": "Hello {customer_name},\n\nto help you quickly we need your order number. "
            "You find it in your order confirmation email.",
            "de": "Hallo {customer_name},\n\ndamit wir Ihnen schnell helfen können, brauchen wir "
            "Ihre Bestellnummer. Sie steht in Ihrer Bestellbestätigung.",
            "fr": "Bonjour {customer_name},\n\npour vous aider rapidement, nous avons besoin de "
            "votre numéro de commande. Il figure dans l'e-mail de confirmation de commande.",
            "es": "Hola, {customer_name}:\n\npara ayudarle rápidamente necesitamos su número de "
            "pedido. Lo encontrará en el correo de confirmación del pedido.",
            "zh-hans": "{customer_name}，您好：\n\n为了尽快帮助您，我们需要您的订单号。"
            "您可以在订单确认邮件中找到它。",
        },
    ),
    "Urgent: escalated": (
        "",
        Case.Priority.URGENT,
        "escalated",
        {
            "en": "Hello {customer_name},\n\nwe are sorry about the trouble with order "
            "{order_number}. A senior colleague now handles case {case_number} and will get "
            "back to you today.",
            "de": "Hallo {customer_name},\n\nes tut uns leid, dass es mit der Bestellung "
            "{order_number} Ärger gibt. Eine erfahrene Kollegin kümmert sich jetzt um die "
            "Anfrage {case_number} und meldet sich heute bei Ihnen.",
            "fr": "Bonjour {customer_name},\n\nnous sommes désolés pour le souci avec la commande "
            "{order_number}. Une collègue expérimentée suit désormais le dossier {case_number} "
            "et vous répondra aujourd'hui.",
            "es": "Hola, {customer_name}:\n\nsentimos los problemas con el pedido {order_number}. "
            "Una compañera con experiencia lleva ahora el caso {case_number} y le responderá hoy.",
            "zh-hans": "{customer_name}，您好：\n\n很抱歉订单 {order_number} 给您带来了麻烦。"
            "一位资深同事现在负责工单 {case_number}，今天会给您回复。",
        },
    ),
    "Where is my parcel": (
        "",
        "",
        "",
        {
            "en": "Hello {customer_name},\n\nyou can follow your parcel here: {tracking_link}\n"
            "Your case: {portal_link}",
            "de": "Hallo {customer_name},\n\nhier können Sie Ihr Paket verfolgen: "
            "{tracking_link}\nIhre Anfrage: {portal_link}",
            "fr": "Bonjour {customer_name},\n\nvous pouvez suivre votre colis ici : "
            "{tracking_link}\nVotre dossier : {portal_link}",
            "es": "Hola, {customer_name}:\n\npuede seguir su paquete aquí: {tracking_link}\n"
            "Su caso: {portal_link}",
            "zh-hans": "{customer_name}，您好：\n\n您可以在这里跟踪包裹：{tracking_link}\n"
            "您的工单：{portal_link}",
        },
    ),
}


def ensure_demo_macros() -> int:
    """Create the demo macros that do not exist yet; returns how many were created."""
    created = 0
    for position, (name, (status, priority, tag, bodies)) in enumerate(DEMO_MACROS.items()):
        if Macro.objects.filter(name=name).exists():
            continue
        values: dict[str, object] = {
            "name": name,
            "active": True,
            "position": position * 10,
            "set_status": status,
            "set_priority": priority,
            "add_tag": Tag.objects.get_or_create(name=tag)[0] if tag else None,
        }
        macro_save(macro=None, values=values, bodies=bodies, actor=None)
        created += 1
    return created
