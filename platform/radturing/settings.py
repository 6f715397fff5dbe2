"""RadTuring settings: one file, every deployment choice read from the environment.

Defaults give the embedded single-machine set-up (SQLite, a filesystem Celery broker under var/).
Deployments set DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=false.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from radturing.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parents[2]  # the repository root
VAR_DIR = BASE_DIR / env_str("VAR_DIR", "var")  # a relative path is taken from the repository root

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG=false")
    # Development only: one random key per checkout, kept so that sessions survive restarts.
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "accounts",
    "imaging",
    "generation",
    "teaching",
    "studies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "radturing.urls"
WSGI_APPLICATION = "radturing.wsgi.application"
ASGI_APPLICATION = "radturing.asgi.application"

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
                "accounts.navigation.navigation",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'radturing.sqlite3'}")
try:
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Django understands: {exc}") from None
if DATABASES["default"].get("ENGINE") not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres://, got {_database_url.split(':', 1)[0]}://"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server and worker write concurrently. WAL lets readers go on while one writes; IMMEDIATE
    # takes the write lock when a transaction begins, so a read-then-write block waits `timeout`
    # for it instead of failing at once on the upgrade (SQLite never waits there, to avoid deadlock).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=30, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    # Tests use a file as well, not Django's shared-cache in-memory default, whose table locks fail
    # at once instead of waiting: the worker thread and the test must lock the way production does.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(VAR_DIR / "test-databases" / "radturing"))
    Path(DATABASES["default"]["TEST"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.RoleAwareBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_TTL = timedelta(days=env_int("INVITATION_TTL_DAYS", 14))
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "radturing@localhost")

# --- internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and media files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"  # never served publicly: images go through permission-checked views
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `collectstatic` first; tests and DEBUG serve them as they are.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATICFILES_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- imaging: uploads, quarantine, limits (see platform/imaging/ingest.py) ------------------
# Uploaded bytes wait in quarantine until ingested; originals are kept (owner's opt-in only) in a
# separate private folder. Both must be shared by the web and worker processes. Empty = under MEDIA_ROOT.
IMAGING_QUARANTINE_ROOT = env_str("IMAGING_QUARANTINE_ROOT", "")
IMAGING_ORIGINALS_ROOT = env_str("IMAGING_ORIGINALS_ROOT", "")
IMAGING_MAX_UPLOAD_BYTES = env_int("IMAGING_MAX_UPLOAD_BYTES", 2 * 1024**3)  # one upload, all files
IMAGING_MAX_FILE_BYTES = env_int("IMAGING_MAX_FILE_BYTES", 1024**3)  # one file (or zip)
# Values one file may decode to (Rows x Columns x Frames x Samples; PNG/TIFF width x height x pages),
# checked before decoding. 0 = the engine's default, 89,478,485 (Pillow's MAX_IMAGE_PIXELS); read
# only through imaging.decoding.pixel_limit().
IMAGING_MAX_PIXELS = env_int("IMAGING_MAX_PIXELS", 0)
IMAGING_ZIP_MAX_MEMBERS = env_int("IMAGING_ZIP_MAX_MEMBERS", 5000)
IMAGING_ZIP_MAX_TOTAL_BYTES = env_int("IMAGING_ZIP_MAX_TOTAL_BYTES", 4 * 1024**3)  # uncompressed
IMAGING_ZIP_MAX_RATIO = env_int("IMAGING_ZIP_MAX_RATIO", 200)  # uncompressed / compressed, per member
# Quarantined bytes of uploads never submitted, or whose ingest failed or was cancelled, are deleted after this.
IMAGING_QUARANTINE_MAX_AGE_HOURS = env_int("IMAGING_QUARANTINE_MAX_AGE_HOURS", 72)

# --- security (production values whenever DEBUG is off) -----------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RadTuring API",
    "DESCRIPTION": "Synthetic radiology teaching cases and visual Turing-test reader studies.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc are served from the sidecar package: these machines are offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the training-source choices, used both by GanModel and by the training request.
    "ENUM_NAME_OVERRIDES": {"TrainingSourceEnum": "generation.models.TrainingSource"},
}

# --- Celery -------------------------------------------------------------------------------
# The Job table is the source of truth; the broker is only a doorbell (see core/jobs.py).
# The queues `manage.py worker` consumes: `gpu` (training, generation, evaluation) and `default`
# (ingest, analysis, exports, the reaper). `job_task` refuses a task declared on any other.
JOB_QUEUES = ("default", "gpu")
CELERY_TASK_QUEUES = tuple(Queue(name) for name in JOB_QUEUES)
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT = "core.broker:AtomicFilesystemTransport"  # atomic writes (see core/broker.py)
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),  # broadcast (pidbox) messages; default is ./control
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 6 * 3600)}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"  # the reaper, the quarantine purge
CELERY_TASK_ROUTES = ("core.jobs.route_task",)  # job tasks: the queue `job_task` declared
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "reap-orphaned-jobs": {"task": "core.reap_orphaned_jobs", "schedule": 60.0, "options": {"queue": "default"}},
    "purge-stale-quarantine": {"task": "imaging.purge_stale_quarantine", "schedule": 3600.0,
                               "options": {"queue": "default"}},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Jobs: a running job whose heartbeat is older than this is taken as orphaned (worker died).
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 15)
JOB_STALE_AFTER_SECONDS = env_int("JOB_STALE_AFTER_SECONDS", 120)
# A running job looks for its owner's cancel at most this often.
JOB_CANCEL_CHECK_SECONDS = 2
# A queued job whose message was lost (filesystem broker, killed worker) is re-sent after this.
JOB_REQUEUE_AFTER_SECONDS = env_int("JOB_REQUEUE_AFTER_SECONDS", 600)

# `manage.py seed_demo` calls each of these (dotted paths) with stdout=... to add an app's demo data.
DEMO_SEED_HOOKS = [
    "generation.seeding.register_demo_model",  # the shipped checkpoints in the model registry
    "generation.seeding.queue_demo_generations",  # cases from it, ready when the worker starts
    "studies.demo.seed_demo_study",  # a reader study on its images, with simulated readers' ratings
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
