"""Read-only registration data on the profile page, and the customers a lot recall must reach."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from tests.journey import add_to_basket, guest_checkout_until_preview

Lot = get_model("partner", "Lot")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
StockMovement = get_model("partner", "StockMovement")

pytestmark = pytest.mark.django_db


def test_the_profile_shows_registration_ice_onssa_and_certificates_and_ignores_posted_values(
    client_a, coop_a, django_assert_max_num_queries
):
    certificates = list(coop_a.certificates.select_related("label"))
    assert certificates  # demo: coop A holds the Taliouine AOP certificate
    before = (coop_a.onssa_number, coop_a.onssa_valid_until, coop_a.ice, coop_a.commission_rate)

    with django_assert_max_num_queries(10):
        page = client_a.get(reverse("coop-dashboard:profile")).content.decode()

    # then every platform-set value is shown, none as an input
    assert coop_a.registration_number in page and coop_a.ice in page
    assert coop_a.onssa_number in page and coop_a.onssa_valid_until.isoformat() in page
    for certificate in certificates:
        for text in (certificate.label.name, certificate.number, certificate.certifier):
            assert text in page
        assert certificate.valid_until.isoformat() in page
    for name in ("onssa_number", "onssa_valid_until", "ice", "registration_number", "commission_rate"):
        assert f'name="{name}"' not in page

    # when the producer posts those values anyway, then they are ignored
    response = client_a.post(
        reverse("coop-dashboard:profile"),
        {
            "story": coop_a.story,
            "members_count": coop_a.members_count,
            "women_members_count": coop_a.women_members_count,
            "onssa_number": "FORGED",
            "onssa_valid_until": "2099-01-01",
            "ice": "000000000000000",
            "commission_rate": "0",
        },
    )
    assert response.status_code == 302
    coop_a.refresh_from_db()
    assert (coop_a.onssa_number, coop_a.onssa_valid_until, coop_a.ice, coop_a.commission_rate) == before


def test_the_profile_warns_when_the_sanitary_authorisation_has_expired(client_a, coop_a):
    coop_a.onssa_valid_until = timezone.localdate() - datetime.timedelta(days=1)
    coop_a.save(update_fields=["onssa_valid_until"])

    response = client_a.get(reverse("coop-dashboard:profile"))

    assert response.context["sanitary_valid"] is False
    assert 'class="tag tag-recalled"' in response.content.decode()


def _guest_order(product, quantity: int, email: str):
    client = Client()
    add_to_basket(client, product, quantity)
    guest_checkout_until_preview(client, email=email)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    return Order.objects.get(guest_email=email)


def test_recalling_a_lot_from_the_dashboard_lists_the_orders_and_customers_to_tell(client_a, coop_a):
    product = Product.objects.get(upc="TAL-003")
    lot = Lot.objects.filter(stockrecord__product=product).order_by("best_before").first()
    first = _guest_order(product, 2, "nadia@example.com")
    second = _guest_order(product, 1, "karim@example.com")
    url = reverse("coop-dashboard:lot-recall", kwargs={"pk": lot.pk})

    response = client_a.post(url, {"reason": "Humidité hors norme"})

    # then the producer lands on the recalled lot's page, which lists who received it
    assert response.status_code == 302 and response["Location"] == url
    page = client_a.get(url)
    recipients = page.context["recipients"]
    assert [(r.order_number, r.email, r.quantity) for r in recipients] == [
        (first.number, "nadia@example.com", 2),
        (second.number, "karim@example.com", 1),
    ]
    body = page.content.decode()
    assert first.number in body and "karim@example.com" in body
    assert 'name="reason"' not in body  # a recall is final: no form any more
    lot.refresh_from_db()
    assert lot.status == "recalled" and lot.recall_reason == "Humidité hors norme"
    assert StockMovement.objects.filter(lot=lot, kind="recall").count() == 1


def test_another_producer_cannot_see_who_received_a_recalled_lot(client_a, client_b, coop_a):
    product = Product.objects.get(upc="TAL-003")
    lot = Lot.objects.filter(stockrecord__product=product).order_by("best_before").first()
    _guest_order(product, 1, "nadia@example.com")
    url = reverse("coop-dashboard:lot-recall", kwargs={"pk": lot.pk})
    client_a.post(url, {"reason": "Contrôle"})

    response = client_b.get(url)

    assert response.status_code == 404 and b"nadia@example.com" not in response.content


def test_a_recalled_lot_nobody_bought_says_there_is_no_one_to_tell(client_a, lot_a):
    url = reverse("coop-dashboard:lot-recall", kwargs={"pk": lot_a.pk})
    assert not lot_a.allocations.exists()

    client_a.post(url, {"reason": "Contrôle"})

    assert client_a.get(url).context["recipients"] == []
