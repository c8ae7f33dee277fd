"""evidence_prepare refuses, naming the file, whatever is not a photo or PDF we can keep."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets.errors import EvidenceRefused
from tickets.services.evidence import evidence_prepare

from . import files


def upload(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def refusal(*uploads) -> EvidenceRefused:
    with pytest.raises(EvidenceRefused) as excinfo:
        evidence_prepare(list(uploads))
    assert excinfo.value.code == "evidence_refused"
    return excinfo.value


def test_an_html_page_named_like_a_photo_is_refused():
    refused = refusal(upload("photo.jpg", files.HTML))

    assert refused.reason == "markup"
    assert "photo.jpg" in refused.message


def test_a_text_file_named_like_a_photo_is_refused_as_unreadable():
    refused = refusal(upload("photo.jpg", b"just some words"))

    assert refused.reason == "unreadable"
    assert refused.message == (
        "photo.jpg is not a photo or PDF we can read (we accept JPEG, PNG, WebP, HEIC and PDF)."
    )


def test_an_svg_with_a_script_is_refused():
    assert refusal(upload("drawing.svg", files.SVG)).reason == "markup"


def test_a_jpeg_that_is_also_a_web_page_is_refused():
    # given a file Pillow reads as a valid JPEG
    from io import BytesIO

    from PIL import Image

    assert Image.open(BytesIO(files.polyglot())).format == "JPEG"

    # then it is refused all the same, for the page it carries
    assert refusal(upload("photo.jpg", files.polyglot())).reason == "markup"


def test_a_picture_of_20000_by_20000_pixels_is_refused_from_its_header():
    refused = refusal(upload("huge.png", files.png_header_only(20_000, 20_000)))

    assert refused.reason == "too_many_pixels"
    assert "huge.png" in refused.message


# Between one and two times its limit Pillow only warns; the header check is what refuses.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_picture_just_over_the_pixel_limit_is_refused_before_decoding(settings):
    # given a limit Pillow itself would only warn about (between one and two times it)
    settings.EVIDENCE_MAX_PIXELS = 1_000

    # then the header's size refuses it
    assert refusal(upload("big.png", files.png((40, 30)))).reason == "too_many_pixels"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 100

    refused = refusal(upload("big.jpg", files.jpeg((200, 200))))

    assert refused.reason == "too_large"
    assert "big.jpg" in refused.message


def test_an_eleventh_file_is_refused():
    eleven = [upload(f"p{n}.png", files.png()) for n in range(11)]

    refused = refusal(*eleven)

    assert refused.reason == "too_many_files"
    assert "the most is 10" in refused.message


def test_ten_files_are_accepted():
    assert len(evidence_prepare([upload(f"p{n}.png", files.png()) for n in range(10)])) == 10


@pytest.mark.parametrize(
    "name",
    ["..\\..\\settings.jpg", "photo\x00.jpg", "pho\nto.jpg", "photo\x1b[31m.jpg"],
    ids=["backslash-path", "nul", "newline", "escape"],
)
def test_a_file_name_with_path_parts_or_control_characters_is_refused(name):
    refused = refusal(upload(name, files.jpeg()))

    assert refused.reason == "bad_name"
    assert "\x00" not in refused.message


def test_one_bad_file_refuses_them_all():
    with pytest.raises(EvidenceRefused) as excinfo:
        evidence_prepare([upload("good.png", files.png()), upload("bad.jpg", files.HTML)])

    assert excinfo.value.name == "bad.jpg"


def test_an_empty_file_is_refused():
    assert refusal(upload("empty.jpg", b"")).reason == "unreadable"
