"""The order seed_demo runs the apps' seeders in: by name, each after those it waits for."""

import pytest

from tickets import demo_seeders as registry
from tickets.demo_seeders import demo_seeder_register, demo_seeders


@pytest.fixture
def empty(monkeypatch):
    monkeypatch.setattr(registry, "_SEEDERS", {})


def _seeder(context):
    return ""


def test_by_name_then_after_those_named(empty):
    for name, after in (("returns", ("shipments",)), ("shipments", ()), ("alpha", ("nobody",))):
        demo_seeder_register(name, _seeder, after=after)
    assert [name for name, _seeder in demo_seeders()] == ["alpha", "shipments", "returns"]


def test_the_installed_apps_seed_parcels_before_return_labels():
    names = [name for name, _seeder in demo_seeders()]
    assert names.index("shipments") < names.index("returns")


def test_a_name_is_taken_once_and_a_loop_is_refused(empty):
    demo_seeder_register("a", _seeder, after=("b",))
    with pytest.raises(ValueError, match="already registered"):
        demo_seeder_register("a", lambda context: "", after=())
    demo_seeder_register("b", _seeder, after=("a",))
    with pytest.raises(ValueError, match="wait for each other"):
        demo_seeders()
