"""Settings, read from the environment (django-environ). The same code runs everywhere.

PORTAL_ENV picks the defaults: ``development`` (``make run``: SQLite, a filesystem Celery
broker, mail to files) or ``production`` (everything secure, secrets required).
DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and Redis.
"""

import contextlib
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from portal.storage_settings import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
PORTAL_ENV = env.str("PORTAL_ENV", default="development")
PRODUCTION = PORTAL_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-" + "x" * 40)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo accounts exist only where the demo seeding runs; production refuses to seed them.
DEMO_SEEDING_ALLOWED = not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "health_check",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    # Two-factor sign-in (portal/twofactor/): an authenticator app's TOTP codes, and one-time
    # recovery codes kept as a static device.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "agencies",
    "csos",
    "contracts",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second step (django-otp); then the
    # portal's rule: who must enrol, who must give the code first (portal/twofactor/).
    "django_otp.middleware.OTPMiddleware",
    "portal.twofactor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.middleware.WorkflowErrorMiddleware",
    "portal.middleware.ApiRequestLogMiddleware",
    "portal.idle.IdleSessionMiddleware",
    # Turns a sign-in that django-axes flagged as locked out into the lock page.
    "axes.middleware.AxesMiddleware",
    # Last, right around the view: answers for visitors not signed in (portal/page_cache.py).
    "portal.page_cache.PageCacheMiddleware",
]

# django-axes first: it refuses any password check (web form, admin, API token) while the
# username or the address is locked. Then the portal's backend: Django's password check, and
# no web session for an API client account (portal/auth_backends.py; the form says so).
PORTAL_AUTH_BACKEND = "portal.auth_backends.PortalBackend"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", PORTAL_AUTH_BACKEND]

# Brute-force locks (django-axes, portal/lockouts/): failed sign-ins are counted per username
# and per address over the cool-off; successful ones never count. A username is locked after
# SIGNIN_USER_FAILURE_LIMIT failures, an address (many colleagues behind one NAT) only after
# SIGNIN_ADDRESS_FAILURE_LIMIT failures for any usernames. A lock ends after the cool-off, on a
# password reset by email, or when staff lift it (audited).
SIGNIN_USER_FAILURE_LIMIT = env.int("SIGNIN_USER_FAILURE_LIMIT", default=5)
SIGNIN_ADDRESS_FAILURE_LIMIT = env.int("SIGNIN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_HANDLER = "portal.lockouts.handler.PortalLockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = SIGNIN_USER_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGNIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_CALLABLE = "portal.lockouts.handler.lockout_response"
AXES_CLIENT_STR_CALLABLE = "portal.lockouts.handler.client_str"
AXES_CLIENT_IP_CALLABLE = "portal.lockouts.handler.client_address"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not the lock's business
AXES_ENABLE_ADMIN = False  # locks are lifted on the staff page, which audits it
AXES_SENSITIVE_PARAMETERS = ["password", "otp", "otp_token", "token"]
AXES_VERBOSE = False

# Personal API tokens expire (API client accounts' tokens are rotated by staff instead).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
# Staff, committee reviewers and agency officers are signed out after this much inactivity
# (a working day); other people keep Django's session age.
# Where sessions live: the database by default; with several web replicas behind one
# proxy, ``django.contrib.sessions.backends.cached_db`` reads them from the shared cache
# (Redis) and writes them through to the database (docker-compose.yml sets it).
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=8 * 60 * 60)

# Two-factor sign-in (portal/twofactor/). The name people see in their authenticator app; a
# wrong code waits 2, 4, 8 … seconds before the next try (per device, django-otp's own
# throttling), so guessing six digits is hopeless; the device keys stay hidden in the admin.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Co-production Portal")
OTP_TOTP_THROTTLE_FACTOR = env.int("OTP_THROTTLE_FACTOR", default=2)
OTP_STATIC_THROTTLE_FACTOR = env.int("OTP_THROTTLE_FACTOR", default=2)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
            "builtins": ["portal.templatetags.portal"],
        },
    }
]

# Form widgets render through the site's template engine, so templates/django/forms/ can
# replace Django's own: the <select> there writes its options inline, where Django's includes
# a template per option (a filter form's 350 agencies and 77 provinces cost a list page
# about a third of its time).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves the web, a Celery worker and beat at once: writers wait
    # for the lock (and take it at BEGIN) instead of failing with "database is locked".
    DATABASES["default"].setdefault(
        "OPTIONS",
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    )
# In production each web and worker process keeps its PostgreSQL connection between requests
# (opening one costs a signed-in page about a third of its time), checked before reuse.
_PERSISTENT = PRODUCTION and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
DATABASES["default"].setdefault(
    "CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if _PERSISTENT else 0)
)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-work"  # "what needs you" (portal/home/)
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first, English second.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Several hosts share no volume: with S3_BUCKET set, uploads and the open-data files go to
# S3-compatible storage (portal/storage_settings.py).
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = s3_storage(
        bucket=S3_BUCKET,
        endpoint_url=env.str("S3_ENDPOINT_URL", default=""),
        region=env.str("S3_REGION", default=""),
        access_key=env.str("S3_ACCESS_KEY_ID", default=""),
        secret_key=env.str("S3_SECRET_ACCESS_KEY", default=""),
        prefix=env.str("S3_PREFIX", default=""),
    )

