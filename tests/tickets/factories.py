from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tickets.models import (
    Case,
    Compensation,
    Customer,
    ExchangeRate,
    Message,
    Notification,
    Order,
    OrderLine,
    Tag,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@shop.example")
    password = factory.django.Password("pw")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))


def agent(**kwargs):
    return UserFactory(groups=["Agents"], **kwargs)


def supervisor(**kwargs):
    return UserFactory(groups=["Supervisors"], **kwargs)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    name = factory.Faker("name")
    phone = "+4915112345678"
    country = "DE"
    language = "de"
    timezone = "Europe/Berlin"


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"{1000 + n}")
    customer = factory.SubFactory(CustomerFactory)
    placed_at = factory.LazyFunction(timezone.now)
    currency = "EUR"
    subtotal = Decimal("50.00")
    total = Decimal("54.90")
    shipping_total = Decimal("4.90")
    shipping_country = "DE"


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    title = "Kettle"
    quantity = 1
    unit_price = Decimal("50.00")


class CaseFactory(factory.django.DjangoModelFactory):
    """A case row as stored; tests that exercise opening a case call case_create instead."""

    class Meta:
        model = Case

    customer = factory.SubFactory(CustomerFactory)
    order = factory.SubFactory(OrderFactory, customer=factory.SelfAttribute("..customer"))
    kind = Case.Kind.DEFECT
    subject = "Kettle does not heat"
    channel = Case.Channel.PORTAL
    language = "de"

    @classmethod
    def _create(cls, model_class, *args, status=Case.Status.NEW, **kwargs):
        # Status never moves by assignment in code; a factory stores a starting state directly.
        case = super()._create(model_class, *args, **kwargs)
        if status != Case.Status.NEW:
            model_class.objects.filter(pk=case.pk).update(status=status)
            case.status = status
        return case


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency",)

    currency = "JPY"
    rate = Decimal("0.0061234")


class CompensationFactory(factory.django.DjangoModelFactory):
    """A refund in euros, the shop's base currency: proposed, its base amount its amount."""

    class Meta:
        model = Compensation

    case = factory.SubFactory(CaseFactory)
    kind = Compensation.Kind.REFUND
    amount = Decimal("10.00")
    currency = "EUR"
    base_amount = factory.SelfAttribute("amount")
    base_currency = "EUR"
    exchange_rate = Decimal(1)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag-{n}")


def superuser(**kwargs):
    return UserFactory(is_staff=True, is_superuser=True, **kwargs)


class NotificationFactory(factory.django.DjangoModelFactory):
    """An outbox row as notify() writes it: an email by default, `sms=True` for a text."""

    class Meta:
        model = Notification

    class Params:
        sms = factory.Trait(
            # notify() writes a text only for a customer who agreed to SMS.
            case__customer__sms_consent=True,
            channel=Notification.Channel.SMS,
            recipient=factory.SelfAttribute("customer.phone"),
            subject="",
            body_html="",
            message_id="",
            body="Good news: your case is resolved.",
        )

    case = factory.SubFactory(CaseFactory)
    customer = factory.SelfAttribute("case.customer")
    channel = Notification.Channel.EMAIL
    template = "case_received"
    language = "de"
    recipient = factory.SelfAttribute("customer.email")
    subject = "Wir haben Ihre Anfrage erhalten"
    body = "Hallo,\n\nwir haben Ihre Anfrage erhalten.\n"
    body_html = "<p>Hallo,</p><p>wir haben Ihre Anfrage erhalten.</p>"
    idempotency_key = factory.Sequence(lambda n: f"case_received:{n}")
    message_id = factory.Sequence(lambda n: f"<{n}@localhost>")
    next_attempt_at = factory.LazyFunction(timezone.now)


def totp_device(user, *, confirmed=True):
    """A TOTP authenticator for `user`, as enrolment leaves it."""
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=confirmed)


def totp_code(device) -> str:
    """The code `device`'s app shows now (on the test's clock)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def customer_messages(case, count: int, *, start: datetime, every: timedelta, body: str) -> None:
    """`count` messages from the customer on `case`, `every` apart from `start`; `body` is
    formatted with each one's index ("message {:03d}.")."""
    Message.objects.bulk_create(
        Message(
            case=case,
            author_kind="customer",
            body=body.format(index),
            created_at=start + index * every,
        )
        for index in range(count)
    )
