"""Reading an email: the customer's own words without the quoted history, in the languages
and mail programs our customers use; case numbers, file names, Message-IDs."""

import pytest

from tickets.inbound.parsing import (
    case_numbers,
    message_id,
    parse,
    referenced_ids,
    safe_filename,
)
from tickets.inbound.text import html_to_text, strip_quoted
from tickets.models.cases import CASE_NUMBER_ALPHABET

QUOTE = "> Your replacement is on its way.\n> Kind regards, Shop Support"

REPLIES = {
    "gmail_en_wrapped": (
        "Thanks, the new one works.\n\nOn Mon, Jun 3, 2024 at 10:15 AM Shop Support "
        "<support@shop.example>\nwrote:\n\n" + QUOTE
    ),
    "thunderbird_de": (
        "Danke, der neue funktioniert.\n\nAm 03.06.2024 um 10:15 schrieb Shop Support "
        "<support@shop.example>:\n" + QUOTE
    ),
    "gmail_fr": (
        "Merci, le nouveau fonctionne.\n\nLe lun. 3 juin 2024 à 10:15, Shop Support "
        "<support@shop.example> a écrit\u00a0:\n" + QUOTE
    ),
    "gmail_es": (
        "Gracias, el nuevo funciona.\n\nEl lun, 3 jun 2024 a las 10:15, Shop Support "
        "(<support@shop.example>) escribió:\n" + QUOTE
    ),
    "gmail_zh": (
        "谢谢，新的可以用了。\n\n在 2024年6月3日 周一 10:15，Shop Support <support@shop.example> "
        "写道：\n" + QUOTE
    ),
    "outlook_en": (
        "Please send a label.\n\n________________________________\nFrom: Shop Support "
        "<support@shop.example>\nSent: Monday, June 3, 2024 10:15 AM\nTo: Anna "
        "<anna@example.com>\nSubject: Your case\n\nYour replacement is on its way."
    ),
    "outlook_de": (
        "Bitte senden Sie ein Etikett.\n\nVon: Shop Support <support@shop.example>\n"
        "Gesendet: Montag, 3. Juni 2024 10:15\nAn: Anna <anna@example.com>\nBetreff: Ihr Fall\n\n"
        "Ihr Ersatz ist unterwegs."
    ),
    "outlook_fr": (
        "Merci d'envoyer une étiquette.\n\nDe : Shop Support <support@shop.example>\n"
        "Envoyé : lundi 3 juin 2024 10:15\nÀ : Anna\nObjet : Votre dossier\n\nEn route."
    ),
    "original_message_en": (
        "Still broken.\n\n-----Original Message-----\nFrom: support@shop.example\n"
        "Your replacement is on its way."
    ),
    "original_message_de": (
        "Immer noch kaputt.\n\n-----Ursprüngliche Nachricht-----\nVon: support@shop.example\n"
        "Ihr Ersatz ist unterwegs."
    ),
}
OWN_WORDS = {
    "gmail_en_wrapped": "Thanks, the new one works.",
    "thunderbird_de": "Danke, der neue funktioniert.",
    "gmail_fr": "Merci, le nouveau fonctionne.",
    "gmail_es": "Gracias, el nuevo funciona.",
    "gmail_zh": "谢谢，新的可以用了。",
    "outlook_en": "Please send a label.",
    "outlook_de": "Bitte senden Sie ein Etikett.",
    "outlook_fr": "Merci d'envoyer une étiquette.",
    "original_message_en": "Still broken.",
    "original_message_de": "Immer noch kaputt.",
}


@pytest.mark.parametrize("style", sorted(REPLIES))
def test_the_quoted_history_is_stripped(style):
    # given a reply as a mail program writes it, CRLF line ends as on the wire
    text = REPLIES[style].replace("\n", "\r\n")
    # when the customer's words are read
    # then only their own words remain
    assert strip_quoted(text) == OWN_WORDS[style]


