import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads land in a throw-away folder, never in var/test-media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
