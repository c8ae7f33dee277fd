# syntax=docker/dockerfile:1
# One image for every Aftersales process: docker-compose.yml runs it as web (gunicorn, the
# default CMD), worker, beat and the one-shot migrate. Build: docker build -t aftersales .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=aftersales.settings.production

WORKDIR /app

# Return labels (shipments/labels) embed Debian's fonts: Noto for Latin, Cyrillic, Arabic and
# Hebrew, WenQuanYi Micro Hei for Chinese.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-core fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

# The lock alone first, so that a code change reuses the installed-dependencies layer.
# psycopg2-binary ships its own libpq: no compiler or -dev packages needed.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

RUN groupadd --system app && useradd --system --gid app --home-dir /app --no-create-home app

# The code stays owned by root (read-only for the app user); only var/ is writable.
COPY . .

# Compiled catalogs (.mo) are build output, not committed. collectstatic needs a SECRET_KEY
# to import production settings: a dummy one that exists only for this RUN line and is not
# kept in the image. The real key comes from the environment at run time. var/ (media, beat's
# schedule, the filesystem broker when REDIS_URL is unset) is the app user's; the collected
# static files under var/static stay root's.
RUN pybabel compile -d locale -D django \
    && SECRET_KEY=build-only-collectstatic-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p var/media var/celery \
    && chown app:app var \
    && chown -R app:app var/media var/celery

USER app
EXPOSE 8000

# gunicorn reads WEB_CONCURRENCY for its number of worker processes; override it per host.
# No HEALTHCHECK here: the same image runs worker and beat, so docker-compose.yml gives each
# process its own probe.
ENV WEB_CONCURRENCY=3
CMD ["gunicorn", "aftersales.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
