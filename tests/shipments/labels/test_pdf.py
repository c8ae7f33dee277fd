"""The label PDF: it parses, says what the warehouse and the carrier need, its barcode scans
as the tracking number, and names in any script come back out of it in embedded fonts."""

import datetime
import unicodedata

import pytest
import segno

from shipments.labels.fonts import visual
from shipments.labels.pdf import LABEL_4X6, label_pdf
from tests.shipments.labels.conftest import ADDRESSES, issue
from tests.shipments.labels.pdfread import (
    bars,
    decode_code128,
    font_names,
    qr_matrix,
    reader,
    text,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", ["a4", "4x6"])
def test_the_pdf_parses_and_holds_the_tracking_number_and_reference(return_case, size):
    label = issue(return_case, reference="RMA-2026-0042")

    pdf = label_pdf(label=label, size=size, language="en")

    content = text(pdf)
    assert label.shipment.tracking_number in content
    assert "RMA-2026-0042" in content
    assert "Aftersales Demo Shop – Returns" in content  # the warehouse
    assert "Zoë Ångström-Müller" in content  # the sender
    assert "Pack the item" in content


def test_sizes_are_a4_and_4x6_inches_with_the_instructions_on_a_second_label_page(return_case):
    label = issue(return_case)

    a4 = reader(label_pdf(label=label, size="a4", language="en"))
    small = reader(label_pdf(label=label, size="4x6", language="en"))

    assert [round(float(v)) for v in a4.pages[0].mediabox[2:]] == [595, 842]
    assert [float(v) for v in small.pages[0].mediabox[2:]] == list(LABEL_4X6) == [288.0, 432.0]
    assert len(a4.pages) == 1
    assert len(small.pages) == 2
    assert "Pack the item" in small.pages[1].extract_text()


@pytest.mark.parametrize("size", ["a4", "4x6"])
def test_the_barcode_scans_as_the_tracking_number(return_case, size):
    label = issue(return_case, reference="RMA-77")

    found = bars(label_pdf(label=label, size=size, language="en"))

    assert len(found) > 20
    assert decode_code128(found) == label.shipment.tracking_number


@pytest.mark.parametrize("size", ["a4", "4x6"])
def test_the_qr_code_holds_the_reference_and_tracking_number(return_case, size):
    label = issue(return_case, reference="RMA-88")
    expected = segno.make(
        f"REF:RMA-88;TRACKING:{label.shipment.tracking_number}", error="m", micro=False
    )

    drawn = qr_matrix(label_pdf(label=label, size=size, language="en"))

    assert drawn == [list(row) for row in expected.matrix]


def test_a_numeric_tracking_number_decodes_too(return_case, monkeypatch):
    # Code 128 packs digits in pairs (code set C): the decoder and the label agree on it.
    label = issue(return_case)
    label.shipment.tracking_number = "9400111206213859275123"

    assert decode_code128(bars(label_pdf(label=label, size="4x6", language="en"))) == (
        "9400111206213859275123"
    )


@pytest.mark.parametrize("script", ["chinese", "cyrillic", "latin"])
def test_names_and_addresses_in_any_script_come_back_out(return_case, script):
    label = issue(return_case, script=script, reference=f"RMA-{script}")

    content = text(label_pdf(label=label, size="a4", language="en"))

    assert ADDRESSES[script]["name"] in content
    assert ADDRESSES[script]["city"] in content


def test_arabic_is_shaped_right_to_left_in_an_embedded_arabic_font(return_case):
    label = issue(return_case, script="arabic")

    pdf = label_pdf(label=label, size="4x6", language="en")

    # On the page: the letters in their joined forms (presentation forms), in visual order.
    # Read back in logical order and the forms folded to letters, the name is there again.
    name = ADDRESSES["arabic"]["name"]
    assert visual(name) != name
    content = text(pdf)
    assert name not in content
    assert name in unicodedata.normalize("NFKC", content)
    assert ADDRESSES["arabic"]["city"] in unicodedata.normalize("NFKC", content)
    assert ("NotoSansArabic-Bold", True) in font_names(pdf)


def test_every_font_is_embedded_and_chinese_has_its_own(return_case):
    label = issue(return_case, script="chinese")

    fonts = font_names(label_pdf(label=label, size="a4", language="zh-hans"))

    assert all(embedded for _, embedded in fonts), fonts
    assert ("WenQuanYiMicroHei-0", True) in fonts


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["How to send your return", "Valid until Aug. 12, 2026"]),
        ("de", ["REFERENZ", "SENDUNGSNUMMER", "12. August 2026"]),
        ("zh-hans", ["参考号", "运单号", "年8月12日"]),
    ],
)
def test_the_words_are_in_the_customers_language(return_case, language, words, time_machine):
    # Issued on 15 July: valid until 12 August.
    time_machine.move_to(datetime.datetime(2026, 7, 15, 10, 0, tzinfo=datetime.UTC), tick=False)
    label = issue(return_case)

    content = text(label_pdf(label=label, size="a4", language=language))

    for word in words:
        assert word in content


def test_an_unknown_size_is_refused(return_case):
    label = issue(return_case)

    with pytest.raises(ValueError, match="size"):
        label_pdf(label=label, size="letter", language="en")  # type: ignore[arg-type]
