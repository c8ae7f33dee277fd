"""The OpenAPI document is valid and complete, the docs need no CDN, and the running API keeps
to the document: schemathesis against a live server finds no 5xx and no schema violation."""

import re
import threading
import time
from collections import Counter
from decimal import ROUND_DOWN, Decimal
from io import StringIO

import pytest
import schemathesis
import yaml
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from openapi_spec_validator import validate as validate_openapi
from schemathesis.engine import events

from returns.services.claims import LineClaim, return_request_submit
from shipments.models import Shipment
from shipments.services.shipments import shipment_create
from tests.tickets.conftest import media_root  # noqa: F401
from tests.tickets.evidence.files import jpeg
from tests.tickets.factories import agent
from tickets.models import Case
from tickets.money import minor_unit
from tickets.services.api_keys import api_key_create
from tickets.services.cases import case_create, case_transition
from tickets.services.compensations import compensation_propose
from tickets.services.evidence import evidence_prepare
from tickets.services.messages import message_add
from tickets.services.orders import CustomerData, LineData, OrderData, orders_upsert
from wrong_items.services.reports import report_create

# Examples per operation and phase, by who calls: enough to walk every field's types and
# bounds with a write key; without a key, or with a read key, every write stops at 401 or 403
# whatever the body, so fewer show the same. The three runs together take about a minute on
# two cores (`-s` prints each run's size).
MAX_EXAMPLES = {"anonymous": 5, "read": 10, "write": 20}
# Without a key every answer is a 401 before any input is read: the coverage phase's thousands
# of boundary values would only show that again.
PHASES = {
    "anonymous": ["examples", "fuzzing"],
    "read": ["examples", "coverage", "fuzzing"],
    "write": ["examples", "coverage", "fuzzing"],
}


# --- the document -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schema_endpoint_serves_a_valid_openapi_3_document(client):
    # when the schema is fetched
    response = client.get("/api/schema/")
    # then it is an OpenAPI 3 document that passes the specification's JSON schema
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    validate_schema(document)
    # and it describes every endpoint of the API
    # and passes openapi-spec-validator, which client generators build on
    validate_openapi(document)
    assert set(document["paths"]) == {
        "/api/v1/customers/",
        "/api/v1/customers/{id}/",
        "/api/v1/orders/",
        "/api/v1/orders/{id}/",
        "/api/v1/cases/",
        "/api/v1/cases/{case_number}/",
        "/api/v1/cases/{case_number}/transitions/",
        "/api/v1/cases/{case_number}/portal-link/",
        "/api/v1/cases/{case_number}/messages/",
        "/api/v1/cases/{case_number}/events/",
        "/api/v1/cases/{case_number}/compensations/",
        "/api/v1/cases/{case_number}/compensations/{id}/",
        *(
            f"/api/v1/cases/{{case_number}}/compensations/{{id}}/{name}/"
            for name in ("approve", "reject", "issue", "fail", "cancel")
        ),
        "/api/v1/shipments/",
        "/api/v1/shipments/{id}/",
        "/api/v1/shipments/{id}/events/",
        "/api/v1/returns/",
        "/api/v1/returns/{rma_number}/",
        "/api/v1/returns/{rma_number}/approve/",
        "/api/v1/returns/{rma_number}/reject/",
        "/api/v1/returns/{rma_number}/receive/",
        "/api/v1/returns/{rma_number}/inspect/",
        "/api/v1/returns/{rma_number}/resolve/",
        "/api/v1/returns/{rma_number}/label.pdf/",
        "/api/v1/returns/{rma_number}/refund/",
        "/api/v1/returns/{rma_number}/refund/confirm/",
        "/api/v1/returns/{rma_number}/refund/fail/",
        "/api/v1/returns/{rma_number}/ship-back/",
        "/api/v1/wrong-item-reports/",
        "/api/v1/wrong-item-reports/{id}/",
        *(
            f"/api/v1/wrong-item-reports/{{id}}/{name}/"
            for name in (
                "proposal/accept",
                "proposal/dismiss",
                "reship",
                "discount",
                "refund",
                "keep-or-return",
                "root-cause",
            )
        ),
    }


@pytest.fixture
def document(client):
    return yaml.safe_load(client.get("/api/schema/").content)


