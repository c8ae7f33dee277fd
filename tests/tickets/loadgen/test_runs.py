"""Resuming, refusing and extending: how the generator behaves across runs."""

import pytest
from django.core.management import CommandError, call_command

from tests.tickets.factories import CustomerFactory, OrderFactory
from tests.tickets.loadgen.conftest import snapshot
from tickets.loadgen import LoadDataError, registry, run
from tickets.models import Case, CaseEvent, Customer, Message, Notification, Order, Tag


def _wipe():
    Case.objects.all().delete()
    Order.objects.all().delete()
    Customer.objects.all().delete()


def test_an_interrupted_run_continues_after_its_last_whole_batch(generate, monkeypatch):
    # given a straight run of 200 cases
    generate(200)
    straight = snapshot()
    _wipe()
    # and a run in batches of 40 (not a multiple of the 25-case group) that breaks in its
    # third batch
    monkeypatch.setattr(run, "BATCH", 40)

    def interrupt(batch):
        if batch.cases[0].index == 80:
            raise KeyboardInterrupt

    monkeypatch.setitem(registry._STEPS, "interrupt", interrupt)
    with pytest.raises(KeyboardInterrupt):
        generate(200)
    # then the two whole batches stay
    assert Case.objects.count() == 80
    # when it runs again
    del registry._STEPS["interrupt"]
    outcome = generate(200)
    # then it continues and makes the same data as the straight run
    assert (outcome.before, outcome.after) == (80, 200)
    assert snapshot() == straight


def test_a_larger_n_extends_the_data_set(generate):
    generate(210)
    straight = snapshot()
    _wipe()
    generate(103)
    generate(210)
    assert snapshot() == straight


def test_a_finished_data_set_is_a_quick_no_op(generate, django_assert_max_num_queries):
    generate(50)
    with django_assert_max_num_queries(60):
        outcome = generate(50)
    assert (outcome.before, outcome.rows) == (50, 0)


def test_the_command_says_what_it_did(db, capsys):
    call_command("generate_load_data", "--cases", "30")
    assert "Generated cases 0–30" in capsys.readouterr().out
    call_command("generate_load_data", "--cases", "30")
    assert "Nothing to do: the data set already has 30 cases." in capsys.readouterr().out


def test_it_refuses_a_database_with_real_data_unless_told(db):
    # given a customer the generator did not make (seed_demo's are @example.com too)
    CustomerFactory(email="anna@example.com")
    # then it refuses with a clear message and a non-zero exit
    with pytest.raises(CommandError, match="data the generator did not make"):
        call_command("generate_load_data", "--cases", "25")
    assert Case.objects.count() == 0
    # unless told to
    call_command("generate_load_data", "--cases", "25", "--allow-real-data")
    assert Case.objects.count() == 25


def test_it_refuses_to_continue_another_seed_s_data_set(generate):
    generate(25)
    with pytest.raises(LoadDataError, match="--seed 1"):
        generate(50, seed=2)


def test_a_registered_step_writes_its_rows_through_the_sink(generate, monkeypatch):
    seen = []

    def tags(batch):
        seen.extend(case.kind for case in batch.cases)
        rows = [(f"lg-{case.index}",) for case in batch.cases if case.kind == "defect"]
        batch.sink.write(Tag, ("name",), rows)

    monkeypatch.setitem(registry._STEPS, "tags", tags)
    generate(100)
    assert len(seen) == 100
    assert Tag.objects.filter(name__startswith="lg-").count() == seen.count("defect")


def test_the_registry_refuses_a_second_step_of_the_same_name(monkeypatch):
    monkeypatch.setattr(registry, "_STEPS", {})
    registry.loadgen_step_register("returns", print)
    with pytest.raises(ValueError, match="already registered"):
        registry.loadgen_step_register("returns", repr)


def test_the_generated_data_is_counted_by_its_own_rows(generate):
    generate(60)
    assert Message.objects.filter(case__customer__email__endswith="@loadgen.example").count()
    assert CaseEvent.objects.exists() and Notification.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committed_batches_leave_the_id_sequences_past_the_generated_rows(monkeypatch):
    # given a run outside any transaction (as the command runs: on PostgreSQL a second
    # connection copies and commits each batch)
    monkeypatch.setattr(run, "BATCH", 25)
    outcome = run.load_data_generate(cases=60)
    assert outcome.after == 60
    assert Case.objects.count() == 60
    # when the application adds rows afterwards
    customer = CustomerFactory()
    # then they get fresh ids
    assert customer.pk > Customer.objects.exclude(pk=customer.pk).latest("pk").pk


def test_the_demo_data_counts_as_real_data(db):
    # given a customer and an order as seed_demo makes them (running it takes seconds)
    OrderFactory(customer=CustomerFactory(email="demo-customer-001@example.com"), store="demo")
    # then the generator refuses to mix its data in, naming both
    with pytest.raises(LoadDataError, match="customers not @loadgen.example, orders of stores"):
        run.load_data_generate(cases=25)


def test_the_command_says_how_to_go_on_after_ctrl_c(db, monkeypatch):
    def interrupt(batch):
        raise KeyboardInterrupt

    monkeypatch.setitem(registry._STEPS, "interrupt", interrupt)
    with pytest.raises(CommandError, match="run the command again to continue"):
        call_command("generate_load_data", "--cases", "25")
    assert Case.objects.count() == 0
