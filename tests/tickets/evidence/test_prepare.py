"""evidence_prepare: what a file is comes from its content; pictures come back upright, encoded
again and without metadata; PDFs come back as sent."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tickets.services.evidence import evidence_prepare

from . import files


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def opened(prepared) -> Image.Image:
    prepared.seek(0)
    return Image.open(io.BytesIO(prepared.read()))


@pytest.mark.parametrize(
    ("content", "fmt", "content_type", "name"),
    [
        (files.jpeg(), "JPEG", "image/jpeg", "kettle.jpg"),
        (files.png(), "PNG", "image/png", "kettle.png"),
        (files.webp(), "WEBP", "image/webp", "kettle.webp"),
        (files.heic(), "JPEG", "image/jpeg", "kettle.jpg"),
    ],
    ids=["jpeg", "png", "webp", "heic-becomes-jpeg"],
)
def test_each_accepted_picture_type_is_kept_under_the_type_its_content_has(
    content, fmt, content_type, name
):
    # given a picture whose name and browser type say nothing true about it
    sent = upload("kettle.dat", content, "text/plain")

    # when it is prepared
    [prepared] = evidence_prepare([sent])

    # then its type, name and size come from what it holds
    assert prepared.content_type == content_type
    assert prepared.name == name
    assert prepared.size == len(prepared.read())
    assert opened(prepared).format == fmt


def test_a_pdf_is_kept_byte_for_byte():
    [prepared] = evidence_prepare([upload("receipt", files.PDF)])

    assert prepared.content_type == "application/pdf"
    assert prepared.name == "receipt.pdf"
    assert prepared.read() == files.PDF


def test_a_photo_loses_its_gps_position_and_other_metadata():
    # given a photo with a GPS position and a comment
    original = Image.open(io.BytesIO(files.jpeg(gps=True)))
    assert original.getexif().get_ifd(files.GPS_IFD)  # the test file really has them
    assert original.info.get("comment")
    assert original.info.get("xmp")

    # when it is prepared
    [prepared] = evidence_prepare([upload("photo.jpg", files.jpeg(gps=True))])

    # then the stored picture has no EXIF at all, hence no position, and no comment
    cleaned = opened(prepared)
    assert not cleaned.getexif()
    assert "exif" not in cleaned.info
    assert "comment" not in cleaned.info
    prepared.seek(0)
    stored = prepared.read()
    assert b"Exif" not in stored
    assert b"xmpmeta" not in stored


def test_a_photo_taken_sideways_is_stored_upright():
    # given a 40 × 30 picture (red on the left) whose EXIF says "turn it 90° clockwise"
    sideways = files.jpeg((40, 30), orientation=6)

    # when it is prepared
    [prepared] = evidence_prepare([upload("photo.jpg", sideways)])

    # then the pixels themselves are turned (30 × 40, red now on top) and no orientation is left
    cleaned = opened(prepared)
    assert cleaned.size == (30, 40)
    top, bottom = cleaned.getpixel((15, 5)), cleaned.getpixel((15, 35))
    assert top[0] > 150 and top[1] < 100  # red
    assert min(bottom) > 200  # white
    assert files.ORIENTATION not in cleaned.getexif()


def test_the_display_name_keeps_the_senders_name_with_the_true_extension():
    [prepared] = evidence_prepare([upload("Küche Foto.JPEG.png", files.jpeg())])

    assert prepared.name == "Küche Foto.JPEG.jpg"


def test_several_files_come_back_in_order():
    sent = [upload("a.png", files.png()), upload("b.pdf", files.PDF)]

    prepared = evidence_prepare(sent)

    assert [item.name for item in prepared] == ["a.png", "b.pdf"]


@pytest.mark.parametrize("make", [files.png, files.webp, files.heic], ids=["png", "webp", "heic"])
def test_other_pictures_lose_their_metadata_too(make):
    # given a picture that carries a GPS position (and text or XMP where the format has them)
    original = Image.open(io.BytesIO(make(gps=True)))
    assert original.getexif().get_ifd(files.GPS_IFD)

    # when it is prepared
    [prepared] = evidence_prepare([upload("photo", make(gps=True))])

    # then nothing of it is left
    cleaned = opened(prepared)
    assert not cleaned.getexif()
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "Location"} & set(cleaned.info)


def test_a_png_keeps_its_transparent_colour():
    [prepared] = evidence_prepare([upload("logo.png", files.png_with_transparent_colour())])

    assert opened(prepared).info.get("transparency") == 0


def test_a_broken_picture_is_refused_as_unreadable_not_an_error():
    from tickets.errors import EvidenceRefused

    # given a JPEG cut short after its header
    broken = files.jpeg((400, 300))[:300]

    with pytest.raises(EvidenceRefused) as excinfo:
        evidence_prepare([upload("photo.jpg", broken)])

    assert excinfo.value.reason == "unreadable"
