from shipments.checks import claims_adapter_check


def test_an_unknown_claims_adapter_is_refused_at_start_up(settings):
    settings.SHIPMENT_CLAIMS_ADAPTER = "carrier-pigeon"
    assert [message.id for message in claims_adapter_check(None)] == ["shipments.E001"]


def test_easypost_without_its_key_is_warned_about(settings):
    settings.SHIPMENT_CLAIMS_ADAPTER, settings.EASYPOST_API_KEY = "easypost", ""
    assert [message.id for message in claims_adapter_check(None)] == ["shipments.W001"]
    settings.EASYPOST_API_KEY = "EZTK123"
    assert claims_adapter_check(None) == []


def test_the_manual_default_is_fine(settings):
    settings.SHIPMENT_CLAIMS_ADAPTER = "manual"
    assert claims_adapter_check(None) == []
