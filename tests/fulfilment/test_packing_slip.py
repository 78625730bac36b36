"""Packing slips as a producer prints them: in the reader's language and script, with the cash the
carrier collects and the customer's phone; and cash on delivery needs that phone at checkout."""

import io

import arabic_reshaper
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from pypdf import PdfReader

from tests.fulfilment.helpers import product_of
from tests.journey import ADDRESS, add_to_basket, cash_on_delivery_place, guest_checkout_until_preview

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
SAFFRON, ARGAN = "souktana-safran-taliouine", "tifawin-argan-tiznit"
ARABIC_ADDRESS = {
    **ADDRESS,
    "first_name": "نادية",
    "last_name": "برادة",
    "line1": "12 زنقة طارق بن زياد",
    "line4": "الدار البيضاء",
}


def _arabic(text: str) -> str:
    """Arabic as pypdf reads a page back: letters in their joined (presentation) forms, in reading
    order. Letters drawn unjoined, or with a font that lacks them (Helvetica), never read back so."""
    return arabic_reshaper.reshape(text)


def _cod_order(client, *, address=ADDRESS):
    add_to_basket(client, product_of(SAFFRON), 2)
    add_to_basket(client, product_of(ARGAN))
    guest_checkout_until_preview(client, address=address)
    return cash_on_delivery_place(client)


def _slip(order, *, language="fr"):
    producer = Client()
    assert producer.login(username="saffron@example.com", password="terroir-demo")
    fulfilment = order.fulfilments.get(partner__slug=SAFFRON)
    with translation.override(language):
        url = reverse("fulfilment-dashboard:packing-slip", kwargs={"pk": fulfilment.pk})
    response = producer.get(url)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return fulfilment, reader, "\n".join(page.extract_text() for page in reader.pages)


def _fonts(reader) -> set[str]:
    return {str(font["/BaseFont"]).split("+")[-1] for font in reader.pages[0]["/Resources"]["/Font"].values()}


def test_a_cash_on_delivery_slip_shows_the_cash_to_collect_and_the_customers_phone(client, demo):
    # given a cash-on-delivery order of saffron (2 units) and argan oil, placed through checkout
    order = _cod_order(client)

    # when the saffron cooperative prints its slip
    fulfilment, __, text = _slip(order)

    # then it says what the carrier collects for this parcel only: its units and its shipping, in MAD
    line = order.lines.get(partner__slug=SAFFRON)
    cash = line.unit_price_incl_tax * 2 + fulfilment.shipping_charge
    assert cash < order.total_incl_tax  # not the whole order: the argan oil is another parcel
    assert f"Montant à encaisser à la livraison : {cash:.2f} MAD".replace(".", ",") in text
    assert "Téléphone : +212 6 12 34 56 78" in text
    assert "Nadia Berrada" in text and "12 rue Tarik Ibn Ziad" in text


def test_an_arabic_reader_gets_the_slip_in_arabic_with_the_customers_arabic_name(client, demo):
    # given an order whose delivery address is written in Arabic
    order = _cod_order(client, address=ARABIC_ADDRESS)

    # when the producer prints the slip with the dashboard in Arabic
    __, reader, text = _slip(order, language="ar")

    # then the slip is in Arabic, with a font that has Arabic letters, and the name and city read back
    assert _fonts(reader) >= {"DejaVuSans", "DejaVuSans-Bold"}
    assert _arabic("قسيمة التعبئة") in text
    assert _arabic("نادية برادة") in text and _arabic("الدار البيضاء") in text
    assert _arabic("المبلغ الواجب تحصيله عند التسليم") in text
    assert "+212 6 12 34 56 78" in text  # the number stays in reading order inside the Arabic line
    assert "Packing slip" not in text and "Bon de préparation" not in text


def test_cash_on_delivery_is_refused_without_a_phone_number_until_one_is_given(client, demo):
    # given a delivery address without a phone number
    add_to_basket(client, product_of(SAFFRON))
    guest_checkout_until_preview(client, address={**ADDRESS, "phone_number": ""})

    # when the customer chooses cash on delivery
    response = client.post(reverse("checkout:payment-method"), {"method": "cod"})

    # then the step says why and leads back to the address
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le paiement à la livraison demande un numéro de téléphone" in page
    assert reverse("checkout:shipping-address") in page

    # and once the address carries a phone, the order goes through
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    order = cash_on_delivery_place(client)
    assert order.shipping_address.phone_number == ADDRESS["phone_number"]


def test_removing_the_phone_after_choosing_cash_on_delivery_stops_the_order_at_the_preview(client, demo):
    # given cash on delivery chosen with a phone number
    add_to_basket(client, product_of(SAFFRON))
    guest_checkout_until_preview(client)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})

    # when the address is changed to one without a phone and the order is submitted
    client.post(reverse("checkout:shipping-address"), {**ADDRESS, "phone_number": ""})
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})

    # then no order is placed and the customer is sent back to the address
    assert response.status_code == 302 and response["Location"] == reverse("checkout:shipping-address")
    assert not Order.objects.exists()
