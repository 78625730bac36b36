import datetime
import os
import socket
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from shop.celery import app as celery_app
from shop.currency.models import ExchangeRate
from shop.demo.loader import demo_load


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _default_language():
    """A test that switches language must not leak it into the next test's URLs."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def demo(db):
    """The demo marketplace (loaded once per session by django_db_setup, without pictures)."""


def pytest_report_header(config):
    db = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    return f"database: {db}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo marketplace once into the test database; each test rolls back its changes."""
    with django_db_blocker.unblock():
        demo_load(with_images=False)


@pytest.fixture
def eur_rate(db):
    """The rate staff entered: 1 MAD = 0.0925 EUR, so an EUR order records 10.81081081 MAD per euro."""
    return ExchangeRate.objects.create(
        rate=Decimal("0.0925"), effective_on=datetime.date(2026, 1, 1), source="Bank Al-Maghrib"
    )


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages are rendered fresh in tests; tests of the page cache switch it on themselves."""
    settings.TERROIR_PAGE_CACHE_SECONDS = 0
    settings.TERROIR_FACET_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _currencies_offered_as_loaded():
    """Every test starts from the demo data, which has no exchange rate: only MAD is offered, as the
    warm cache of a running site says (a rate an earlier test rolled back sent no signal to clear it)."""
    from django.core.cache import cache
    from django.utils import timezone

    from shop.currency.selectors import CURRENCIES_OFFERED_KEY

    cache.set(CURRENCIES_OFFERED_KEY, (timezone.localdate().isoformat(), ("MAD",)))


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Long jobs run in the request here, so a test reads their outcome when the request returns
    (outside tests they go to a worker or a job thread, core/jobs.py)."""
    settings.TERROIR_JOBS_INLINE = True


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


@pytest.fixture
def redis_down(settings):
    """REDIS_URL at a closed port, as settings.py configures it, with the page and facet caches on."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {"default": {"BACKEND": "core.cache.FallbackRedisCache", "LOCATION": url}}
    settings.TERROIR_PAGE_CACHE_SECONDS = 60
    settings.TERROIR_FACET_CACHE_SECONDS = 60
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    celery_app._pool = None  # connections to the broker are made anew, to the closed port
    yield url
    celery_app.conf.update(saved)
    celery_app._pool = None
