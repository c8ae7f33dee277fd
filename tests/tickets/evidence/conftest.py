import pytest

from tests.tickets.factories import CaseFactory
from tickets.models import Case


@pytest.fixture
def case(db):
    return CaseFactory(status=Case.Status.OPEN)


@pytest.fixture
def stored_files(media_root):
    """Every file under the media folder, as a list of paths relative to it."""

    def listing():
        if not media_root.exists():
            return []
        return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())

    return listing