def _refs(node):
    """Every $ref below `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@pytest.mark.django_db
def test_every_body_with_required_content_is_marked_required(document):
    # a generated client makes an optional body a keyword argument that may be left out; the
    # orders POST (one order or a batch: a oneOf) crashed such a client when called without one
    upsert = document["paths"]["/api/v1/orders/"]["post"]["requestBody"]
    assert upsert["required"] is True
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body is None:
                continue
            ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
            component = document["components"]["schemas"][ref]
            if component.get("required") or "oneOf" in component:
                assert body.get("required") is True, f"{method.upper()} {path}"


@pytest.mark.django_db
def test_a_case_is_case_number_in_every_path(document):
    # one name for one thing: a generated client's parameter is `case_number` everywhere
    case_paths = [path for path in document["paths"] if path.startswith("/api/v1/cases/{")]
    assert case_paths
    assert all(path.startswith("/api/v1/cases/{case_number}/") for path in case_paths)
    for path in case_paths:
        for operation in document["paths"][path].values():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert "case_number" in names and "number" not in names, path


@pytest.mark.django_db
def test_no_field_is_typed_as_a_blank_enum(document):
    # `language` was LanguageEnum | BlankEnum (""): a generated client got a type for ""
    schemas = document["components"]["schemas"]
    assert "BlankEnum" not in schemas and "NullEnum" not in schemas
    assert not [ref for ref in _refs(document) if ref.endswith(("/BlankEnum", "/NullEnum"))]
    language = schemas["OrderCustomerInputRequest"]["properties"]["language"]
    assert list(_refs(language)) == ["#/components/schemas/LanguageEnum"]
    assert "" not in schemas["LanguageEnum"]["enum"]


@pytest.mark.django_db
def test_money_is_a_decimal_string_everywhere(document):
    # amounts travel as strings ("12.50", JPY "1500"), never JSON numbers
    schemas = document["components"]["schemas"]
    money = [
        schemas["Order"]["properties"]["total"],
        schemas["OrderLine"]["properties"]["unit_price"],
        schemas["Compensation"]["properties"]["amount"],
        schemas["Compensation"]["properties"]["base_amount"],
        schemas["CompensationProposeRequest"]["properties"]["amount"],
        schemas["OrderInputRequest"]["properties"]["total"],
    ]
    assert all((m["type"], m["format"]) == ("string", "decimal") for m in money)


def _properties(document):
    for name, component in document["components"]["schemas"].items():
        for field, schema in component.get("properties", {}).items():
            yield name, field, schema


@pytest.mark.django_db
def test_every_field_and_operation_is_described(client):
    # given the schema
    document = yaml.safe_load(client.get("/api/schema/").content)
    # then every field of every component says what it is (the page envelope is DRF's)
    undescribed = [
        f"{name}.{field}"
        for name, field, schema in _properties(document)
        if not schema.get("description") and not name.startswith("Paginated")
    ]
    assert undescribed == []
    # and every operation has a summary, and every answer a body in the documented shape
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path}"
            for code, answer in operation["responses"].items():
                # a download's success is the file itself (the label PDF); every other answer,
                # its errors included, is JSON
                download = code.startswith("2") and all(
                    media["schema"].get("format") == "binary"
                    for media in answer["content"].values()
                )
                assert download or "application/json" in answer["content"], (
                    f"{method} {path} {code}"
                )


@pytest.mark.django_db
def test_spectacular_validates_the_schema_without_warnings():
    # when the schema is generated the way CI does it
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    # then it is written with no warning or error (the command exits non-zero otherwise)
    assert out.getvalue().startswith("openapi: 3.")


@pytest.mark.django_db
def test_the_docs_page_uses_only_local_assets(client):
    # when the interactive docs are opened
    response = client.get("/api/docs/")
    # then they render
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    # and load every script and stylesheet from our own /static/, never from a CDN
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert [url for url in assets if url.startswith(("http:", "https:", "//"))] == []
    assert not re.search(r"https?://|cdn|unpkg|jsdelivr", html)
    assert any(url.startswith("/static/drf_spectacular_sidecar/") for url in assets)
    # and the assets are really served
    script = next(url for url in assets if url.endswith(".js"))
    assert client.get(script).status_code == 200


# --- the running API keeps to the document ----------------------------------------------------


@pytest.fixture
def seeded(transactional_db, media_root):  # noqa: F811
    """A customer with an order, a case with a message, a photo and a few events, an agent, a
    shipment the carrier picked up, a return waiting for an agent and a wrong-item report (with
    its proposal waiting)."""
    assignee = agent(username="ines")
    result = orders_upsert(
        rows=[
            OrderData(
                number="5001",
                customer=CustomerData(email="lena@example.com", name="Lena", language="de"),
                placed_at=timezone.now(),
                currency="EUR",
                total=Decimal("54.90"),
                shipping_total=Decimal("4.90"),
                shipping_country="DE",
                lines=(LineData(sku="KET-1", title="Kettle", quantity=1, unit_price=Decimal(50)),),
            )
        ]
    )
    order = result.orders[0]
    case = case_create(
        customer=order.customer,
        order=order,
        kind="defect",
        subject="Kettle does not heat",
        channel="api",
        description="It stays cold.",
    )
    case = case_transition(case=case, to="open", actor=assignee)
    message_add(case=case, body="Sorry to hear that.", author_kind="agent", actor=assignee)
    photo = message_add(
        case=case,
        body="The box",
        author_kind="customer",
        actor=None,
        attachments=[SimpleUploadedFile("box.jpg", jpeg(), "image/jpeg")],
    ).attachments.get()
    compensation = compensation_propose(
        case=case, kind="refund", amount=Decimal("250.00"), actor=assignee
    )
    shipment = shipment_create(order=order, carrier="dhl_express", tracking_number="JD0146")
    Shipment.objects.filter(pk=shipment.pk).update(first_scan_at=timezone.now())
    wrong_item = report_create(
        order_line=order.lines.get(),
        received_description="A toaster",
        preference="reship",
        photos=evidence_prepare([SimpleUploadedFile("toaster.jpg", jpeg(), "image/jpeg")]),
    )
    # A return waiting for an agent: no policy allows approving it automatically.
    return_request = return_request_submit(
        order=order,
        kind="return",
        lines=[LineClaim(order_line_id=order.lines.get().pk, quantity=1, reason_code="doesnt_fit")],
        preferred_outcome="refund",
        channel="api",
    )
    return {
        "return_request": return_request,
        "customer": order.customer,
        "order": order,
        "case": case,
        "assignee": assignee,
        "compensation": compensation,
        "shipment": shipment,
        "photo": photo,
        "wrong_item": wrong_item,
    }


# Every check schemathesis has, but those that need a second user (object-level
# authorization) or links between operations (stateful resource checks).
CHECKS = ["all"]
EXCLUDED_CHECKS = ["object_level_authorization", "use_after_free", "ensure_resource_availability"]

MONEY = {
    "amount", "total", "subtotal", "shipping_total", "shipping_discount", "tax_total",
    "unit_price", "discount", "insured_value",
}  # fmt: skip
# An order's lines must add up to an amount that fits its column (11 digits before the point):
# at most 100 items of at most 10^6 each.
LIMITS = {"quantity": 100}
LONGEST = 3


ADDRESS = {
    "name": "Lena Weber",
    "line1": "Karl-Liebknecht-Str. 12",
    "postcode": "04107",
    "city": "Leipzig",
    "country": "DE",
}


def _decimal(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def realistic(body, ids: dict[str, int | str], currency: str = "EUR"):
    """A schema-valid body made to pass the rules that depend on stored data or on another
    field, which the schema does not state (or states in a way generated clients cannot type):
    ids name stored rows, amounts have their currency's decimals and add up within their
    column, a line's discount is at most its price, a batch names each order once, a phone
    number is a real one, a time zone exists, a case is opened for exactly one of `customer`
    and `customer_email`, a change names a priority or an assignee, a discount code is worth
    more than zero (at most 100 %) in the order's currency, and a wrong item sent back has an
    address. Every other value stays as generated, so valid input the server refuses still
    fails the run."""
    if isinstance(body, list):
        return [realistic(item, ids, currency) for item in body]
    if not isinstance(body, dict):
        return body
    if "kind" in body and "subject" in body:  # opening a case
        if "customer" in body:
            body.pop("customer_email", None)
        elif "customer_email" not in body:
            body["customer"] = ids["customer"]
    if "order_number" in body:  # a shipment names a stored order, in its own store
        body.pop("store", None)
    if "preferred_outcome" in body and isinstance(body.get("lines"), list):
        # a return request names the order's line, with a reason of its kind, and no photo (a
        # defect asks for one of the customer's): the policy's rules the schema cannot state
        body["kind"] = "return"
        body.pop("photos", None)
        body["lines"] = [
            {"order_line": ids["order_line"], "quantity": 1, "reason_code": "doesnt_fit"}
        ]
    if "value_type" in body:
        # a discount code is in the order's currency and lasts the default time (an expiry in
        # the past is refused), and a percentage is at most 100
        body.pop("currency", None)
        body.pop("expires_at", None)
        value = body.get("value")
        if isinstance(value, str):
            if not _decimal(value) or Decimal(value) <= 0:
                value = "10"  # the pattern lets "", "." and negative amounts through
            if body["value_type"] == "percentage":
                value = f"{min(Decimal(value), Decimal(100)):f}"
            body["value"] = value
    if body.get("outcome") == "return" and not isinstance(body.get("address"), dict):
        # a wrong item goes back with a label, which needs the customer's address
        body["address"] = dict(ADDRESS)
    if "version" in body and "to" not in body and not {"priority", "assignee"} & set(body):
        body["priority"] = "high"  # changing a case, not moving it
    if isinstance(body.get("currency"), str):
        currency = body["currency"]
    for key in ("orders", "lines"):
        if isinstance(body.get(key), list):
            # a long batch follows the same rules as a short one, and only costs time
            del body[key][LONGEST:]
    rows = body.get("orders")
    if isinstance(rows, list):
        # a batch names each order once (store + number): a rule across items
        for index, row in enumerate(rows):
            if isinstance(row, dict) and isinstance(row.get("number"), str):
                row["number"] = f"{row['number'][:58]}-{index}"
    for key, value in body.items():
        if key in LIMITS and type(value) is int:
            body[key] = min(value, LIMITS[key])
        elif key in MONEY and isinstance(value, str) and _decimal(value):
            amount = min(Decimal(value), Decimal(10**6))
            body[key] = f"{amount.quantize(minor_unit(currency), ROUND_DOWN):f}"
        elif key in ids and type(value) is type(ids[key]):
            body[key] = ids[key]
        elif key == "phone" and value:
            body[key] = "+4915112345678"
        elif key == "timezone" and value:
            body[key] = "Europe/Berlin"
        else:
            body[key] = realistic(value, ids, currency)
    if isinstance(body.get("discount"), str) and isinstance(body.get("unit_price"), str):
        # a line's discount is at most what the line costs
        price = Decimal(body["unit_price"]) * body.get("quantity", 1)
        body["discount"] = f"{min(Decimal(body['discount']), price):f}"
    return body


def _failures(event) -> list[str]:
    """What failed in one finished scenario: check, request and the check's message."""
    lines = []
    for case_id, checks in event.recorder.checks.items():
        interaction = event.recorder.interactions.get(case_id)
        request = answer = ""
        if interaction:
            request = f"{interaction.request.method} {interaction.request.uri}"
            if interaction.request.body is not None:
                content_type = interaction.request.headers.get("Content-Type")
                request += f"\n  body ({content_type}): {interaction.request.body[:300]!r}"
            if interaction.response is not None:
                answer = f"\n  answer: {interaction.response.status_code} "
                answer += repr(interaction.response.content[:300])
        for check in checks:
            if check.failure_info is not None:
                failure = check.failure_info.failure
                lines.append(
                    f"{check.name}: {request}\n  {failure.title}: {failure.message}{answer}"
                )
    return lines


