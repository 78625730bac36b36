"""/metrics: Prometheus samples for platform staff or a scraper with the token, nobody else."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.journey import add_to_basket, guest_checkout_until_preview
from tests.payment.checkout_helpers import product_of

pytestmark = pytest.mark.django_db


def _orders_placed(text: str) -> float:
    sample = 'terroir_orders_placed_total{currency="MAD"}'
    line = next((line for line in text.splitlines() if line.startswith(sample)), "")
    return float(line.split()[-1]) if line else 0.0


def test_metrics_answer_staff_and_the_token_only(client, demo, settings):
    settings.METRICS_TOKEN = "scrape-secret"

    anonymous = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    scraper = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
    client.force_login(get_user_model().objects.get(email="admin@example.com"))
    staff = client.get("/metrics")

    assert (anonymous.status_code, wrong.status_code) == (403, 403)
    assert scraper.status_code == staff.status_code == 200
    assert "django_http_requests_latency_seconds_by_view_method" in scraper.content.decode()


def test_an_order_placed_is_counted_once_committed(client, demo, django_capture_on_commit_callbacks):
    client.force_login(get_user_model().objects.get(email="admin@example.com"))
    before = _orders_placed(client.get("/metrics").content.decode())
    add_to_basket(client, product_of("souktana-safran-taliouine"))
    guest_checkout_until_preview(client, guest=False)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkout:preview"), {"action": "place_order"})

    assert _orders_placed(client.get("/metrics").content.decode()) == before + 1
