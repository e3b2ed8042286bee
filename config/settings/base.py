"""Settings shared by every environment. Everything configurable comes from the environment."""

import os
import tomllib
from pathlib import Path

import dj_database_url

from config.redis_urls import cache_url_for
from config.storages import build_storages, media_origin, media_url, serve_media
from core.client_ip import proxy_count

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The project's version (pyproject.toml): the API's info.version.
MARQUEE_VERSION = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "cinema",
    "ticketing",
    "wallet",
    "messaging",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "anymail",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
]

MIDDLEWARE = [
    "home.health.HealthzMiddleware",  # before host validation: balancers probe by IP (home/health.py)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "home.page_cache.ShowPageCacheMiddleware",  # before sessions: a cached show page reads none (home/page_cache.py)
    "home.listing_cache.ListingPageCacheMiddleware",  # the same for home, movie and theater pages
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # after sessions, before common (Django's order)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "home.auth_cache.CachedAuthenticationMiddleware",  # the signed-in user from the cache (core/auth_copy.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "home.middleware.RequireMfaMiddleware",
    "home.csp.PrebuiltCSPMiddleware",  # django-csp's, the policy built once (home/csp.py)
]

# Content-Security-Policy for the public site (django-csp): our own scripts and Razorpay
# Checkout only; trailers from YouTube/Vimeo frames after a click. Inline style attributes stay
# allowed (poster backdrops), inline scripts do not. The Wagtail admin is staff-only and uses
# inline scripts of its own, so it is left out.
RAZORPAY_HOSTS = ["https://checkout.razorpay.com", "https://api.razorpay.com", "https://*.razorpay.com"]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "https://checkout.razorpay.com"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *RAZORPAY_HOSTS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", *RAZORPAY_HOSTS, "https://lumberjack.razorpay.com"],
        "frame-src": [
            "'self'",
            *RAZORPAY_HOSTS,
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "form-action": ["'self'", *RAZORPAY_HOSTS],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite file by default; DATABASE_URL=postgres://... for PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,  # a connection the database or a pooler dropped is replaced, not a 500
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, checking a reused connection's socket before paying a SELECT 1 for it.
    DATABASES["default"]["ENGINE"] = "config.postgresql"
if DATABASES["default"]["ENGINE"] == "config.postgresql" and os.environ.get("DB_PREPARED_STATEMENTS") != "off":
    # psycopg prepares a statement at its first run on a connection, only those sent through
    # core/prepared.py's server-binding cursor (Django's own cursors bind on the client and
    # never prepare), and the connection plans them once (config/postgresql/base.py). Off for
    # a pooler that cannot keep prepared statements (PgBouncer before 1.21 in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task cluster share the file: wait for locks, take the write
    # lock at BEGIN (no upgrade deadlocks), and let readers run beside the writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id at OWASP's minimum; earlier PBKDF2 hashes still verify and are upgraded at sign-in
# (config/hashers.py).
PASSWORD_HASHERS = [
    "config.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# India: IST, en-IN formatting, rupees. The customer site speaks the LANGUAGES below (chosen
# by the switcher's cookie, else Accept-Language, else English); translations live in
# locale/<code>/LC_MESSAGES (docs/DESIGN.md §12). Editors' page content stays one language:
# WAGTAIL_CONTENT_LANGUAGES is the content's, not the interface's.
LANGUAGE_CODE = "en-in"
LANGUAGES = [("en-in", "English"), ("hi", "हिन्दी")]
WAGTAIL_CONTENT_LANGUAGES = [("en-in", "English (India)")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the switcher's choice is remembered for a year
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True
CURRENCY = "INR"
CURRENCY_SYMBOL = "₹"

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
# Media (posters and their renditions) and ticket PDFs: on the local filesystem, or with
# MEDIA_S3_BUCKET on S3-compatible object storage shared by every machine (config/storages.py).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = media_url(os.environ)
if media_origin(os.environ):  # posters come from the bucket or CDN: pages may show them
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(media_origin(os.environ))
# Ticket PDFs: private (outside MEDIA_ROOT, or their own private bucket), served only by the
# owner's download view.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "private"))
STORAGES = build_storages(os.environ, media_root=MEDIA_ROOT, private_root=PRIVATE_ROOT)
# The app answers MEDIA_URL itself (config/media_views.py): on by default for local media.
MARQUEE_SERVE_MEDIA = serve_media(os.environ)
# Documents go through Wagtail's view, which checks their collection's privacy, never a
# direct storage URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Marquee"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Everyone signs in through allauth's login view and its rate limits: customers with their
# e-mail address, staff with their username (or e-mail). /admin/login/ redirects there.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "customer_account"
WAGTAILADMIN_LOGIN_URL = "account_login"
ACCOUNT_ADAPTER = "home.account_adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username", "phone"}
ACCOUNT_FORMS = {"login": "home.forms.MarqueeLoginForm", "change_phone": "home.forms.MarqueeChangePhoneForm"}
# An optional mobile number (messaging.MobileNumber): verified by a texted code, then a way to
# sign in with a one-time code (allauth's login by code) and to get tickets by SMS/WhatsApp.
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
PHONENUMBER_DEFAULT_REGION = "IN"
MARQUEE_PHONE_REGIONS = set(env_list("MARQUEE_PHONE_REGIONS", "IN"))
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Marquee] "
# allauth's own rate limits (login, codes, signup, reset) stay on: they need a shared cache
# in production, which REDIS_URL provides. They count per client address, which behind a load
# balancer only works if the proxies are declared (config/client_ip.py): how many proxies of
# ours append to X-Forwarded-For (0: none, X-Forwarded-For is ignored), or the header a trusted
# edge sets to the client's address (e.g. CF-Connecting-IP; empty: unused).
MARQUEE_TRUSTED_PROXY_COUNT = proxy_count(os.environ.get("MARQUEE_TRUSTED_PROXY_COUNT"))
MARQUEE_CLIENT_IP_HEADER = os.environ.get("MARQUEE_CLIENT_IP_HEADER", "").strip()
ALLAUTH_TRUSTED_PROXY_COUNT = MARQUEE_TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = MARQUEE_CLIENT_IP_HEADER or None

# Two-factor sign-in (allauth.mfa): an authenticator app, with recovery codes as the fallback.
# Members of these groups (the token "superusers": every superuser) must enrol before any admin
# page opens; empty in development so the demo logins work as they are.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Marquee"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side, for phones whose clocks drift (RFC 6238 §5.2)
MARQUEE_MFA_REQUIRED_GROUPS = env_list("MARQUEE_MFA_REQUIRED_GROUPS")

# E-mail goes through django-anymail. EMAIL_ESP names the provider (sendgrid, postmark,
# mailgun, brevo, amazon_ses, sparkpost, resend, …); its credentials come from ANYMAIL_*
# variables (ANYMAIL_SENDGRID_API_KEY, ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET
# for the tracking webhook, …). Without EMAIL_ESP, mail is printed to the console.
EMAIL_ESP = os.environ.get("EMAIL_ESP", "").strip().lower()
if EMAIL_ESP == "console":  # an explicit opt-out in production: mail is printed, not sent
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_ESP:
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_ESP}.EmailBackend"
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
ANYMAIL = {name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Marquee <tickets@marquee.local>")
# The public address of the site, for links in e-mails.
MARQUEE_SITE_URL = os.environ.get("MARQUEE_SITE_URL", os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000"))
# Texts (SMS, WhatsApp): printed to the log by default; MESSAGING_BACKEND=twilio sends them
# through Twilio with its credentials. Indian SMS need a DLT-registered sender id (kept on the
# Twilio Messaging Service, or MESSAGING_SMS_SENDER) and a registered template per message.
MESSAGING_BACKEND = os.environ.get("MESSAGING_BACKEND", "console").strip().lower() or "console"
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
MESSAGING_SMS_SENDER = os.environ.get("MESSAGING_SMS_SENDER", "")
MESSAGING_WHATSAPP_SENDER = os.environ.get("MESSAGING_WHATSAPP_SENDER", "")
MESSAGING_DLT_TEMPLATES = {
    "otp": os.environ.get("MESSAGING_DLT_TEMPLATE_OTP", ""),
    "booking_confirmed": os.environ.get("MESSAGING_DLT_TEMPLATE_BOOKING_CONFIRMED", ""),
    "show_reminder": os.environ.get("MESSAGING_DLT_TEMPLATE_SHOW_REMINDER", ""),
    "booking_cancelled": os.environ.get("MESSAGING_DLT_TEMPLATE_BOOKING_CANCELLED", ""),
    "seats_cancelled": os.environ.get("MESSAGING_DLT_TEMPLATE_SEATS_CANCELLED", ""),
    "refunded": os.environ.get("MESSAGING_DLT_TEMPLATE_REFUNDED", ""),
}
# Hours before a show its reminder e-mail goes out.
MARQUEE_REMINDER_HOURS = int(os.environ.get("MARQUEE_REMINDER_HOURS", "3"))

# Box office rules
MARQUEE_HOLD_MINUTES = int(os.environ.get("MARQUEE_HOLD_MINUTES", "10"))
# Hold attempts per customer per minute; 0 disables the limit.
MARQUEE_HOLD_RATE = int(os.environ.get("MARQUEE_HOLD_RATE", "120"))
# Gift card redemptions per minute: per signed-in customer, and per client address (0: no limit).
MARQUEE_GIFT_REDEEM_RATE = int(os.environ.get("MARQUEE_GIFT_REDEEM_RATE", "5"))
MARQUEE_GIFT_REDEEM_IP_RATE = int(os.environ.get("MARQUEE_GIFT_REDEEM_IP_RATE", "20"))
# Unknown ticket codes one staff member may try per minute at the door before every check-in
# lookup is refused for the rest of the minute (a guessing guard); 0 disables the limit.
MARQUEE_CHECKIN_INVALID_RATE = int(os.environ.get("MARQUEE_CHECKIN_INVALID_RATE", "30"))
# Longest a scheduler run may span, so one form post cannot create thousands of pages.
MARQUEE_SCHEDULER_MAX_DAYS = int(os.environ.get("MARQUEE_SCHEDULER_MAX_DAYS", "31"))

# Payments (docs/DESIGN.md §4). With both Razorpay keys set the box office takes real payments;
# without them it uses the offline sandbox gateway, which production settings refuse.
RAZORPAY_KEY_ID = os.environ.get("RAZORPAY_KEY_ID", "")
RAZORPAY_KEY_SECRET = os.environ.get("RAZORPAY_KEY_SECRET", "")
RAZORPAY_WEBHOOK_SECRET = os.environ.get("RAZORPAY_WEBHOOK_SECRET", "")
# Seconds to wait for the payment service on each call, and how many times a call that timed
# out, could not connect or got a 5xx is tried again (with exponential backoff).
MARQUEE_GATEWAY_TIMEOUT = float(os.environ.get("MARQUEE_GATEWAY_TIMEOUT", "10"))
MARQUEE_GATEWAY_RETRIES = int(os.environ.get("MARQUEE_GATEWAY_RETRIES", "3"))
# No retry is started that could run past this many seconds in all: a customer waiting on Pay
# gets "not answering" (hold kept) before the web server's worker timeout (gunicorn: 30 s).
MARQUEE_GATEWAY_DEADLINE = float(os.environ.get("MARQUEE_GATEWAY_DEADLINE", "25"))
MARQUEE_PRODUCTION = False

# django-q2's broker uses REDIS_URL's database; the cache uses its own (REDIS_CACHE_URL, by
# default the next database number), so clearing the cache never wipes queued tasks.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_CACHE_URL = os.environ.get("REDIS_CACHE_URL", "") or (cache_url_for(REDIS_URL) if REDIS_URL else "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "marquee"}}
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",  # a Redis outage is a cache miss, not a 500
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "marquee"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "health_check_interval": 30},
        }
    }
