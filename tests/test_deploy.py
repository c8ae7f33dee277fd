"""The deployment files agree with the settings code: docker-compose.yml, .env.example, the
Dockerfile and the README's environment table name only variables the settings read, and
production settings pass `check --deploy`. Docker itself is not needed: the files are parsed."""

import datetime
import functools
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.core import checks
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")

# env("X"), env.bool("X"), env.db("X"), …; os.environ["X"], os.environ.get/setdefault("X"),
# os.getenv("X").
ENV_CALL = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
OS_ENVIRON = re.compile(
    r"""\bos\.(?:environ\[|environ\.get\(|environ\.setdefault\(|getenv\()\s*["']([A-Z][A-Z0-9_]*)["']"""
)
# A family of variables read by prefix: name.startswith("ANYMAIL_").
PREFIX_READ = re.compile(r"""\.startswith\(\s*["']([A-Z][A-Z0-9_]*_)["']""")
# "NAME=value" and the commented "# NAME=value" examples.
ENV_FILE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


@functools.cache
def settings_variables() -> frozenset[str]:
    """Every environment variable aftersales/settings/*.py reads, plus DJANGO_SETTINGS_MODULE."""
    names = {"DJANGO_SETTINGS_MODULE"}
    for module in (ROOT / "aftersales" / "settings").glob("*.py"):
        source = module.read_text(encoding="utf-8")
        names.update(ENV_CALL.findall(source), OS_ENVIRON.findall(source))
    return frozenset(names)


@functools.cache
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def services() -> dict:
    return compose()["services"]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: str(value) for name, value in env.items()}


def command(service: dict) -> list[str]:
    cmd = service["command"]
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


@functools.cache
def settings_prefixes() -> tuple[str, ...]:
    """Prefixes of variable families the settings read as a whole (ANYMAIL_…)."""
    sources = (
        m.read_text(encoding="utf-8") for m in (ROOT / "aftersales" / "settings").glob("*.py")
    )
    return tuple(prefix for source in sources for prefix in PREFIX_READ.findall(source))


def env_example_names() -> set[str]:
    return set(ENV_FILE_LINE.findall((ROOT / ".env.example").read_text(encoding="utf-8")))


def is_one_shot(service: dict) -> bool:
    return service.get("restart") == "no" and "healthcheck" not in service


def test_compose_and_env_example_set_only_variables_the_settings_read():
    # given the variables the settings code reads
    known = settings_variables()
    # when collecting what docker-compose.yml's app services and .env.example set
    app_services = {name: s for name, s in services().items() if "build" in s}
    in_compose = {name: set(environment(s)) - known for name, s in app_services.items()}
    # then nothing is a typo or a variable nobody reads
    assert set(APP_SERVICES) <= set(app_services)
    assert in_compose == {name: set() for name in app_services}
    unknown = env_example_names() - known
    assert {name for name in unknown if not name.startswith(settings_prefixes())} == set()


def test_env_example_shows_every_variable_the_settings_read():
    assert settings_variables() - env_example_names() == set()


def test_web_worker_and_beat_share_one_image_and_environment():
    # given the three app services
    web, worker, beat = (services()[name] for name in APP_SERVICES)
    # then they run the same build with the same environment
    for other in (worker, beat):
        assert (other.get("build"), other.get("image")) == (web.get("build"), web.get("image"))
        assert environment(other) == environment(web)
        assert other.get("env_file") == web.get("env_file") == ".env"
    assert environment(web)["DJANGO_SETTINGS_MODULE"] == "aftersales.settings.production"
    assert environment(web)["MEDIA_ROOT"].startswith("/app/var/media")


def test_app_environment_points_at_the_compose_services():
    # given the web service's environment and the backing services
    env = environment(services()["web"])
    postgres = environment(services()["postgres"])
    # when reading the URLs
    database, redis, email = (
        urlsplit(env[key]) for key in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    )
    # then each names its service, and the database credentials are postgres's own
    assert database.scheme in {"postgres", "postgresql", "pgsql"}
    assert (database.hostname, database.port or 5432) == ("postgres", 5432)
    assert (database.username, database.password, database.path.lstrip("/")) == (
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
        postgres["POSTGRES_DB"],
    )
    assert (redis.scheme, redis.hostname, redis.port or 6379) == ("redis", "redis", 6379)
    assert (email.scheme, email.hostname, email.port) == ("smtp", "mailpit", 1025)
    assert services()["mailpit"]["image"].startswith("axllent/mailpit")


def test_each_app_service_runs_its_process():
    web, worker, beat = (command(services()[name]) for name in APP_SERVICES)
    assert web[0] == "gunicorn" and "aftersales.wsgi:application" in web
    assert "0.0.0.0:8000" in " ".join(web)
    assert worker[:4] == ["celery", "-A", "aftersales", "worker"]
    queues = set(worker[worker.index("--queues") + 1].split(","))
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} <= queues
    assert beat[:4] == ["celery", "-A", "aftersales", "beat"]
    assert "--schedule" in beat
    migrate = [command(s) for s in services().values() if "build" in s and is_one_shot(s)]
    assert ["python", "manage.py", "migrate", "--noinput"] in migrate


