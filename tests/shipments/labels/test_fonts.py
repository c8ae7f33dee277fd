"""Text in any script: each character in a font that has it, right-to-left lines shaped and
reordered, Chinese cut between characters when it has to wrap."""

import pytest

from shipments.labels import fonts


def test_each_script_gets_a_font_that_has_it():
    pieces = fonts.runs("Zoë 王小明 Анна")

    assert [name for name, _ in pieces] == ["NotoSans", "WenQuanYiMicroHei", "NotoSans"]
    assert "".join(piece for _, piece in pieces) == "Zoë 王小明 Анна"


def test_bold_text_uses_the_bold_face_where_there_is_one():
    assert [name for name, _ in fonts.runs("Zoë 王", bold=True)] == [
        "NotoSans-Bold",
        "WenQuanYiMicroHei",  # WenQuanYi has no bold
    ]


def test_an_arabic_line_is_joined_and_reversed_and_a_latin_one_left_alone():
    assert fonts.visual("Besançon") == "Besançon"
    shaped = fonts.visual("شارع")
    # Four letters, joined (presentation forms), drawn right to left: the first letter last.
    assert len(shaped) == 4
    assert all(0xFE70 <= ord(char) <= 0xFEFF for char in shaped)
    assert shaped[-1] in ("\ufeb7", "\ufeb5")  # sheen, initial form


def test_chinese_without_spaces_wraps_within_the_width_losing_nothing():
    text = "将商品连同所有部件和配件装入结实的纸箱。" * 3

    lines = fonts.wrap(text, 10, 120)

    assert len(lines) > 2
    assert all(fonts.text_width(line, 10) <= 120 for line in lines)
    assert "".join(lines) == text


def test_latin_wraps_at_spaces():
    lines = fonts.wrap("Pack the item with all its parts and accessories in a sturdy box.", 10, 120)

    assert len(lines) > 1
    assert " ".join(lines) == "Pack the item with all its parts and accessories in a sturdy box."


def test_missing_fonts_are_named_with_the_packages_to_install(monkeypatch):
    monkeypatch.setattr(fonts, "FONTS", (fonts.FontFile("Nope", fonts.NOTO / "Nope.ttf"),))
    fonts.faces.cache_clear()
    try:
        with pytest.raises(fonts.LabelFontsMissing, match="fonts-noto-core fonts-wqy-microhei"):
            fonts.faces()
    finally:
        monkeypatch.undo()
        fonts.faces.cache_clear()
