"""Bad input is refused with a message a person understands, by the model (full_clean) and by
the forms built on it (admin, dashboard)."""

from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import modelform_factory

from tests.tickets.factories import CustomerFactory, OrderFactory, OrderLineFactory
from tickets.models import Customer, Order, OrderLine

CustomerForm = modelform_factory(
    Customer, fields=["email", "name", "phone", "country", "language", "timezone", "sms_consent"]
)
OrderForm = modelform_factory(
    Order,
    fields=[
        "store",
        "number",
        "customer",
        "placed_at",
        "currency",
        "subtotal",
        "shipping_total",
        "tax_total",
        "total",
        "shipping_country",
    ],
)
OrderLineForm = modelform_factory(
    OrderLine, fields=["order", "sku", "title", "quantity", "unit_price"]
)

E164 = "Enter the phone number in international form, e.g. +4915112345678."
NEGATIVE = "The amount cannot be negative."
DUPLICATE_EMAIL = "A customer with this email address already exists."
DUPLICATE_ORDER = "This store already has an order with this number."


def _model_errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def _customer_data(**overrides):
    data = {
        "email": "mia@example.com",
        "name": "Mia",
        "phone": "+4915112345678",
        "country": "DE",
        "language": "de",
        "timezone": "Europe/Berlin",
    }
    return data | overrides


def _order_data(customer, **overrides):
    data = {
        "store": "default",
        "number": "A-1001",
        "customer": customer.pk,
        "placed_at": "2025-03-01 10:00",
        "currency": "EUR",
        "subtotal": "50.00",
        "shipping_total": "4.90",
        "tax_total": "0",
        "total": "54.90",
        "shipping_country": "DE",
    }
    return data | overrides


def _line_data(order, **overrides):
    data = {"order": order.pk, "sku": "K-1", "title": "Kettle", "quantity": "1", "unit_price": "50"}
    return data | overrides


def _valid_customer(**overrides) -> Customer:
    return Customer(**_customer_data(**overrides))


# --- the valid baseline: the failing cases below differ from it in one field ---------------------


@pytest.mark.django_db
def test_valid_input_passes_model_and_form_validation(customer):
    _valid_customer().full_clean()
    assert CustomerForm(data=_customer_data()).errors == {}
    assert OrderForm(data=_order_data(customer)).errors == {}
    order = OrderFactory(customer=customer)
    assert OrderLineForm(data=_line_data(order)).errors == {}


# --- customer ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "mia@", "Enter a valid email address."),
        ("phone", "0151 1234567", E164),
        ("phone", "+49 151 12345678", E164),
        ("phone", "+491", "+491 is not a valid phone number."),
        ("phone", "+4912", "+4912 is not a valid phone number."),
        ("timezone", "Mars/Olympus", "Mars/Olympus is not a time zone name such as Europe/Berlin."),
    ],
)
def test_bad_customer_input_is_refused_with_a_clear_message(field, value, message):
    # given a customer with one bad field
    # when the model and the form validate it
    model_errors = _model_errors(_valid_customer(**{field: value}))
    form = CustomerForm(data=_customer_data(**{field: value}))
    # then both name the field with the same readable message
    assert model_errors == {field: [message]}
    assert not form.is_valid()
    assert form.errors == {field: [message]}


@pytest.mark.django_db
def test_a_duplicate_email_differing_only_in_case_is_refused():
    # given a stored customer mia@example.com
    CustomerFactory(email="mia@example.com")
    # when another customer is entered as MIA@Example.com
    model_errors = _model_errors(_valid_customer(email="MIA@Example.com"))
    form = CustomerForm(data=_customer_data(email="MIA@Example.com"))
    # then the case-insensitive unique rule refuses it in words
    assert model_errors == {NON_FIELD_ERRORS: [DUPLICATE_EMAIL]}
    assert not form.is_valid()
    assert form.non_field_errors() == [DUPLICATE_EMAIL]


@pytest.mark.django_db
def test_editing_a_customer_does_not_collide_with_itself():
    mia = CustomerFactory(email="mia@example.com")
    form = CustomerForm(data=_customer_data(email="Mia@example.com"), instance=mia)
    assert form.errors == {}


