import pytest

from shipments.labels.services import label_issue
from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory

# Customers whose names and addresses are in other scripts.
ADDRESSES = {
    "latin": {
        "name": "Zoë Ångström-Müller",
        "line1": "Rue de l'Église 3",
        "city": "Besançon",
        "postcode": "25000",
        "country": "FR",
    },
    "chinese": {
        "name": "王小明",
        "line1": "朝阳区建国路88号",
        "line2": "3单元 1201室",
        "city": "北京",
        "postcode": "100022",
        "country": "CN",
    },
    "arabic": {
        "name": "فاطمة الزهراء",
        "line1": "شارع الملك فهد 25",
        "city": "الرياض",
        "postcode": "12271",
        "country": "SA",
    },
    "cyrillic": {
        "name": "Анна Кузнецова",
        "line1": "ул. Ленина, д. 5, кв. 12",
        "city": "Новосибирск",
        "postcode": "630099",
        "country": "RU",
    },
}


@pytest.fixture
def return_case(db):
    customer = CustomerFactory(name="Zoë Ångström-Müller", language="fr")
    order = OrderFactory(customer=customer, number="A-4711", shipping_country="FR")
    return CaseFactory(customer=customer, order=order, language="fr")


def issue(case, *, script="latin", reference="RMA-1001", **kwargs):
    return label_issue(
        order=case.order,
        case=case,
        reference=reference,
        customer_address=ADDRESSES[script],
        actor=None,
        **kwargs,
    )
