"""The start-up check of the label settings."""

from shipments.labels import checks, fonts


def ids():
    return [message.id for message in checks.label_settings_check(None)]


def test_the_defaults_pass():
    assert ids() == []


def test_an_unknown_adapter_is_an_error(settings):
    settings.LABEL_ADAPTER = "pigeon"
    assert ids() == ["shipments.E002"]


def test_easypost_without_a_key_is_a_warning(settings):
    settings.LABEL_ADAPTER, settings.EASYPOST_API_KEY = "easypost", ""
    assert ids() == ["shipments.W002"]


def test_an_incomplete_warehouse_is_an_error_naming_the_field(settings):
    settings.SHOP_RETURN_ADDRESS = {**settings.SHOP_RETURN_ADDRESS, "postcode": ""}

    (message,) = checks.label_settings_check(None)

    assert message.id == "shipments.E003"
    assert "SHOP_RETURN_ADDRESS.postcode" in message.msg


def test_missing_fonts_are_a_warning(monkeypatch):
    monkeypatch.setattr(checks, "FONTS", (fonts.FontFile("Nope", fonts.NOTO / "Nope.ttf"),))
    assert ids() == ["shipments.W003"]
