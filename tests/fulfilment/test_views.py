import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from fulfilment.models import ProducerFulfilment
from tests.fulfilment.helpers import order_place, product_of

pytestmark = pytest.mark.django_db
PASSWORD = "terroir-demo"


@pytest.fixture
def two_producer_order(demo):
    return order_place(
        [(product_of("souktana-safran-taliouine"), 2), (product_of("tifawin-argan-tiznit"), 1)]
    )


@pytest.fixture
def saffron_client(client):
    client.login(username="saffron@example.com", password=PASSWORD)
    return client


def _own_and_other(order):
    own = order.fulfilments.get(partner__slug="souktana-safran-taliouine")
    other = order.fulfilments.get(partner__slug="tifawin-argan-tiznit")
    return own, other


def test_a_producer_lists_only_its_own_fulfilments(
    saffron_client, two_producer_order, django_assert_max_num_queries
):
    own, other = _own_and_other(two_producer_order)

    with django_assert_max_num_queries(25):
        response = saffron_client.get(reverse("fulfilment-dashboard:list"))

    assert response.status_code == 200
    assert [f.pk for f in response.context["fulfilments"]] == [own.pk]
    page = response.content.decode()
    assert "Safran de Taliouine" in page and "Huile d&#x27;argan" not in page


def test_the_list_filters_by_state(saffron_client, two_producer_order):
    url = reverse("fulfilment-dashboard:list")

    assert len(saffron_client.get(url, {"status": "pending"}).context["fulfilments"]) == 1
    assert len(saffron_client.get(url, {"status": "shipped"}).context["fulfilments"]) == 0


@pytest.mark.parametrize("name", ["detail", "packing-slip"])
def test_another_producers_fulfilment_is_a_404(saffron_client, two_producer_order, name):
    __, other = _own_and_other(two_producer_order)

    response = saffron_client.get(reverse(f"fulfilment-dashboard:{name}", kwargs={"pk": other.pk}))

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["accept", "reject", "cancel", "pack", "ship", "deliver"])
def test_no_step_can_be_posted_on_another_producers_fulfilment(saffron_client, two_producer_order, action):
    __, other = _own_and_other(two_producer_order)

    response = saffron_client.post(
        reverse("fulfilment-dashboard:action", kwargs={"pk": other.pk, "action": action}),
        {"carrier": "Amana"},
    )

    assert response.status_code == 404
    assert ProducerFulfilment.objects.get(pk=other.pk).status == "pending"


def test_a_customer_sees_no_fulfilment_and_an_anonymous_visitor_must_log_in(client, two_producer_order):
    own, __ = _own_and_other(two_producer_order)
    detail = reverse("fulfilment-dashboard:detail", kwargs={"pk": own.pk})

    assert client.get(detail).status_code == 302
    client.login(username="customer@example.com", password=PASSWORD)
    assert client.get(detail).status_code == 404
    assert list(client.get(reverse("fulfilment-dashboard:list")).context["fulfilments"]) == []


def test_a_producer_accepts_packs_ships_with_tracking_and_delivers(saffron_client, two_producer_order):
    own, __ = _own_and_other(two_producer_order)

    def post(action, data=None):
        url = reverse("fulfilment-dashboard:action", kwargs={"pk": own.pk, "action": action})
        return saffron_client.post(url, data or {}, follow=True)

    post("accept")
    post("pack")
    line_id = own.lines.get().line_id
    response = post("ship", {"carrier": "Amana", "tracking_number": "AM555MA", f"qty_{line_id}": "2"})
    assert response.status_code == 200
    post("deliver")

    own.refresh_from_db()
    assert (own.status, own.carrier, own.tracking_number) == ("delivered", "Amana", "AM555MA")
    assert [e.actor.email for e in own.events.exclude(status_from="")] == ["saffron@example.com"] * 4


def test_an_illegal_step_shows_the_error_and_changes_nothing(saffron_client, two_producer_order):
    own, __ = _own_and_other(two_producer_order)

    response = saffron_client.post(
        reverse("fulfilment-dashboard:action", kwargs={"pk": own.pk, "action": "deliver"}), follow=True
    )

    assert "cannot become" in response.content.decode() or "ne peut" in response.content.decode()
    assert ProducerFulfilment.objects.get(pk=own.pk).status == "pending"


def test_the_detail_page_shows_lines_with_their_lot_codes(saffron_client, two_producer_order):
    own, __ = _own_and_other(two_producer_order)
    lot_code = own.lines.get().line.lot_allocations.get().lot.code

    response = saffron_client.get(reverse("fulfilment-dashboard:detail", kwargs={"pk": own.pk}))

    assert response.status_code == 200
    assert lot_code in response.content.decode()


def test_the_packing_slip_pdf_has_the_order_address_lines_and_lot_codes(saffron_client, two_producer_order):
    own, __ = _own_and_other(two_producer_order)
    line = own.lines.get().line
    lot_code = line.lot_allocations.get().lot.code

    response = saffron_client.get(reverse("fulfilment-dashboard:packing-slip", kwargs={"pk": own.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert str(two_producer_order.number) in text
    assert "12 rue Tarik Ibn Ziad" in text and "Casablanca" in text
    assert lot_code in text
    assert f"/lot/{lot_code}/" in text
    assert "Huile" not in text  # the other producer's line
    assert reader.pages[0].images  # the QR code to the lot trace page
