"""Settings shared by every mode, read from the environment (12-factor).

Every variable read here is listed in the README's table. Modes: `local` (make run),
`test` (pytest) and `production` (docker-compose) adjust the defaults below.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    # Off by default: docker-compose hands `.env` to the containers itself, and a `.env`
    # written for it must not leak into `make run` or the tests.
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin site is ours: it signs in through the agent login (lockout, two-factor) and is
    # open to supervisors only (aftersales.apps.AdminConfig).
    "aftersales.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "tickets",
    "shipments",
    "returns",
    "wrong_items",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tickets.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a request flagged as locked out into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aftersales.urls"
WSGI_APPLICATION = "aftersales.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# A new PostgreSQL connection costs ~18 ms here: keep connections, but check them first.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's parallel query for this app's connections: off by default, since its pages
    # read few rows and starting workers costs more than it saves (a customer-name search at a
    # million cases: 13.5 ms with two workers, 5.2 ms without).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={env.int('DATABASE_PARALLEL_WORKERS', default=0)}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: take the write lock when a transaction starts
    # (no upgrade deadlocks) and wait for it rather than fail with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "tickets:agent-login"
LOGIN_REDIRECT_URL = "tickets:agent-home"
LOGOUT_REDIRECT_URL = "tickets:agent-login"
# django-axes' backend first: it refuses a locked-out account or address before any password
# is checked, on the agent login and on everything else that calls authenticate(). Then
# Django's ModelBackend, reading a user's permissions in one query (tickets.auth_backends).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tickets.auth_backends.PermissionBackend",
]

# --- Sign-in hardening ----------------------------------------------------------------------
# Lockout (django-axes): LOGIN_FAILURE_LIMIT failed sign-ins for one account block that account
# from any address, and as many from one client address block that address for any account, for
# LOGIN_LOCKOUT_MINUTES counted from the last failure (a try during the lockout starts it again).
# A wrong two-factor code counts as a failure too. Attempts are stored in the database (axes'
# AccessAttempt).
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "tickets.auth_views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "tickets.security.client_ip_address"
# A success never wipes failures: with per-address counting, an attacker's own good password
# would otherwise clear the failures they just ran up against someone else's account.
AXES_RESET_ON_SUCCESS = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# The client address is REMOTE_ADDR unless a trusted reverse proxy sets a header: then name it
# (e.g. X-Forwarded-For) and how many proxies of yours append to it. The address taken is the
# one your nearest proxy saw, never what the client wrote into the header itself.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
# Two-factor sign-in (django-otp, TOTP apps such as Aegis, Google Authenticator, 1Password):
# anyone who works cases may enrol at /agent/two-factor/; the login then asks for the code.
# With this on, a supervisor (or superuser) without a device is sent to enrol before anything
# else. Off by default so the demo logins of `make run` work as they are.
TWO_FACTOR_REQUIRED_FOR_SUPERVISORS = env.bool("TWO_FACTOR_REQUIRED_FOR_SUPERVISORS", default=False)
OTP_TOTP_ISSUER = "Aftersales"
# A password checked but no code yet is forgotten after this long.
TWO_FACTOR_PENDING_SECONDS = 300

# --- Who sees which cases -------------------------------------------------------------------
# What an agent sees: "all" cases, "teams" (their teams' cases, cases assigned to them, and
# cases nobody has yet: no team, no assignee) or "own" (cases assigned to them). A group can
# override it in the admin (Case visibility); a user in several groups gets the widest.
# Supervisors and superusers always see every case.
CASE_VISIBILITY = env("CASE_VISIBILITY", default="all")

# --- Content-Security-Policy (django-csp) ---------------------------------------------------
# Scripts and styles come from our own origin only: no inline script, no inline handler, no
# eval. Pico's CSS and Swagger UI draw icons from data: URLs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="UTC")

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Attachments in S3-compatible object storage, shared by every web and worker machine, once a
# bucket is named. Files stay private and are streamed through our own views, which check who
# asks: no public ACL, no signed URLs handed out, and an existing key is never overwritten.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            # Unset: boto3's own chain (instance role, ~/.aws) finds the credentials.
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Evidence uploads (and any attachment): the largest file, the most files on one message, the
# most pixels in one picture, and the largest request body a form with files may send (every
# file at its largest, plus 1 MiB for the form's other fields and the multipart framing).
EVIDENCE_MAX_FILE_BYTES = env.int("EVIDENCE_MAX_FILE_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=10)
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=40_000_000)
EVIDENCE_MAX_BODY_BYTES = env.int(
    "EVIDENCE_MAX_BODY_BYTES",
    default=EVIDENCE_MAX_FILES * EVIDENCE_MAX_FILE_BYTES + 1024 * 1024,
)

# --- Email and SMS --------------------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:25, smtp+tls://…:587 or smtp+ssl://…:465. Unset: every
# message is saved as a file under var/mail, so the embedded mode needs no mail server.
if env("EMAIL_URL", default=""):
    EMAIL_CONFIG = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
    if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        # Django's SMTP backend, telling a message the server took without answering in time
        # from one it never got, so delivery never resends the first blindly.
        EMAIL_BACKEND = "tickets.mail.EmailBackend"
    EMAIL_HOST = EMAIL_CONFIG["EMAIL_HOST"]
    EMAIL_PORT = EMAIL_CONFIG["EMAIL_PORT"]
    EMAIL_HOST_USER = EMAIL_CONFIG["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = EMAIL_CONFIG["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# An email provider's API instead of SMTP, through django-anymail: e.g.
# EMAIL_BACKEND=anymail.backends.mailgun.EmailBackend with ANYMAIL_MAILGUN_API_KEY=… (every
# ANYMAIL_<SETTING> variable becomes ANYMAIL["<SETTING>"], see the inbound email block).
EMAIL_BACKEND = env("EMAIL_BACKEND", default=EMAIL_BACKEND)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Aftersales <support@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env("SMS_BACKEND", default="tickets.sms.FileBackend")
SMS_FILE_PATH = Path(env("SMS_FILE_PATH", default=str(VAR_DIR / "sms")))
# SMS_BACKEND=tickets.sms.TwilioBackend sends through Twilio's Messages API with these.
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env("TWILIO_FROM", default="")
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", default="")
# Seconds to wait for Twilio's answer. A request that got none may still have been sent: the
# text is looked up in Twilio's log before it is ever sent again.
TWILIO_TIMEOUT = env.float("TWILIO_TIMEOUT", default=30.0)
# SMS carry short links, <SMS_LINK_BASE_URL>/s/<code>, so that every text fits one segment
# whatever SITE_URL is. Unset: SITE_URL. A system check refuses a base too long for that.
SMS_LINK_BASE_URL = env("SMS_LINK_BASE_URL", default="").rstrip("/")

# --- Celery ---------------------------------------------------------------------------------
# REDIS_URL unset: Kombu's filesystem transport under var/, so a real worker runs with no Redis.
REDIS_URL = env("REDIS_URL", default="")
CELERY_QUEUE_DIR = Path(env("CELERY_QUEUE_DIR", default=str(VAR_DIR / "celery")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A message not acknowledged within this many seconds is handed out again. It must exceed
    # the longest task (CELERY_TASK_TIME_LIMIT) and every countdown: anything due later than
    # this is a database row picked up by beat, never a long ETA on Redis.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    # Kombu's filesystem transport, with each message written whole before a worker reads it.
    CELERY_BROKER_TRANSPORT = "aftersales.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
        # Kombu polls the folder once a second by default and takes only a prefetch's worth
        # each time: about 2 notifications a second per worker. A tenth of a second keeps
        # `make run` brisk for the price of a cheap directory listing.
        "polling_interval": 0.1,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# At-least-once delivery: a task is acknowledged only after it ran, and a worker that dies
# mid-task gives its message back. Duplicates are harmless because tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ROUTES = {
    "tickets.tasks.notification_deliver": {"queue": "notifications"},
    # Its own queue: a backlog of other work never keeps webhook deliveries waiting.
    "shipments.tasks.tracking_deliveries_ingest": {"queue": "tracking"},
}
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "tickets.tasks.worker_heartbeat", "schedule": 60.0},
    # [returns] Automatic refunds (RETURN_PAYMENT_ADAPTER) whose task never ran: queued again.
    "return-refunds-sweep": {
        "task": "returns.tasks.refunds_sweep",
        "schedule": 5 * 60.0,
        "options": {"expires": 4 * 60},
    },
    "cases-autoclose": {"task": "tickets.tasks.cases_autoclose", "schedule": 15 * 60.0},
    "notifications-sweep": {"task": "tickets.tasks.notifications_sweep", "schedule": 30.0},
    "sla-breaches-alert": {"task": "tickets.tasks.sla_breaches_alert", "schedule": 5 * 60.0},
    # [shipments] Detection of late, stalled and lost parcels: a pass reads only the shipments
    # due for a look, so running it often is cheap. Two passes at once are harmless (findings
    # are unique, announcing skips locked rows); a pass left waiting in the queue expires.
    "shipment-issues-detect": {
        "task": "shipments.tasks.shipment_issues_detect",
        "schedule": 10 * 60.0,
        "options": {"expires": 9 * 60},
    },
    # [shipments] EasyPost and AfterShip deliveries wait for a task the first of them queues;
    # this takes any left behind by a worker that stopped.
    # [shipments] Open insurance claims filed through a provider (not manual) are asked where
    # they stand; a payout is booked on the case as soon as the provider reports it paid.
    "shipment-claims-refresh": {
        "task": "shipments.tasks.shipment_claims_refresh",
        "schedule": 60 * 60.0,
        "options": {"expires": 55 * 60},
    },
    "tracking-deliveries-ingest": {
        "task": "shipments.tasks.tracking_deliveries_ingest",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}

# --- Cache (API throttling, the pickers' staff, permission sets, sessions) -------------------
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "aftersales.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cache",
        }
    }
    # Every signed-in request reads its session: from Redis, the database only on a miss. Not
    # without Redis: each process's own memory would keep a session another signed out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # ApiKeyAuthentication first: its `WWW-Authenticate: Bearer` turns "not signed in" into 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tickets.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tickets.api.permissions.ApiAccess"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "tickets.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["tickets.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env("API_THROTTLE_RATE", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "tickets.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "tickets.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Lists stay as fast at a million rows as at a hundred (README, "Lists"): `count` is exact up
# to LIST_COUNT_CAP rows and PostgreSQL's estimate beyond; `?page=N` reaches rows up to
# LIST_PAGE_MAX_ROWS deep (an OFFSET reads every row it skips), cursors (`next`) any depth.
LIST_COUNT_CAP = env.int("LIST_COUNT_CAP", default=1000)
LIST_PAGE_MAX_ROWS = env.int("LIST_PAGE_MAX_ROWS", default=10_000)
# The dashboard counts resolved and closed cases exactly up to this many, then estimates.
HOME_COUNT_CAP = env.int("HOME_COUNT_CAP", default=1000)
SPECTACULAR_SETTINGS = {
    "TITLE": "Aftersales API",
    "DESCRIPTION": (
        "Cases, customers and orders of Aftersales. Authenticate with "
        "`Authorization: Bearer <API key>`; read keys may only read."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "tickets.models.Case.Kind",
        "CaseStatusEnum": "tickets.models.Case.Status",
        "CaseTargetStatusEnum": "tickets.api.serializers.TRANSITION_TARGETS",
        "CasePriorityEnum": "tickets.models.Case.Priority",
        "CaseChannelEnum": "tickets.models.Case.Channel",
        "MessageAuthorEnum": "tickets.models.Message.Author",
        "MessageVisibilityEnum": "tickets.models.Message.Visibility",
        "CompensationKindEnum": "tickets.models.Compensation.Kind",
        "CompensationStatusEnum": "tickets.models.Compensation.Status",
        "CurrencyEnum": "tickets.api.serializers.common.CURRENCY_CHOICES",
        "CountryEnum": "tickets.api.serializers.common.COUNTRY_CHOICES",
        "ShipmentStatusEnum": "shipments.models.ShipmentStatus",
        "ShipmentDirectionEnum": "shipments.models.Shipment.Direction",
        "ShipmentServiceLevelEnum": "shipments.models.Shipment.ServiceLevel",
    },
}
# Largest JSON body the API accepts (a batch of 1,000 orders fits well within it).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)

# --- Integrations ---------------------------------------------------------------------------
# The shop's webhook signing secret (Shopify admin → Settings → Notifications → Webhooks).
# Unset: the Shopify webhook refuses every delivery.
SHOPIFY_WEBHOOK_SECRET = env("SHOPIFY_WEBHOOK_SECRET", default="")
# Tracking webhooks (README, "Shipments: tracking intake"): EasyPost's webhook secret, the
# AfterShip webhook secret (AfterShip → Settings → Webhooks), and ours for the generic
# webhook. Unset: that webhook refuses every delivery.
EASYPOST_WEBHOOK_SECRET = env("EASYPOST_WEBHOOK_SECRET", default="")
AFTERSHIP_WEBHOOK_SECRET = env("AFTERSHIP_WEBHOOK_SECRET", default="")
TRACKING_WEBHOOK_SECRET = env("TRACKING_WEBHOOK_SECRET", default="")

# --- Notifications --------------------------------------------------------------------------
# Sending attempts before a notification is marked failed (a worker killed mid-send counts).
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
# A pending notification untouched this long is enqueued again by the sweeper (a lost broker
# message delays a notification by about this much, never drops it).
NOTIFICATION_SWEEP_AFTER_SECONDS = env.int("NOTIFICATION_SWEEP_AFTER_SECONDS", default=60)
# [delivery] A worker sending a notification holds it this long; a killed one lets it go after.
# Keep it above the longest send (CELERY_TASK_TIME_LIMIT), or a slow send may go out twice.
NOTIFICATION_CLAIM_SECONDS = env.int(
    "NOTIFICATION_CLAIM_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60
)
# [delivery] First retry after a transient failure; each further one waits twice as long.
NOTIFICATION_BACKOFF_BASE_SECONDS = env.int("NOTIFICATION_BACKOFF_BASE_SECONDS", default=30)
# SMS are held between these local hours (customer's time zone); email goes at once.
SMS_QUIET_HOURS = (21, 8)
# Replies to notification email go to reply+<signed token>@REPLY_DOMAIN and back to the case.
REPLY_DOMAIN = env("REPLY_DOMAIN", default="localhost")

# --- Inbound email --------------------------------------------------------------------------
# Customers' replies come back through an email provider's inbound webhook, normalised by
# django-anymail, at /webhooks/email/<provider>/inbound/, and/or from a polled IMAP mailbox.
INSTALLED_APPS += ["anymail"]
ANYMAIL = {
    # HTTP basic auth "user:password" the provider puts in the webhook URL; several, comma-
    # separated, while rotating. Providers that sign nothing (Postmark, SendGrid, SparkPost,
    # Mailjet) are refused while it is unset.
    "WEBHOOK_SECRET": env.list("ANYMAIL_WEBHOOK_SECRET", default=[]),
}
# Any other anymail setting for the provider in use, by the ANYMAIL_ prefix:
# ANYMAIL_MAILGUN_API_KEY → ANYMAIL["MAILGUN_API_KEY"], ANYMAIL_POSTMARK_SERVER_TOKEN → …
ANYMAIL.update(
    (name.removeprefix("ANYMAIL_"), value)
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and name != "ANYMAIL_WEBHOOK_SECRET"
)
# Mailgun signs its posts (Mailgun → Sending → Webhooks → HTTP webhook signing key). Unset:
# the Mailgun webhook refuses every post (an empty key would let anyone sign).
if env("MAILGUN_WEBHOOK_SIGNING_KEY", default=""):
    ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = env("MAILGUN_WEBHOOK_SIGNING_KEY")
# imaps://user:password@host:993/INBOX (user and password percent-encoded; imap://…:143 must
# offer STARTTLS). Unset: no polling. Set: beat polls it every minute for unseen mail.
IMAP_URL = env("IMAP_URL", default="")
if IMAP_URL:
    if not IMAP_URL.startswith(("imaps://", "imap://")):
        raise ImproperlyConfigured("IMAP_URL must look like imaps://user:password@host:993/INBOX")
    CELERY_BEAT_SCHEDULE["inbound-mail-poll"] = {
        "task": "tickets.tasks.inbound_mail_poll",
        "schedule": 60.0,
        # A poll that waited a minute in the queue is stale: the next one is already due.
        "options": {"expires": 55},
    }

# --- Aftersales tunables --------------------------------------------------------------------
BASE_CURRENCY = env("BASE_CURRENCY", default="EUR")
# Compensation above this amount in BASE_CURRENCY waits for a supervisor's approval.
COMPENSATION_APPROVAL_THRESHOLD = Decimal(env("COMPENSATION_APPROVAL_THRESHOLD", default="100.00"))
# A resolved case with no activity for this many days is closed automatically.
CASE_AUTOCLOSE_DAYS = env.int("CASE_AUTOCLOSE_DAYS", default=7)
# [sla] The breach scan looks this far back for targets that fell due (beat runs it every few
# minutes; the window only needs to outlast a worker outage).
SLA_ALERT_LOOKBACK_HOURS = env.int("SLA_ALERT_LOOKBACK_HOURS", default=24)
# The rating links of a resolution email work for this many days (and only while the case stays
# resolved: closing or reopening it voids them sooner).
RATING_LINK_MAX_AGE_DAYS = env.int("RATING_LINK_MAX_AGE_DAYS", default=30)
CASE_NUMBER_PREFIX = env("CASE_NUMBER_PREFIX", default="AS")

# [shipments] Orders placed this many days ago at most are checked for "not dispatched" when
# they have no shipment at all (older ones were fulfilled outside tracking); 0 turns it off.
SHIPMENT_DISPATCH_LOOKBACK_DAYS = env.int("SHIPMENT_DISPATCH_LOOKBACK_DAYS", default=14)
# [shipments] An announcing task (queued by detection) announces at most this many new findings
# (case, timeline, customer notification), then queues the next task while more wait.
SHIPMENT_ANNOUNCE_LIMIT = env.int("SHIPMENT_ANNOUNCE_LIMIT", default=2000)

# [returns] Abuse signals: a customer whose return requests reach this share of their orders
# (with at least RETURNS_ABUSE_MIN_RETURNS of them), or who had this many claims rejected, is
# flagged for an agent's review instead of auto-approval.
RETURNS_ABUSE_RATE = Decimal(env("RETURNS_ABUSE_RATE", default="0.5"))
RETURNS_ABUSE_MIN_RETURNS = env.int("RETURNS_ABUSE_MIN_RETURNS", default=3)
RETURNS_ABUSE_REJECTED = env.int("RETURNS_ABUSE_REJECTED", default=2)

# --- Customer portal ------------------------------------------------------------------------
# A portal session ends after this long without a request, and this long after signing in.
PORTAL_SESSION_IDLE_SECONDS = env.int("PORTAL_SESSION_IDLE_SECONDS", default=30 * 60)
PORTAL_SESSION_MAX_SECONDS = env.int("PORTAL_SESSION_MAX_SECONDS", default=12 * 60 * 60)
# A magic link works this long after it is sent, once.
PORTAL_LINK_MAX_AGE_SECONDS = env.int("PORTAL_LINK_MAX_AGE_SECONDS", default=10 * 60)
# Link requests an hour, per email address and per client address (CLIENT_IP_HEADER).
PORTAL_LINK_LIMIT_PER_EMAIL = env.int("PORTAL_LINK_LIMIT_PER_EMAIL", default=5)
PORTAL_LINK_LIMIT_PER_IP = env.int("PORTAL_LINK_LIMIT_PER_IP", default=20)

# --- Shipments: polling adapters (shipments/adapters) ----------------------------------------
# Carrier code → the adapter class that polls its tracking; carriers without one are tracked by
# webhooks and the API only. The simulator drives the demo and the tests.
SHIPMENTS_POLL_ADAPTERS = {"simulator": "shipments.adapters.simulator.SimulatorAdapter"}
# Beat polls every SHIPMENTS_POLL_EVERY_SECONDS; each run asks about at most
# SHIPMENTS_POLL_BATCH shipments per carrier, those not updated for the carrier's poll interval.
SHIPMENTS_POLL_EVERY_SECONDS = env.int("SHIPMENTS_POLL_EVERY_SECONDS", default=5 * 60)
SHIPMENTS_POLL_BATCH = env.int("SHIPMENTS_POLL_BATCH", default=200)
# After an adapter error the carrier pauses SHIPMENTS_POLL_BACKOFF_MINUTES, doubled for each
# further error in a row, at most SHIPMENTS_POLL_BACKOFF_MAX_MINUTES.
SHIPMENTS_POLL_BACKOFF_MINUTES = env.int("SHIPMENTS_POLL_BACKOFF_MINUTES", default=5)
SHIPMENTS_POLL_BACKOFF_MAX_MINUTES = env.int("SHIPMENTS_POLL_BACKOFF_MAX_MINUTES", default=6 * 60)
CELERY_BEAT_SCHEDULE["shipments-poll"] = {
    "task": "shipments.tasks.shipments_poll",
    "schedule": float(SHIPMENTS_POLL_EVERY_SECONDS),
    # A poll that waited longer than its period in the queue is stale: the next one is due.
    "options": {"expires": SHIPMENTS_POLL_EVERY_SECONDS - 5},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # A portal magic link's path holds its token: the loggers that name a request's path
    # (a 4xx, a CSRF refusal, runserver's request lines) write it as /portal/link/…/.
    "filters": {"portal_link_tokens": {"()": "tickets.portal.log_filters.RedactPortalLinkTokens"}},
    # django-axes logs every sign-in at INFO; lockouts and failures are WARNING and stay.
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["portal_link_tokens"]},
        "django.security.csrf": {"filters": ["portal_link_tokens"]},
        "django.server": {"filters": ["portal_link_tokens"]},
    },
}

# --- shipments: lost parcels and insurance claims ---
# Who files insurance claims: "manual" (an agent records the provider's answers) or "easypost"
# (EasyPost's claims API, with EASYPOST_API_KEY).
SHIPMENT_CLAIMS_ADAPTER = env("SHIPMENT_CLAIMS_ADAPTER", default="manual")
EASYPOST_API_KEY = env("EASYPOST_API_KEY", default="")

# --- shipments: labels (shipments/labels) ---
# Who issues prepaid labels: "self_issued" (our own tracking number on the simulated carrier,
# the demo's default) or "easypost" (EasyPost's shipments API, with EASYPOST_API_KEY).
LABEL_ADAPTER = env("LABEL_ADAPTER", default="self_issued")
# A label is valid this many days after it is issued, unless the caller says otherwise (a
# return policy's label validity).
LABEL_VALID_DAYS = env.int("LABEL_VALID_DAYS", default=28)
# Where returns go: the shop's warehouse, printed on every return label. Each part can be set
# from the environment; the default is the demo shop's.
# How refunds of returns are paid: "manual" (an agent refunds in the shop and confirms with its
# reference) or "shopify" (Shopify's Admin REST API, with SHOPIFY_SHOP_DOMAIN and
# SHOPIFY_ADMIN_TOKEN).
RETURN_PAYMENT_ADAPTER = env("RETURN_PAYMENT_ADAPTER", default="manual")
# The shop's promise from a return parcel's arrival to the refund paid, shown to agents.
RETURN_REFUND_SLA_HOURS = env.int("RETURN_REFUND_SLA_HOURS", default=48)
SHOP_RETURN_ADDRESS = {
    "name": env("SHOP_RETURN_NAME", default="Aftersales Demo Shop – Returns"),
    "line1": env("SHOP_RETURN_LINE1", default="Lagerstraße 12"),
    "line2": env("SHOP_RETURN_LINE2", default="Tor 3"),
    "city": env("SHOP_RETURN_CITY", default="Leipzig"),
    "postcode": env("SHOP_RETURN_POSTCODE", default="04109"),
    "region": env("SHOP_RETURN_REGION", default=""),
    "country": env("SHOP_RETURN_COUNTRY", default="DE"),
    "phone": env("SHOP_RETURN_PHONE", default=""),
    "email": env("SHOP_RETURN_EMAIL", default=""),
}

# --- wrong items (wrong_items) ---
# A wrong item worth less than this (in the order's currency, unit price of the ordered line)
# is suggested to be kept rather than returned: the return label would cost more.
WRONG_ITEM_KEEP_THRESHOLD = Decimal(env("WRONG_ITEM_KEEP_THRESHOLD", default="25.00"))
# Where discount codes are pushed: "manual" (an agent enters the code in the shop) or "shopify"
# (Shopify's Admin REST API price rule + discount code, with SHOPIFY_SHOP_DOMAIN and
# SHOPIFY_ADMIN_TOKEN).
WRONG_ITEM_DISCOUNT_ADAPTER = env("WRONG_ITEM_DISCOUNT_ADAPTER", default="manual")
SHOPIFY_SHOP_DOMAIN = env("SHOPIFY_SHOP_DOMAIN", default="")
SHOPIFY_ADMIN_TOKEN = env("SHOPIFY_ADMIN_TOKEN", default="")
SHOPIFY_API_VERSION = env("SHOPIFY_API_VERSION", default="2024-10")
# A discount code is valid this many days unless the agent sets its expiry.
WRONG_ITEM_DISCOUNT_VALID_DAYS = env.int("WRONG_ITEM_DISCOUNT_VALID_DAYS", default=90)
WRONG_ITEM_APOLOGY_MACRO = env("WRONG_ITEM_APOLOGY_MACRO", default="Wrong item: apology")
# For an order whose total is below this (in BASE_CURRENCY), the moment a wrong item is
# reported the case gets a proposal waiting for one agent click: the customer's preference (the
# right item by express, or a refund) plus a discount code of WRONG_ITEM_PROPOSED_DISCOUNT
# percent. 0 turns proposals off.
WRONG_ITEM_PROPOSE_BELOW = Decimal(env("WRONG_ITEM_PROPOSE_BELOW", default="150.00"))
WRONG_ITEM_PROPOSED_DISCOUNT = Decimal(env("WRONG_ITEM_PROPOSED_DISCOUNT", default="10"))