# Uploads: documents are checked by content and size in csos.uploads; the request itself
# may carry one 10 MB file plus form fields.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Documents one registration or proposal may hold, and what one organisation keeps in all.
MAX_DOCUMENTS_PER_OBJECT = env.int("MAX_DOCUMENTS_PER_OBJECT", default=20)
# Expenses may exceed a budget line by this share of it (percent); moving more money between
# lines needs a variation of the agreement.
BUDGET_LINE_TOLERANCE_PERCENT = env.int("BUDGET_LINE_TOLERANCE_PERCENT", default=10)

# The open data's licence (its canonical URL, in both packages) and, for OCDS, the
# publication policy: the portal's own /open-data/ page unless another URL is given.
OPEN_DATA_LICENSE = env.str(
    "OPEN_DATA_LICENSE", default="https://creativecommons.org/licenses/by/4.0/"
)
OPEN_DATA_PUBLICATION_POLICY = env.str("OPEN_DATA_PUBLICATION_POLICY", default="")
# The open-data files are built in the background and served as files. One that built in
# less than this many seconds is rebuilt in the request that finds it out of date (so a small
# portal always serves current data); a bigger one is served as it stands while the worker
# builds the next (within a minute or so of the change).
OPEN_DATA_INLINE_BUILD_SECONDS = env.float("OPEN_DATA_INLINE_BUILD_SECONDS", default=1.0)
MAX_UPLOAD_BYTES_PER_ORGANISATION = env.int(
    "MAX_UPLOAD_BYTES_PER_ORGANISATION", default=200 * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
API_MAX_JSON_DEPTH = 64  # arrays and objects inside one another in an API body
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@coproduction.go.th")
# Invitations to join an organisation or an agency expire after this many days.
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=14)
# Links in emails point here.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Shown on the help and privacy pages: where people ask for help or exercise their PDPA rights.
PORTAL_CONTACT_EMAIL = env.str("PORTAL_CONTACT_EMAIL", default="help@coproduction.go.th")
# Password reset links stay valid this long (Django's default is 3 days).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 60 * 60)

