from tests.tickets.conftest import media_root  # noqa: F401 - a fixture
from tests.tickets.portal.conftest import (  # noqa: F401 - fixtures
    portal_client,
    portal_customer,
    portal_order,
    sign_in,
    stranger_order,
)
