# The README's commands. `make run` serves the demo; `make test` lints and tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=
export RUN_ADDR

.PHONY: run test e2e-browser fonts wrk bench lock messages makemessages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs are stamped: a second `make run` reuses the venv unless a lock file changed.
$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

# Compiled catalogs are build output, not committed: pybabel compiles them without GNU gettext.
messages: $(VENV)/.base-installed
	$(BIN)/pybabel compile --statistics -d locale -D django 2>&1 | grep -v '^compiling' || true

# Needs GNU gettext (xgettext): only for whoever changes translatable strings.
makemessages: $(VENV)/.base-installed
	$(BIN)/python manage.py makemessages -l de -l fr -l es -l zh_Hans --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'

run: $(VENV)/.base-installed messages fonts
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Agent dashboard : http://$(RUN_ADDR)/agent/   (agent / agent-demo, supervisor / supervisor-demo)"
	@echo "  Customer portal : http://$(RUN_ADDR)/portal/   ($$($(BIN)/python manage.py seed_demo --portal-hint 2>/dev/null))"
	@echo "                    sign-in emails are saved under var/mail/"
	@echo "  Admin           : http://$(RUN_ADDR)/admin/   (supervisor / supervisor-demo)"
	@echo "  Ctrl-C stops the web server, the worker and beat."
	@echo ""
	$(BIN)/honcho --no-prefix -f Procfile start

# Browser tests drive Debian's Chromium; no test tool downloads a browser of its own.
e2e-browser:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests."; exit 1; fi; }

# Return labels (shipments/labels) embed Debian's fonts: Noto for Latin, Cyrillic, Greek, Arabic
# and Hebrew, WenQuanYi Micro Hei for Chinese (Noto's CJK fonts are CFF, which ReportLab cannot
# embed).
LABEL_FONTS := /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@for font in $(LABEL_FONTS); do test -f $$font || missing=1; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fonts-noto-core fonts-wqy-microhei >/dev/null; \
		else echo "Install Debian's fonts for the labels (sudo apt-get install fonts-noto-core fonts-wqy-microhei)."; exit 1; fi; fi

test: $(VENV)/.dev-installed messages e2e-browser fonts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run --settings aftersales.settings.test
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# `make bench` (README, Performance) loads the app with Debian's wrk.
wrk:
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
		else echo "Install Debian's wrk (sudo apt-get install wrk) for make bench."; exit 1; fi; }

# Opt-in benchmarks, not part of `make test`, on PostgreSQL: the benchmark database is made and
# filled with BENCH_CASES cases if need be (tests/benchmarks/web), the pytest benchmarks run
# on a test database beside it. The report lands in var/benchmarks/bench.md and bench.json.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/aftersales_bench
BENCH_CASES ?= 1000000
bench: $(VENV)/.dev-installed messages wrk
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_CASES=$(BENCH_CASES) PYTEST_ARGS="$(PYTEST_ARGS)" \
		$(BIN)/python -m tests.benchmarks.web

# Rewrites the lock files from pyproject.toml's pins, each in a throwaway venv.
DEPS = import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]
lock:
	rm -rf var/lock && mkdir -p var/lock && $(PYTHON) -m venv var/lock/venv
	$(PYTHON) -c '$(DEPS); print("\n".join(p["dependencies"]))' > var/lock/base.in
	$(PYTHON) -c '$(DEPS); print("\n".join(p["optional-dependencies"]["dev"]))' > var/lock/dev.in
	var/lock/venv/bin/pip install --quiet -r var/lock/base.in
	var/lock/venv/bin/pip freeze | { echo "# Runtime lock. Rewrite with 'make lock'."; cat; } > requirements/base.txt
	var/lock/venv/bin/pip install --quiet -r var/lock/dev.in
	var/lock/venv/bin/pip freeze | grep -vxFf requirements/base.txt \
		| { echo "# Development lock. Rewrite with 'make lock'."; echo "-r base.txt"; cat; } > requirements/dev.txt
	rm -rf var/lock

clean:
	rm -rf $(VENV) var db.sqlite3