def test_every_service_is_health_checked_and_waited_for():
    for name, service in services().items():
        # every long-running service has a healthcheck; one-shots run to completion
        healthcheck = service.get("healthcheck", {})
        assert is_one_shot(service) or (
            healthcheck.get("test") and not healthcheck.get("disable")
        ), name
        # and nothing starts before what it depends on is healthy (or has completed)
        for dependency, how in service.get("depends_on", {}).items():
            expected = (
                "service_completed_successfully"
                if is_one_shot(services()[dependency])
                else "service_healthy"
            )
            assert how["condition"] == expected, (name, dependency)
    for name in APP_SERVICES:
        assert {"postgres", "redis"} <= set(services()[name]["depends_on"]), name


def test_redis_keeps_broker_messages():
    redis = command(services()["redis"])
    assert redis[redis.index("--maxmemory-policy") + 1] == "noeviction"
    assert redis[redis.index("--appendonly") + 1] == "yes"
    assert services()["redis"]["image"].startswith("redis:7")
    assert services()["postgres"]["image"].startswith("postgres:16")


def test_image_builds_production_assets_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert "pip install -r requirements/base.txt" in dockerfile
    assert "pybabel compile -d locale -D django" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "DJANGO_SETTINGS_MODULE=aftersales.settings.production" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert "aftersales.wsgi:application" in dockerfile
    assert {".env", ".venv", ".git", "var", "db.sqlite3"} <= set(ignored)


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    # Built from scratch: pytest's own environment carries the test settings' defaults.
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "aftersales.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "shop.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp://mail.example:25",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    # given a production environment
    env = production_environment(tmp_path)
    # when running Django's deployment checklist
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    # then nothing is reported
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("hour", [9, 17])
def test_the_models_pass_their_checks_at_the_teams_hours(time_machine, hour):
    # Django takes a fixed time default for a mistaken "now" when its check runs within 10 s of
    # that time of day (fields.W161): `check --deploy` failed at 09:00:00 on a team's day bounds
    time_machine.move_to(
        datetime.datetime(2026, 7, 15, hour, 0, 3, tzinfo=datetime.UTC), tick=False
    )
    assert [message.id for message in checks.run_checks()] == []


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    # given a production environment without SECRET_KEY
    env = production_environment(tmp_path, SECRET_KEY=None)
    # when starting
    result = manage("check", env=env)
    # then it fails and says what is missing
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_readme_environment_table_lists_every_variable():
    # given the first cells of the README's table rows
    readme = ROOT / "README.md"
    assert readme.exists(), "README.md with the environment table is missing"
    rows = re.findall(r"^\|\s*`?([A-Z][A-Z0-9_]*)`?\s*\|", readme.read_text(encoding="utf-8"), re.M)
    # then each variable the settings read has its row
    assert settings_variables() - set(rows) == set()


def _local_setting(name: str, tmp_path, **environ: str) -> str:
    """`name` as the local settings of `make run` compute it in a fresh process."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "aftersales.settings.local",
        "CELERY_QUEUE_DIR": str(tmp_path / "celery"),
        **environ,
    }
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("run_addr", "site_url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("localhost:9000", "http://localhost:9000"),
        ("8081", "http://127.0.0.1:8081"),
    ],
)
def test_make_run_links_point_where_it_serves(tmp_path, run_addr, site_url):
    # given `make run` serving on RUN_ADDR and no SITE_URL
    # then links in email and SMS point at that address
    assert _local_setting("SITE_URL", tmp_path, RUN_ADDR=run_addr) == site_url


def test_an_explicit_site_url_wins_over_run_addr(tmp_path):
    site_url = "https://support.shop.example"
    got = _local_setting("SITE_URL", tmp_path, RUN_ADDR="0.0.0.0:8080", SITE_URL=site_url)
    assert got == site_url


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [
        ("redis://127.0.0.1:6379/0", "django.contrib.sessions.backends.cached_db"),
        ("", "django.contrib.sessions.backends.db"),
    ],
)
def test_sessions_are_read_through_redis_only_where_there_is_one(tmp_path, redis_url, engine):
    assert _local_setting("SESSION_ENGINE", tmp_path, REDIS_URL=redis_url) == engine


@pytest.mark.parametrize(("workers", "expected"), [(None, "0"), ("2", "2")])
def test_postgresql_connections_start_no_parallel_workers_unless_asked(tmp_path, workers, expected):
    environ = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/aftersales"}
    if workers:
        environ["DATABASE_PARALLEL_WORKERS"] = workers
    options = _local_setting('DATABASES["default"]["OPTIONS"]', tmp_path, **environ)
    assert f"'-c max_parallel_workers_per_gather={expected}'" in options


@pytest.mark.django_db
def test_the_databases_own_connection_runs_without_parallel_workers():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_the_celery_app_makes_the_folder_of_beats_schedule(tmp_path):
    # given a fresh clone on PostgreSQL and Redis: nothing has made var/ yet
    schedule = tmp_path / "fresh" / "var" / "celerybeat-schedule"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aftersales.settings.test",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BEAT_SCHEDULE_FILENAME": str(schedule),
    }
    # when a process loads the Celery app, as `celery beat` does
    subprocess.run(
        [sys.executable, "-c", "import aftersales.celery"], cwd=ROOT, env=env, timeout=60,
        check=True,
    )  # fmt: skip
    # then beat finds the folder it writes its schedule to
    assert schedule.parent.is_dir()
