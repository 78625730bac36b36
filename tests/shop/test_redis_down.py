"""With Redis unreachable the shop degrades: no cache, sessions from the database, e-mails sent by the
web process; every page and a whole cash-on-delivery checkout still work, readiness names the parts."""

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from core.models import NotificationSent
from tests.journey import add_to_basket, guest_checkout_until_preview
from tests.payment.checkout_helpers import product_of

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_storefront_pages_answer_without_redis(client, demo, redis_down):
    product = product_of("souktana-safran-taliouine")
    for url in (
        "/",
        reverse("catalogue:index"),
        reverse("search:search") + "?q=safran",
        product.get_absolute_url(),
        reverse("customer:login"),
        "/ar/catalogue/",
    ):
        # when
        response = client.get(url)

        # then
        assert response.status_code == 200, url


def test_a_customer_signs_in_without_redis(client, demo, redis_down):
    # when
    response = client.post(
        reverse("customer:login"),
        {"login-username": "customer@example.com", "login-password": "terroir-demo", "login_submit": "1"},
    )

    # then the session lives in the database
    assert response.status_code == 302
    assert client.get(reverse("customer:profile-view")).status_code == 200


def test_a_cash_on_delivery_checkout_completes_and_its_emails_go_out_without_redis(
    client, demo, redis_down, django_capture_on_commit_callbacks
):
    # given a basket
    add_to_basket(client, product_of("souktana-safran-taliouine"), 2)

    # when the guest goes through every checkout step
    guest_checkout_until_preview(client)
    assert client.post(reverse("checkout:payment-method"), {"method": "cod"}).status_code == 302
    assert client.get(reverse("checkout:preview")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkout:preview"), {"action": "place_order"})

    # then the order is placed and the broker's absence did not lose its e-mails
    assert response.status_code == 302
    order = Order.objects.get()
    assert client.get(response["Location"]).status_code == 200
    assert NotificationSent.objects.filter(key=f"order-placed:{order.pk}:customer").exists()
    assert [m.to for m in mail.outbox if order.number in m.subject][:1] == [[order.email]]


def test_readiness_names_cache_and_broker_without_saying_where_they_are(client, db, redis_down):
    # when
    response = client.get("/health/ready")

    # then
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unavailable", "broker": "unavailable"},
    }
    port = redis_down.rsplit(":", 1)[1].split("/")[0]
    assert port not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_liveness_does_not_depend_on_redis(client, db, redis_down):
    assert client.get("/health/live").status_code == 200