# Sessions are read from the cache and written through to the database: a signed-in request
# costs no session query while Redis answers, and with Redis away every read is a miss that
# falls back to the database (config/cache.py), so nobody is signed out by an outage.
SESSION_ENGINE = "core.sessions"  # cached_db, which the first cache read can hand its data (core/auth_copy.py)

# django-q2: the ORM broker by default (nothing to install), Redis when REDIS_URL is set.
Q_CLUSTER = {
    "name": "marquee",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 5,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": "Tasks",
}
if REDIS_URL:
    # Bounded socket waits (a URL's own values win): with Redis unreachable, queueing a task
    # (a webhook's, an e-mail's) fails in seconds instead of holding the web request; the work
    # is already stored and picked up later (reconcile, housekeeping). Above the 1 s BLPOP.
    Q_CLUSTER["redis"] = f"{REDIS_URL}{'&' if '?' in REDIS_URL else '?'}socket_connect_timeout=2&socket_timeout=5"
    Q_CLUSTER["broker_class"] = "config.task_broker.SharedRedisBroker"  # one Redis client per process, not one per task
else:
    Q_CLUSTER["orm"] = "default"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.log_format.JsonFormatter"},
    },
    # LOG_FORMAT=json (the production default) writes one JSON object per line.
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": os.environ.get("LOG_FORMAT", "plain")}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "filters": {"expected_conflicts": {"()": "config.log_format.ExpectedConflicts"}},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.request": {"filters": ["expected_conflicts"]},  # 409s are answers, not problems
    },
}