def test_answers_between_quoted_lines_are_kept():
    # given an inline reply
    text = (
        "On Mon, Jun 3, 2024 at 10:15 AM Shop <support@shop.example> wrote:\n"
        "> Which colour was it?\nRed.\n> And the size?\nLarge.\n"
    )
    # then the answers stay, the quotes and the attribution go
    assert strip_quoted(text) == "Red.\nLarge."


def test_text_that_is_nothing_but_a_quote_is_kept_whole():
    assert strip_quoted("> just this\n> and this\n") == "> just this\n> and this"


def test_a_forwarded_message_is_kept():
    # given a customer forwarding the carrier's email to us
    text = (
        "See below.\n\n---------- Forwarded message ---------\nFrom: Carrier "
        "<noreply@carrier.example>\nSubject: Parcel lost\n\nWe could not find your parcel."
    )
    # then what they forwarded is what they want us to read
    assert strip_quoted(text) == text


def test_html_becomes_text_without_blockquotes_scripts_or_styles():
    html = (
        "<html><head><title>x</title><style>p {}</style></head><body>"
        "<div>Hello&amp; <i>thanks</i><br>for the <a href='#'>label</a></div>"
        "<ul><li>one</li><li>two</li></ul><script>alert(1)</script>"
        "<blockquote type='cite'><div>old <blockquote>older</blockquote> text</div></blockquote>"
        "<p>Bye</p></body></html>"
    )
    # (inscriptis lays a list out as bullets, as a browser shows it)
    assert html_to_text(html) == "Hello& thanks\nfor the label\n  * one\n  * two\n\nBye"


def test_html_lists_and_tables_keep_their_shape():
    # given an HTML body with numbered steps and a small table, as order emails quote them
    html = (
        "<p>What I did:</p><ol><li>unpacked it</li><li>plugged it in</li></ol>"
        "<table><tr><td>Item</td><td>Qty</td></tr><tr><td>Kettle</td><td>2</td></tr></table>"
    )
    # then the steps keep their numbers and the cells stay in their rows
    assert html_to_text(html) == (
        "What I did:\n\n 1. unpacked it\n 2. plugged it in\nItem    Qty\nKettle  2"
    )


@pytest.mark.parametrize("html", ["", "   ", "<?xml version='1.0' encoding='utf-8'?><p>Hi</p>"])
def test_empty_or_xml_declared_html_does_not_break(html):
    assert html_to_text(html) == ("Hi" if "Hi" in html else "")


def test_case_numbers_are_found_in_any_case_and_only_whole():
    subject = (
        "Re: AS-ACDE-FGHJ and as-kmnp-qrtu; not XAS-ACDE-FGHJ nor AS-ACDE-FGHJ-1 nor AS-0000-0000"
    )
    assert case_numbers(subject, prefix="AS", alphabet=CASE_NUMBER_ALPHABET) == [
        "AS-ACDE-FGHJ",
        "AS-KMNP-QRTU",
    ]


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("photo.jpg", "image/jpeg", "photo.jpg"),
        ("../../etc/passwd", "text/plain", "passwd"),
        ("C:\\Users\\anna\\receipt.pdf", "application/pdf", "receipt.pdf"),
        ("evil\x00name\r\n.png", "image/png", "evilname.png"),
        ("..", "image/png", "attachment-3.png"),
        (None, "message/rfc822", "attachment-3.eml"),
        ("x" * 300 + ".jpeg", "image/jpeg", "x" * 115 + ".jpeg"),
    ],
)
def test_file_names_are_made_safe(name, content_type, expected):
    assert safe_filename(name, content_type=content_type, number=3) == expected


def test_message_ids_and_thread_headers_are_read_newest_first():
    # given a reply in a thread, its References header folded over two lines
    message = parse(
        b"From: a@example.org\r\nMessage-ID:  <new@example.org> \r\n"
        b"In-Reply-To: <b@shop.example>\r\n"
        b"References: <a@shop.example>\r\n <b@shop.example>\r\n\r\nHi\r\n"
    )
    # then its id, and the ids it answers with the closest first
    assert message_id(message) == "<new@example.org>"
    assert referenced_ids(message) == ["<b@shop.example>", "<a@shop.example>"]