# --- order ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_currency_is_refused(customer):
    message = "EUX is not an ISO-4217 currency code such as EUR, USD or JPY."
    assert _model_errors(OrderFactory.build(customer=customer, currency="EUX")) == {
        "currency": [message]
    }
    form = OrderForm(data=_order_data(customer, currency="EUX"))
    assert form.errors == {"currency": [message]}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["subtotal", "shipping_total", "tax_total", "total"])
def test_a_negative_order_amount_is_refused(customer, field):
    assert _model_errors(OrderFactory.build(customer=customer, **{field: Decimal("-1.00")})) == {
        field: [NEGATIVE]
    }
    form = OrderForm(data=_order_data(customer, **{field: "-1.00"}))
    assert form.errors == {field: [NEGATIVE]}


@pytest.mark.django_db
def test_a_yen_total_with_decimals_is_refused(customer):
    # given a JPY order whose total has sen
    order = OrderFactory.build(
        customer=customer,
        currency="JPY",
        subtotal=Decimal(1500),
        shipping_total=0,
        total=Decimal("1500.50"),
    )
    # then the total is refused: yen have no decimals
    assert _model_errors(order) == {"total": ["JPY amounts have 0 decimal places."]}
    form = OrderForm(
        data=_order_data(
            customer, currency="JPY", subtotal="1500", shipping_total="0", total="1500.50"
        )
    )
    assert form.errors == {"total": ["JPY amounts have 0 decimal places."]}


@pytest.mark.django_db
def test_a_whole_yen_total_passes(customer):
    form = OrderForm(
        data=_order_data(
            customer, currency="JPY", subtotal="1500", shipping_total="0", total="1500"
        )
    )
    assert form.errors == {}


@pytest.mark.django_db
def test_a_duplicate_order_number_in_the_same_store_is_refused(customer):
    # given order A-1001 of store "default"
    OrderFactory(customer=customer, store="default", number="A-1001")
    # when another A-1001 is entered for the same store
    model_errors = _model_errors(
        OrderFactory.build(customer=customer, store="default", number="A-1001")
    )
    form = OrderForm(data=_order_data(customer, store="default", number="A-1001"))
    # then it is refused in words
    assert model_errors == {NON_FIELD_ERRORS: [DUPLICATE_ORDER]}
    assert form.non_field_errors() == [DUPLICATE_ORDER]


@pytest.mark.django_db
def test_the_same_order_number_in_another_store_is_allowed(customer):
    OrderFactory(customer=customer, store="default", number="A-1001")
    OrderFactory.build(customer=customer, store="eu-shop", number="A-1001").full_clean()
    form = OrderForm(data=_order_data(customer, store="eu-shop", number="A-1001"))
    assert form.errors == {}
    form.save()
    assert Order.objects.filter(number="A-1001").count() == 2


# --- order line -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_quantity_of_zero_is_refused(order):
    message = "Ensure this value is greater than or equal to 1."
    assert _model_errors(OrderLineFactory.build(order=order, quantity=0)) == {"quantity": [message]}
    form = OrderLineForm(data=_line_data(order, quantity="0"))
    assert form.errors == {"quantity": [message]}


@pytest.mark.django_db
def test_a_negative_quantity_is_refused(order):
    model_errors = _model_errors(OrderLineFactory.build(order=order, quantity=-2))
    form = OrderLineForm(data=_line_data(order, quantity="-2"))
    assert "Ensure this value is greater than or equal to 1." in model_errors["quantity"]
    assert list(form.errors) == ["quantity"]
    assert form.errors["quantity"][0].startswith("Ensure this value is greater than or equal to")


@pytest.mark.django_db
def test_a_negative_unit_price_is_refused(order):
    assert _model_errors(OrderLineFactory.build(order=order, unit_price=Decimal("-5"))) == {
        "unit_price": [NEGATIVE]
    }
    form = OrderLineForm(data=_line_data(order, unit_price="-5"))
    assert form.errors == {"unit_price": [NEGATIVE]}


@pytest.mark.django_db
def test_a_unit_price_with_decimals_on_a_yen_order_is_refused(customer):
    order = OrderFactory(
        customer=customer, currency="JPY", subtotal=1500, shipping_total=0, total=1500
    )
    assert _model_errors(OrderLineFactory.build(order=order, unit_price=Decimal("9.99"))) == {
        "unit_price": ["JPY amounts have 0 decimal places."]
    }
