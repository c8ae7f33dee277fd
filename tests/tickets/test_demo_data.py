"""The demo data files: collected from every installed app's demo/ folder, merged, typed."""

import string
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from tickets.management.commands import _demo_data
from tickets.management.commands._demo_data import demo_data, demo_files, demo_tree
from tickets.models import Case

TICKETS_DEMO = Path(_demo_data.__file__).resolve().parents[2] / "demo"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / "demo" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_files_are_collected_from_every_installed_apps_demo_folder(monkeypatch, tmp_path):
    # given tickets and a scenario app that brings demo data of its own, nested in a folder
    scenario_app = tmp_path / "returns"
    extra = _write(scenario_app, "texts/de.toml", "[texts.de.kinds.defect]\nhint = 'x'\n")
    configs = [SimpleNamespace(path=str(TICKETS_DEMO.parent)), SimpleNamespace(path=str(tmp_path))]
    configs.append(SimpleNamespace(path=str(scenario_app)))
    monkeypatch.setattr(_demo_data.apps, "get_app_configs", lambda: configs)
    # when the files are listed, then tickets' come first and the app's are among them
    files = demo_files()
    assert files[-1] == extra
    assert {path.name for path in files[:-1]} >= {"world.toml", "kinds.toml", "de.toml"}


def test_tables_from_two_files_merge(tmp_path):
    first = _write(tmp_path / "tickets", "texts.toml", "[texts.de.requests]\nwaiting = 'a'\n")
    second = _write(tmp_path / "returns", "texts.toml", "[texts.de.kinds.defect]\nhint = 'b'\n")
    assert demo_tree([first, second]) == {
        "texts": {"de": {"requests": {"waiting": "a"}, "kinds": {"defect": {"hint": "b"}}}}
    }


def test_a_value_two_files_give_is_refused_naming_both(tmp_path):
    first = _write(tmp_path / "tickets", "kinds.toml", "[kinds.defect]\nweight = 35\n")
    second = _write(tmp_path / "returns", "kinds.toml", "[kinds.defect]\nweight = 50\n")
    with pytest.raises(CommandError, match="kinds.defect.weight is given twice") as refused:
        demo_tree([first, second])
    assert str(first) in str(refused.value) and str(second) in str(refused.value)


def test_a_file_that_is_not_toml_is_refused_by_name(tmp_path):
    broken = _write(tmp_path / "tickets", "world.toml", "common_tags = [\n")
    with pytest.raises(CommandError, match=str(broken)):
        demo_tree([broken])


def test_a_missing_part_is_named(monkeypatch):
    monkeypatch.setattr(_demo_data, "demo_files", lambda: [])
    with pytest.raises(CommandError, match="The demo data files give no 'kinds'"):
        demo_data()


def test_amounts_are_exact_decimals():
    data = demo_data()
    sku, _title, price = data.products[0]
    assert (sku, price) == ("KTL-1700-BLK", Decimal("39.90"))
    assert data.shipping["JPY"] == (Decimal(990), Decimal(10000))
    assert data.countries["CH"].tax_rate == Decimal("0.081")
    assert all(isinstance(rate, Decimal) for rate in data.exchange_rates.values())


def test_every_language_has_every_text_with_known_placeholders():
    # given the demo data, then each site language has texts for each kind and waiting status
    data = demo_data()
    languages = {code for code, _name in settings.LANGUAGES}
    assert set(data.texts) == languages
    waiting = {status for plan in data.kinds.values() for status in plan.waiting}
    for texts in data.texts.values():
        assert set(texts.kinds) == set(Case.Kind.values)
        assert set(texts.requests) == waiting
        assert texts.replies
        written = [*texts.requests.values(), *texts.replies]
        for kind in texts.kinds.values():
            assert kind.openings
            written += [kind.acknowledgement, kind.resolution]
            written += [text for opening in kind.openings for text in opening]
        fields = {name for text in written for _, name, _, _ in string.Formatter().parse(text)}
        assert fields <= {None, "name", "order", "product"}


def test_kinds_follow_the_order_of_case_kind_and_every_team_language_has_texts():
    data = demo_data()
    assert list(data.kinds) == Case.Kind.values
    assert set(data.teams) == set(data.texts)
    assert {country.language for country in data.countries.values()} <= set(data.texts)