# `make run` serves with DEBUG off (a visitor never sees Django's debug page); WhiteNoise then
# serves static/ directly (finders) where there is no collectstatic copy.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Celery: Redis when CELERY_BROKER_URL is set; otherwise the filesystem transport, a broker
# that needs no server and is shared by the web process, the worker and beat.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    for _folder in ("queue", "processed", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# Beat writes its schedule there whatever the broker: without the folder it dies at start.
# (On a read-only file system this is skipped; `serve` makes the folder too.)
with contextlib.suppress(OSError):
    Path(CELERY_BEAT_SCHEDULE_FILENAME).parent.mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "portal.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=0),
    },
    "close-due-calls": {
        "task": "contracts.tasks.close_due_calls",
        "schedule": crontab(minute="*/5"),
    },
    "sweep-notices": {
        "task": "portal.tasks.sweep_notices",
        "schedule": crontab(minute="*/10"),
    },
    # Grievances: answered ones close after 10 quiet working days; personal data goes
    # GRIEVANCE_PERSONAL_DATA_DAYS after closing. (Late steps are told by the notices' sweep.)
    "sweep-grievances": {
        "task": "assessments.grievances.tasks.sweep_grievances",
        "schedule": crontab(minute=15),
    },
    "purge-api-records": {
        "task": "portal.tasks.purge_api_records",
        "schedule": crontab(hour=3, minute=30),
    },
    # The open-data files: rebuilt once the data behind them changed (one query if not).
    "refresh-open-data": {
        "task": "contracts.open_data.refresh",
        "schedule": crontab(minute="*"),
    },
    # Consultations whose period has ended stop taking answers and contributions.
    "close-ended-consultations": {
        "task": "agencies.consultations.tasks.close_ended_consultations",
        "schedule": crontab(minute="*/5"),
    },
}
# Verifying a citizen's email address (portal/verification): the link's life, and how often
# a person may ask for a new one (besides one a minute).
EMAIL_VERIFICATION_DAYS = env.int("EMAIL_VERIFICATION_DAYS", default=3)
EMAIL_VERIFICATION_RATE = env.str("EMAIL_VERIFICATION_RATE", default="5/day")
# Questions a person may suggest to agencies' FAQs (agencies/faqs).
FAQ_SUGGESTION_RATE = env.str("FAQ_SUGGESTION_RATE", default="5/day")
# Per-account allowances in consultations (portal/rates.py): posts, agree/disagree, reports.
PARTICIPATION_CONTRIBUTION_RATE = env.str("PARTICIPATION_CONTRIBUTION_RATE", default="20/hour")
PARTICIPATION_REACTION_RATE = env.str("PARTICIPATION_REACTION_RATE", default="200/hour")
PARTICIPATION_REPORT_RATE = env.str("PARTICIPATION_REPORT_RATE", default="20/day")
# A grievance's personal data (the citizen's name, contact, account of events, replies and
# attachments) is erased this many days after it closes; its statistics stay.
GRIEVANCE_PERSONAL_DATA_DAYS = env.int("GRIEVANCE_PERSONAL_DATA_DAYS", default=730)
# Idempotency records and the API request log are kept this long, then purged (beat).
API_RECORDS_RETENTION_DAYS = env.int("API_RECORDS_RETENTION_DAYS", default=90)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.tokens.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone, except that an API client acts only within its scopes (views that set their
    # own permission_classes list ClientScopes too).
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.access.ClientScopes"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "portal.lists.SearchFilter",
        "portal.api.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    # JSON nested deeper than API_MAX_JSON_DEPTH is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.access.ClientRateThrottle",
        "portal.api.access.AnonAddressThrottle",
        "portal.api.access.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "register": env.str("THROTTLE_REGISTER", default="20/hour"),
        # Grievances filed from one address, on the web and through the API together.
        "grievance": env.str("THROTTLE_GRIEVANCE", default="10/hour"),
        # Poll votes from one address (agencies/polls/api).
        "poll_vote": env.str("THROTTLE_POLL_VOTE", default="60/hour"),
        "client": env.str("THROTTLE_CLIENT", default="600/minute"),
        "anon": env.str("THROTTLE_ANON", default="120/minute"),
        "user": env.str("THROTTLE_USER", default="600/minute"),
    },
    # How many proxies in front add to X-Forwarded-For; 0 trusts only the socket address.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Co-production Portal API",
    "DESCRIPTION": (
        "REST API of the Co-production Portal: agencies, missions and their suitability, "
        "the CSO registry of the National Committee, calls, proposals and agreements. "
        "Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/). "
        'Every 4xx answer has the shape {"error": {"code", "message", "fields"}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI served from our own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.document_common_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "agencies.models.Agency.Kind",
        "DocumentKindEnum": "csos.models.CSODocument.Kind",
        "CSOStatusEnum": "csos.models.CSO.Status",
        "CallStatusEnum": "contracts.calls.models.Call.Status",
        "CallStagesEnum": "contracts.calls.models.CALL_STAGES",
        "ProposalStageEnum": "contracts.proposals.models.ProposalStage",
        "ProposalStatusEnum": "contracts.proposals.models.Proposal.Status",
        "ReviewStatusEnum": "contracts.proposals.models.ReviewStatus",
        "PartStateEnum": "contracts.proposals.api.PART_STATES",
        "SelectionCriterionEnum": "portal.reference.SelectionCriterion",
        "InstrumentEnum": "contracts.calls.models.Instrument",
        "AgreementStatusEnum": "contracts.agreements.models.AgreementStatus",
        "EvaluationKindEnum": "contracts.agreements.models.EvaluationKind",
        "TimingEnum": "contracts.agreements.models.EvaluationTiming",
        "DeadlineKindEnum": "contracts.agreements.api.serializers.DEADLINE_KINDS",
        "GrievanceKindEnum": "assessments.grievances.models.Grievance.Kind",
        "GrievanceStatusEnum": "assessments.grievances.models.GrievanceStatus",
        "ServiceCategoryEnum": "portal.reference.ServiceCategory",
        "ConsultationStatusEnum": "agencies.consultations.models.Consultation.Status",
        "QuestionKindEnum": "agencies.consultations.models.Question.Kind",
        "ContributionKindEnum": "agencies.consultations.models.Contribution.Kind",
        "ContributionStatusEnum": "agencies.consultations.models.Contribution.Status",
        "HiddenReasonEnum": "agencies.consultations.models.Contribution.HiddenReason",
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
# How long an answer for visitors not signed in is kept at most (portal/page_cache.py); it is
# dropped sooner when a table it shows is written. 0 turns the cache off. Off by default with a
# per-process cache: a write in another process (the worker) would not reach it.
PAGE_CACHE_SECONDS = env.int(
    "PAGE_CACHE_SECONDS", default=60 if env.str("CACHE_URL", default="") else 0
)
# Whether every process sees the same table versions (portal/page_cache.py): with a shared
# cache, the open-data files are fingerprinted by them instead of by counting rows.
TABLE_VERSIONS_SHARED = bool(env.str("CACHE_URL", default=""))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # A failing health check is answered by /health/ (503); no traceback per poll.
        "health_check": {"level": "ERROR"},
    },
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp): scripts, styles, fonts and requests
# only from the portal itself and never inline, so markup injected into a page cannot run or
# restyle it. Pages put behaviour in static/js and looks in static/css
# (tests/portal/test_csp.py scans the templates). The Django admin needs no exception, nor
# /api/docs/ (drf-spectacular's split Swagger view, portal/urls.py). The one exception, styles
# on DRF's browsable API pages only, is in portal.middleware.ContentSecurityPolicyMiddleware;
# another ever needed goes on its view (csp.decorators.csp_update), never in this policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# /health/ fails when the last completed deadline sweep is this many minutes late.
HEALTH_SWEEP_LATE_MINUTES = env.int("HEALTH_SWEEP_LATE_MINUTES", default=30)
