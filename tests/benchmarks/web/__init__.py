"""`make bench`'s web part: the app under gunicorn on the benchmark database, driven by wrk.

Run it as `python -m tests.benchmarks.web` (the Makefile does); see the README's Performance
section. The modules other than __main__, prepare and processes are pure and unit-tested."""
