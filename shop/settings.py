"""Terroir Souk settings.

Everything that differs between a laptop (`make run`) and production comes from the
environment (django-environ). Defaults are the embedded ones: SQLite, eager Celery tasks,
local-memory cache, local media, console e-mail. `DJANGO_ENV=production` switches on the
hardening that `manage.py check --deploy` asks for.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F401,F403  (Oscar's OSCAR_* defaults, overridden below)

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = env.str(
    "SECRET_KEY",
    default="" if PRODUCTION else "dev-only-terroir-souk-key-change-me-in-production-0123456789",
)
if PRODUCTION and not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "cooperatives.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "shop.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "catalog.search_config.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    "graphene_django",
    "axes",
    "core.apps.CoreConfig",
    "fulfilment.apps.FulfilmentConfig",
    "gie.apps.GieConfig",
    "shop.apps.ShopConfig",
    "shop.currency.apps.CurrencyConfig",
    "django.contrib.postgres",  # full-text search, pg_trgm, unaccent (harmless on SQLite)
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shop.security.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the locale is known (the 400 page is in the visitor's language), before any view reads input.
    "shop.security.middleware.RejectInvalidInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.currency.middleware.CurrencyMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shop.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

WSGI_APPLICATION = "shop.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent dev-server requests wait for the write lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis down means no cache, not 500s (core/cache.py). Sessions stay in the database: a session
    # cached in Redis would come back stale after an outage during which its writes missed the cache.
    CACHES = {"default": {"BACKEND": "core.cache.FallbackRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker, tasks run eagerly in-process (make run, tests).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
# A task whose worker dies (kill -9, OOM) goes back to the queue; tasks are idempotent (outbox, job status).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Unacknowledged messages of a worker that died are delivered again after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING (JSON, request ids)
CELERY_TIMEZONE = "Africa/Casablanca"

AUTHENTICATION_BACKENDS = (
    # First: refuses any login, on every form, for a username + address locked out by django-axes.
    "shop.security.lockout.LockoutBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

# Login lockout (django-axes): 5 failures for one username from one address lock that pair out of the
# storefront, dashboard and admin logins for 30 minutes; the lockout page is ours, in the visitor's language.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shop.security.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "shop.security.lockout.client_ip"
AXES_VERBOSE = False
# Reverse proxies in front of the app (nginx: 1) whose X-Forwarded-For entries are trusted for the
# client's address; 0 = use the connection's address.
TERROIR_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Languages: French by default, Arabic (right to left) and English switchable.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    # S3-compatible media; the credentials (AWS_ACCESS_KEY_ID, …) reach boto3 from the environment.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=True),
            "default_acl": env.str("AWS_DEFAULT_ACL", default="") or None,
            "file_overwrite": False,
        },
    }

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Terroir Souk <bonjour@terroir-souk.ma>")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

# Oscar
OSCAR_SHOP_NAME = "Terroir Souk"
OSCAR_SHOP_TAGLINE = _("Terroir products from Moroccan cooperatives")
OSCAR_HOMEPAGE = "/"
OSCAR_DEFAULT_CURRENCY = "MAD"
OSCAR_CURRENCY_FORMAT = {"MAD": {"format": "#,##0.00 ¤"}, "EUR": {"format": "#,##0.00 ¤"}}
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "country")
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
THUMBNAIL_DEBUG = False
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"
OSCAR_INITIAL_ORDER_STATUS = "Pending"
OSCAR_INITIAL_LINE_STATUS = "Pending"
OSCAR_ORDER_STATUS_PIPELINE = {
    "Pending": ("Being processed", "Cancelled"),
    "Being processed": ("Partly shipped", "Shipped", "Cancelled"),
    "Partly shipped": ("Shipped", "Cancelled"),
    "Shipped": ("Delivered",),
    "Delivered": (),
    "Cancelled": (),
}

# Category and search pages served from the cache to visitors without session/basket cookies
# (catalog/cache.py); off by default while developing so edits show at once.
TERROIR_PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 60)

# Payment methods offered at checkout; the card method is added when Stripe keys exist.
TERROIR_COD_COUNTRIES = env.list("COD_COUNTRIES", default=["MA"])

# Stripe (cards, through the platform's European account). Without keys the card method is hidden;
# STRIPE_API_BASE points the SDK elsewhere (the test suite's local Stripe double).
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")

# Currencies: producers price in MAD; EUR is offered (and the default for these delivery countries).
TERROIR_EUR_COUNTRIES = env.list(
    "EUR_COUNTRIES",
    default=["AT", "BE", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "LU", "NL", "NO", "PT", "SE"],
)

# Logs: JSON lines with the request id (core/observability.py) in production, readable text otherwise.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # One line per request (method, path, status, duration), on by default with JSON logs.
    "loggers": {
        "terroir.access": {
            "level": "INFO" if env.bool("ACCESS_LOG", default=LOG_FORMAT == "json") else "WARNING"
        }
    },
}

# Content-Security-Policy (django-csp): storefront scripts come from our origin or carry the request's
# nonce; no inline event handlers. Stripe.js (card payment page) is the one outside script.
# CSP_MEDIA_ORIGINS adds the origins media is served from (an S3 bucket or CDN) to img-src.
STRIPE_JS_ORIGINS = ["https://js.stripe.com"]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/graphql/"],  # JSON; GraphiQL (DEBUG only) loads its own scripts
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, *STRIPE_JS_ORIGINS],
        # Oscar's templates and Bootstrap's widgets set style attributes; styles cannot run code.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *env.list("CSP_MEDIA_ORIGINS", default=[])],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF, "https://api.stripe.com"],
        "frame-src": [*STRIPE_JS_ORIGINS, "https://hooks.stripe.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The staff dashboard and the admin (Oscar's and Django's templates) still use inline scripts and
# handlers: there, and only there, script-src also allows 'unsafe-inline' (shop/security/csp.py).
TERROIR_CSP_STAFF_PREFIXES = ("/dashboard/", "/admin/")

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# No middleware: with DEBUG, graphene-django would add its debug middleware, which wraps every
# database cursor for a `_debug` field this schema does not have and never unwraps them.
# `manage.py graphql_schema` writes the schema clients build against (tests/shop/test_graphql_schema.py).
GRAPHENE = {"SCHEMA": "shop.graphql.schema.schema", "MIDDLEWARE": [], "SCHEMA_OUTPUT": "schema.graphql"}
# The API describes itself (`__schema`, `__type`) off production only, unless switched on.
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=not PRODUCTION)

# Cash on delivery: optional fee in MAD added to the order as an Oscar surcharge (0 = none).
COD_FEE = env.str("COD_FEE", default="0.00")
# Facet counts of listing pages kept in the cache (catalog/search.py): the same for every visitor.
TERROIR_FACET_CACHE_SECONDS = env.int("FACET_CACHE_SECONDS", default=0 if DEBUG else 60)

# The platform's own screens in Oscar's staff dashboard menu.
from shop.dashboard_menu import platform_staff_only  # noqa: E402

OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,  # noqa: F405
    {
        "label": _("Settlements"),
        "icon": "fas fa-coins",
        "url_name": "settlements-dashboard:list",
        "access_fn": platform_staff_only,
    },
]

# The marketplace's commission on a producer's delivered lines when neither the producer nor its GIE
# sets a rate of its own.
DEFAULT_COMMISSION_RATE = env.str("DEFAULT_COMMISSION_RATE", default="0.10")

# --- Production stack: metrics, background jobs, periodic jobs (docs/decisions/0016) ---
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "core.observability.RequestIdMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# /metrics answers platform staff, or a scraper sending "Authorization: Bearer <METRICS_TOKEN>".
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Long jobs (CSV imports, exports) without a broker run in a pool of this many threads per process;
# a job whose heartbeat stopped this many minutes ago is marked failed (core/jobs.py).
TERROIR_JOB_THREADS = env.int("JOB_THREADS", default=2)
TERROIR_JOB_STALE_MINUTES = env.int("JOB_STALE_MINUTES", default=10)
TERROIR_JOBS_INLINE = False  # the test suite runs jobs in the request, to read their outcome at once

TERROIR_CARD_CHECKOUT_EXPIRY_MINUTES = env.int("CARD_CHECKOUT_EXPIRY_MINUTES", default=60)
TERROIR_FULFILMENT_REMINDER_HOURS = env.int("FULFILMENT_REMINDER_HOURS", default=48)
TERROIR_EXCHANGE_RATE_MAX_AGE_DAYS = env.int("EXCHANGE_RATE_MAX_AGE_DAYS", default=7)

from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "card-checkouts-expire": {"task": "shop.checkout.tasks.card_checkouts_expire", "schedule": 600},
    "fulfilments-pending-remind": {"task": "fulfilment.tasks.fulfilments_pending_remind", "schedule": 3600},
    "lots-expired-sweep": {
        "task": "cooperatives.tasks.lots_expired_sweep",
        "schedule": crontab(hour=0, minute=20),
    },
    "exchange-rate-stale-warn": {
        "task": "shop.currency.tasks.exchange_rate_stale_warn",
        "schedule": crontab(hour=8, minute=0),
    },
    "producer-imports-fail-stale": {
        "task": "cooperatives.tasks.producer_imports_fail_stale",
        "schedule": 300,
    },
    "export-jobs-fail-stale": {"task": "gie.tasks.export_jobs_fail_stale", "schedule": 300},
}
