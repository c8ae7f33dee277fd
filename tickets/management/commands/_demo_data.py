"""The static side of `manage.py seed_demo`, read from data files: every installed app's
`demo/*.toml` (and below), in INSTALLED_APPS order, merged into one tree.

`tickets/demo/` holds the demo world (world.toml), the cases by kind (kinds.toml) and the texts
customers and agents write, one file per language (texts/<language>.toml). A scenario app adds
its own demo data the same way, in its own `demo/` folder: tables merge (its
`[texts.de.kinds.defect]` joins tickets' `[texts.de]`), but no value may be given twice, so a
clash names both files instead of one silently winning. TOML, not YAML: tomllib is in the
standard library, and numbers with a decimal point are read as exact decimals."""

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError

from tickets.models import Case

# The demo teams' business hours (time zone, public holidays of the country) by language, and
# the routing rules that send a new case without a team to the team of its customer's language.
DEMO_CALENDARS: dict[str, tuple[str, str]] = {
    "de": ("Europe/Berlin", "DE"),
    "fr": ("Europe/Paris", "FR"),
    "es": ("Europe/Madrid", "ES"),
    "zh-hans": ("Asia/Shanghai", "CN"),
    "en": ("Europe/London", "GB"),
}


@dataclass(frozen=True)
class Country:
    """Where demo customers live: their language, the currency they pay in, the tax added to
    their orders, and (time zone, phone pattern) pairs; in a pattern # is any digit, N 2-9."""

    language: str
    currency: str
    tax_rate: Decimal
    places: tuple[tuple[str, str], ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    family_name_first: bool = False


@dataclass(frozen=True)
class KindPlan:
    """How the demo plays cases of one kind."""

    weight: int
    waiting: tuple[str, ...]
    tags: tuple[str, ...]
    compensations: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class KindTexts:
    openings: tuple[tuple[str, str], ...]  # (subject, the customer's first message)
    acknowledgement: str
    resolution: str


@dataclass(frozen=True)
class Texts:
    """What is written in one language; placeholders {name}, {order} and {product}."""

    kinds: dict[str, KindTexts]
    requests: dict[str, str]  # by the status the case starts waiting in
    replies: tuple[str, ...]


@dataclass(frozen=True)
class DemoData:
    users: dict[str, tuple[str, str, dict[str, Any]]]  # username -> (password, group, profile)
    teams: dict[str, tuple[str, str]]  # language -> (name, description)
    countries: dict[str, Country]
    exchange_rates: dict[str, Decimal]
    price_points: dict[str, tuple[Decimal, Decimal]]  # currency -> (step, cut)
    shipping: dict[str, tuple[Decimal, Decimal]]  # currency -> (fee, free from)
    products: tuple[tuple[str, str, Decimal], ...]  # (sku, title, price in EUR)
    compensation_shares: dict[str, Decimal]
    common_tags: tuple[str, ...]
    kinds: dict[str, KindPlan]  # in the order of Case.Kind
    texts: dict[str, Texts]


def demo_files() -> list[Path]:
    """Every installed app's demo data files, app by app, each app's in path order."""
    files = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "demo"
        files += sorted(folder.rglob("*.toml")) if folder.is_dir() else []
    return files


def demo_tree(files: list[Path]) -> dict[str, Any]:
    """The files merged into one tree. Raises CommandError for a file that is not valid TOML and
    for a value two files give."""
    tree: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    for path in files:
        try:
            with path.open("rb") as handle:
                _merge(tree, tomllib.load(handle, parse_float=Decimal), path, origins, prefix="")
        except tomllib.TOMLDecodeError as exc:
            raise CommandError(f"{path}: {exc}") from exc
    return tree


def _merge(
    into: dict[str, Any], new: dict[str, Any], path: Path, origins: dict[str, Path], prefix: str
) -> None:
    for key, value in new.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(into.get(key, {}), dict):
            origins.setdefault(name, path)
            _merge(into.setdefault(key, {}), value, path, origins, prefix=f"{name}.")
        elif key in into:
            raise CommandError(f"{name} is given twice: in {origins[name]} and in {path}.")
        else:
            into[key] = value
            origins[name] = path


def demo_data() -> DemoData:
    """The demo data of the installed apps. Raises CommandError naming what is missing."""
    tree = demo_tree(demo_files())
    try:
        return _typed(tree)
    except KeyError as exc:
        raise CommandError(f"The demo data files give no {exc.args[0]!r}.") from exc


def _decimal(value: int | Decimal) -> Decimal:
    return Decimal(value)


def _typed(tree: dict[str, Any]) -> DemoData:
    kinds, texts = tree["kinds"], tree["texts"]
    return DemoData(
        users={
            name: (user["password"], user["group"], dict(user.get("profile", {})))
            for name, user in tree["users"].items()
        },
        teams={language: (t["name"], t["description"]) for language, t in tree["teams"].items()},
        countries={
            code: Country(
                language=c["language"],
                currency=c["currency"],
                tax_rate=_decimal(c["tax_rate"]),
                places=tuple((zone, phone) for zone, phone in c["places"]),
                first_names=tuple(c["first_names"]),
                last_names=tuple(c["last_names"]),
                family_name_first=c.get("family_name_first", False),
            )
            for code, c in tree["countries"].items()
        },
        exchange_rates={cur: _decimal(rate) for cur, rate in tree["exchange_rates"].items()},
        price_points={
            cur: (_decimal(p["step"]), _decimal(p["cut"]))
            for cur, p in tree["price_points"].items()
        },
        shipping={
            cur: (_decimal(s["fee"]), _decimal(s["free_from"]))
            for cur, s in tree["shipping"].items()
        },
        products=tuple((p["sku"], p["title"], _decimal(p["price"])) for p in tree["products"]),
        compensation_shares={
            kind: _decimal(share) for kind, share in tree["compensation_shares"].items()
        },
        common_tags=tuple(tree["common_tags"]),
        # Case.Kind's order, whichever file named a kind first: the plan draws from this order.
        kinds={
            kind: KindPlan(
                weight=kinds[kind]["weight"],
                waiting=tuple(kinds[kind]["waiting"]),
                tags=tuple(kinds[kind]["tags"]),
                compensations=tuple(kinds[kind]["compensations"]),
                notes=tuple(kinds[kind]["notes"]),
            )
            for kind in Case.Kind.values
        },
        texts={
            language: Texts(
                kinds={
                    kind: KindTexts(
                        openings=tuple(
                            (o["subject"], o["message"]) for o in t["kinds"][kind]["openings"]
                        ),
                        acknowledgement=t["kinds"][kind]["acknowledgement"],
                        resolution=t["kinds"][kind]["resolution"],
                    )
                    for kind in Case.Kind.values
                },
                requests=dict(t["requests"]),
                replies=tuple(t["replies"]),
            )
            for language, t in texts.items()
        },
    )
