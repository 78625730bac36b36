"""What the marketplace may never sell: an unpublished product, a food product whose producer has no
valid ONSSA authorisation, a product whose only lots are expired, quarantined or recalled. The basket
refuses it, a basket already holding it cannot be checked out, its page offers no add-to-basket."""

import datetime
import html
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from cooperatives.product_services import product_availability_set
from cooperatives.services import lot_status_set
from tests.fulfilment.helpers import basket_with, order_place
from tests.journey import add_to_basket, guest_checkout_until_preview

Basket = get_model("basket", "Basket")
Lot = get_model("partner", "Lot")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

NOT_ON_SALE = "This product is not on sale."
NO_AUTHORISATION = "This product cannot be sold: its producer has no valid ONSSA sanitary authorisation."
LOTS_WITHHELD = "This product cannot be sold: its lots are expired, quarantined or recalled."


def _saffron():
    return Product.objects.get(upc="TAL-001")  # food, coop A, two active lots


def _producer_user(product):
    return get_user_model().objects.get(partners=product.stockrecords.get().partner)


@contextmanager
def _unpublished(product):
    product_availability_set(product=product, is_public=False)  # the producer withdraws it
    yield


@contextmanager
def _authorisation_lapsed(product):
    producer = product.stockrecords.get().partner  # platform staff record the lapsed authorisation
    producer.onssa_valid_until = timezone.localdate() - datetime.timedelta(days=1)
    producer.save(update_fields=["onssa_valid_until"])
    yield


def _lots_set(product, status: str, reason: str):
    record = product.stockrecords.get()
    for lot in record.lots.all():
        lot_status_set(
            user=_producer_user(product), producer=record.partner, lot=lot, status=status, reason=reason
        )


@contextmanager
def _lots_quarantined(product):
    _lots_set(product, "quarantined", "Analyse d'humidité en cours")
    yield


@contextmanager
def _lots_recalled(product):
    _lots_set(product, "recalled", "Étiquetage erroné")
    yield


@contextmanager
def _lots_expired(product):
    latest = product.stockrecords.get().lots.latest("best_before").best_before
    later = latest + datetime.timedelta(days=1)  # before the producer's ONSSA authorisation ends
    with mock.patch("django.utils.timezone.localdate", return_value=later):
        yield


CASES = [
    ("unpublished", _unpublished, NOT_ON_SALE),
    ("producer without a valid ONSSA authorisation", _authorisation_lapsed, NO_AUTHORISATION),
    ("only quarantined lots", _lots_quarantined, LOTS_WITHHELD),
    ("only recalled lots", _lots_recalled, LOTS_WITHHELD),
    ("only expired lots", _lots_expired, LOTS_WITHHELD),
]
IDS = [case for case, __, __ in CASES]


def _shows(page: str, message: str) -> bool:
    """The page shows the message in the visitor's language (French here), however it is escaped."""
    return gettext(message) in html.unescape(page)


def _lot_quantities(product):
    return sorted(Lot.objects.filter(stockrecord__product=product).values_list("code", "quantity", "status"))


@pytest.mark.parametrize("case,unsellable,message", CASES, ids=IDS)
def test_adding_it_by_id_is_refused_with_the_reason(case, unsellable, message, client, demo):
    product = _saffron()
    with unsellable(product):
        # when a visitor posts its id to the basket
        response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}, follow=True)

        # then the basket stays empty and says why
        assert _shows(response.content.decode(), message)
        assert not Basket.objects.filter(lines__product=product).exists()


@pytest.mark.parametrize("case,unsellable,message", CASES, ids=IDS)
def test_a_basket_holding_it_cannot_be_checked_out(case, unsellable, message, client, demo):
    # given a guest at the last checkout step with the product in the basket
    product = _saffron()
    add_to_basket(client, product, 2)
    guest_checkout_until_preview(client)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    lots_before = _lot_quantities(product)

    with unsellable(product):
        # when the product became unsellable and the guest places the order
        response = client.post(reverse("checkout:preview"), {"action": "place_order"})
        page = client.get(response["Location"]).content.decode()

    # then the guest is sent back to the basket with the reason; no order, no unit taken
    assert response.status_code == 302 and response["Location"] == reverse("basket:summary")
    assert _shows(page, message)
    assert not Order.objects.exists()
    assert [quantity for __, quantity, __ in _lot_quantities(product)] == [q for __, q, __ in lots_before]


@pytest.mark.parametrize("case,unsellable,message", CASES, ids=IDS)
def test_its_page_offers_no_add_to_basket(case, unsellable, message, client, demo):
    product = _saffron()
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'id="add_to_basket_form"' in page  # sellable: the form is there
    client.force_login(get_user_model().objects.get(email="admin@example.com"))  # staff see unpublished pages

    with unsellable(product):
        page = client.get(product.get_absolute_url()).content.decode()

    assert 'id="add_to_basket_form"' not in page
    assert _shows(page, message)


def test_an_unpublished_product_page_is_not_found_for_visitors(client, demo):
    product = _saffron()
    with _unpublished(product):
        assert client.get(product.get_absolute_url()).status_code == 404


def test_a_non_food_product_sells_without_an_onssa_authorisation(client, demo):
    # given compost, not food, from a producer whose authorisation lapsed
    compost = Product.objects.get(upc="CMP-001")
    with _authorisation_lapsed(compost):
        # when it is added to the basket
        add_to_basket(client, compost)

    # then it is in the basket
    assert Basket.objects.filter(lines__product=compost).exists()


def test_one_sellable_lot_is_enough(client, demo):
    # given the product's earliest lot is recalled, the other one still on sale
    product = _saffron()
    record = product.stockrecords.get()
    first = record.lots.order_by("best_before").first()
    lot_status_set(
        user=_producer_user(product), producer=record.partner, lot=first, status="recalled", reason="x"
    )

    add_to_basket(client, product)

    assert Basket.objects.filter(lines__product=product).exists()


@pytest.mark.parametrize("case,unsellable,message", CASES, ids=IDS)
def test_placing_an_order_refuses_it_even_past_the_checkout_views(case, unsellable, message, demo):
    # given a basket holding the product, placed without the views (as the card webhook does)
    product = _saffron()
    basket = basket_with([(product, 1)])
    lots_before = _lot_quantities(product)

    with unsellable(product), pytest.raises(UnableToPlaceOrder) as refused:
        order_place([], basket=basket)

    assert gettext(message) in str(refused.value)
    assert not Order.objects.exists()
    assert [q for __, q, __ in _lot_quantities(product)] == [q for __, q, __ in lots_before]