@pytest.mark.integration
# The live server needs committed rows; serialized_rollback brings back the groups the
# migrations made, which an earlier transactional test's flush may have removed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("mode", ["anonymous", "read", "write"])
def test_the_live_api_keeps_to_its_schema(live_server, seeded, settings, mode):
    """Every operation with valid and invalid input, against a real server: no 5xx, and every
    answer's status code, content type and body are ones the schema documents."""
    # given a write key whose rate limit fuzzing cannot reach
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "100000/min"},
    }
    cache.clear()
    headers = {"Connection": "close"}
    if mode != "anonymous":
        key = api_key_create(name="Schemathesis", scope=mode, actor=None)[1]
        headers["Authorization"] = f"Bearer {key}"
    # and the schema as the server serves it, with bounded, repeatable generation
    base_url = live_server.url.replace("localhost", "127.0.0.1")
    schema = schemathesis.openapi.from_url(f"{base_url}/api/schema/?format=json")
    schema.config.update(
        base_url=base_url,
        # A fresh connection per request: on a kept-alive one Django's test server answers
        # ~10x slower (delayed ACKs), which would make this run minutes instead of seconds.
        headers=headers,
    )
    schema.config.generation.update(
        max_examples=MAX_EXAMPLES[mode],
        deterministic=True,
        no_shrink=True,
        database="none",
        # Text never holds a NUL character (PostgreSQL cannot store one): every field refuses it
        # with a 400, as the README says, so generating it would only find that rule again.
        allow_x00=False,
    )
    schema.config.phases.update(phases=PHASES[mode])
    schema.config.checks.update(included_check_names=CHECKS, excluded_check_names=EXCLUDED_CHECKS)
    schema.config.cache.enabled = False  # no .schemathesis/ folder in the project
    real = {
        "id": {
            "/orders/": seeded["order"].pk,
            "/customers/": seeded["customer"].pk,
            "/compensations/": seeded["compensation"].pk,
            "/shipments/": seeded["shipment"].pk,
            "/wrong-item-reports/": seeded["wrong_item"].pk,
        },
        "case_number": seeded["case"].number,
        "rma_number": seeded["return_request"].rma,
    }
    generated, sent, spent = Counter(), Counter(), Counter()

    ids = {
        "customer": seeded["customer"].pk,
        "order": seeded["order"].pk,
        "assignee": seeded["assignee"].pk,
        "customer_email": seeded["customer"].email,
        "order_number": seeded["order"].number,
        "order_line": seeded["order"].lines.get().pk,
        "photos": [seeded["photo"].pk],
        "line": seeded["return_request"].lines.get().pk,
    }

    def before_call(context, case, kwargs):
        # Runs before each request; schemathesis then re-checks which parts are still invalid,
        # so a negative case these edits happen to make valid is judged as valid.
        positive = case.meta is not None and case.meta.generation.mode.is_positive
        if positive:
            case.body = realistic(case.body, ids)
        # Every other case names the seeded rows, so reads and writes hit real objects too.
        generated[case.operation.label] += 1
        if case.path_parameters and generated[case.operation.label] % 2 == 0:
            for name in case.path_parameters:
                value = real[name]
                if isinstance(value, dict):
                    value = next(v for part, v in value.items() if part in case.path)
                # as text, the way a path carries it: schemathesis re-checks the edited case, and
                # takes a bare int for a negative (wrong-type) one
                case.path_parameters[name] = str(value)
            if positive and isinstance(case.body, dict) and "version" in case.body:
                # and sends the version it has now, so changes get through, not only 409s
                case.body["version"] = Case.objects.get(number=real["case_number"]).version
                if threading.current_thread() is not threading.main_thread():
                    # schemathesis may call hooks from its own threads: close what this opened,
                    # or PostgreSQL cannot drop the test database at the end
                    connection.close()

    @schema.hook
    def after_call(context, case, response):
        sent[case.operation.label, response.status_code] += 1
        spent[case.operation.label] += response.elapsed

    # when schemathesis runs every phase over every operation
    started = time.monotonic()
    failures, operations = [], set()
    # before_call hooks are global to schemathesis: registered for this run only
    schemathesis.hook("before_call")(before_call)
    try:
        for event in schemathesis.engine.from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished) and event.label:
                operations.add(event.label)
                failures += _failures(event)
            elif isinstance(event, events.NonFatalError):
                failures.append(f"{event.label}: {event.info.format()}")
            elif isinstance(event, events.FatalError):
                failures.append(f"schemathesis failed: {event.exception!r}")
    finally:
        schemathesis.hooks.unregister(before_call)
    elapsed = time.monotonic() - started
    print(  # the run's size, for whoever tunes MAX_EXAMPLES (shown with -s)
        f"\nschemathesis: {len(operations)} operations, {sum(sent.values())} requests, "
        f"{elapsed:.1f} s; answers: {sorted(sent.items())}; {spent.most_common(8)}"
    )
    # then nothing failed, and every documented operation was exercised
    assert not failures, "\n".join(failures)
    assert operations == {op.ok().label for op in schema.get_all_operations()}
