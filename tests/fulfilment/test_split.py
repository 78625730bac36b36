from decimal import Decimal

import pytest
from django.utils import translation
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from fulfilment.models import FulfilmentLine, ProducerFulfilment, SelfShipRate
from fulfilment.modules.base import Destination, NotShippable
from fulfilment.selectors import basket_shipping_plan
from tests.fulfilment.helpers import (
    PRODUCERS_5,
    OrderCreator,
    OrderTotalCalculator,
    Repository,
    basket_with,
    order_place,
    product_of,
    shipping_address,
)

Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
Lot = get_model("partner", "Lot")

pytestmark = pytest.mark.django_db
# Oscar writes each line and its price one by one (5 × ~5); the split itself adds 6. Raise only with a reason.
QUERIES_PER_5_PRODUCER_PLACEMENT = 41


def test_an_order_from_one_producer_has_one_pending_fulfilment_with_its_lines(demo):
    # given
    saffron = product_of("souktana-safran-taliouine")

    # when
    order = order_place([(saffron, 3)])

    # then
    fulfilment = ProducerFulfilment.objects.get(order=order)
    assert fulfilment.partner.slug == "souktana-safran-taliouine"
    assert fulfilment.status == "pending"
    assert fulfilment.module == "self_ship"
    assert fulfilment.shipping_charge == order.shipping_incl_tax == Decimal("35.00")
    assert [(fl.line.product_id, fl.quantity) for fl in fulfilment.lines.all()] == [(saffron.pk, 3)]
    assert fulfilment.events.get().status_to == "pending"


def test_an_order_from_two_producers_has_two_fulfilments_each_with_only_its_lines(demo):
    saffron, argan = product_of("souktana-safran-taliouine"), product_of("tifawin-argan-tiznit")

    order = order_place([(saffron, 1), (argan, 2)])

    fulfilments = list(order.fulfilments.select_related("partner").order_by("partner__slug"))
    assert [f.partner.slug for f in fulfilments] == ["souktana-safran-taliouine", "tifawin-argan-tiznit"]
    for fulfilment in fulfilments:
        assert {fl.line.partner_id for fl in fulfilment.lines.all()} == {fulfilment.partner_id}
    assert FulfilmentLine.objects.filter(fulfilment__order=order).count() == 2


def test_five_producers_give_five_fulfilments_and_the_order_pays_the_sum_of_their_charges(demo):
    items = [(product_of(slug), 1) for slug in PRODUCERS_5]

    order = order_place(items)

    fulfilments = list(order.fulfilments.all())
    assert len(fulfilments) == 5
    assert sum(f.shipping_charge for f in fulfilments) == order.shipping_incl_tax
    assert order.lines.count() == FulfilmentLine.objects.filter(fulfilment__order=order).count() == 5


def test_placing_a_five_producer_order_takes_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    # given a basket, address and shipping charge ready (the checkout's earlier steps)
    basket = basket_with([(product_of(slug), 1) for slug in PRODUCERS_5])
    address = shipping_address()
    method = Repository().get_shipping_methods(basket, shipping_addr=address)[0]
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)

    # when / then: order, 5 lines, lots, allocations, 5 fulfilments, lines, events — no per-line N+1
    with django_assert_max_num_queries(QUERIES_PER_5_PRODUCER_PLACEMENT):
        order = OrderCreator().place_order(
            basket=basket,
            total=total,
            shipping_method=method,
            shipping_charge=charge,
            shipping_address=address,
        )
    assert order.fulfilments.count() == 5


def test_gie_hub_members_in_one_order_pay_one_hub_charge(demo):
    # given two members of GIE Mawrout Bladi (nakhil-aoufous and al-wahda-rissani use gie_hub)
    dates_a = product_of("nakhil-aoufous")
    dates_b = product_of("al-wahda-rissani")
    assert {
        Partner.objects.get(slug=s).fulfilment_module for s in ("nakhil-aoufous", "al-wahda-rissani")
    } == {"gie_hub"}

    # when
    order = order_place([(dates_a, 1), (dates_b, 1)])

    # then the hub parcel is charged once, on one member, and both are routed through the same GIE
    charges = sorted(f.shipping_charge for f in order.fulfilments.all())
    assert charges == [Decimal("0.00"), Decimal("35.00")]
    assert order.shipping_incl_tax == Decimal("35.00")
    assert len({f.routing_key for f in order.fulfilments.all()}) == 1


def test_gie_hub_charge_follows_the_weight_of_all_member_lines(demo):
    heavy_dates = product_of("nakhil-aoufous", 2)  # 5.1 kg box
    order = order_place([(heavy_dates, 1)])
    assert order.shipping_incl_tax == Decimal("60.00")


def test_pickup_is_free_and_gives_a_pickup_code(demo):
    Partner.objects.filter(slug="rose-du-dades").update(fulfilment_module="pickup")

    order = order_place([(product_of("rose-du-dades"), 2)])

    fulfilment = order.fulfilments.get()
    assert fulfilment.shipping_charge == order.shipping_incl_tax == Decimal("0.00")
    assert len(fulfilment.pickup_code) == 6


def test_self_ship_uses_the_producers_own_weight_bands(demo):
    producer = Partner.objects.get(slug="tifawin-argan-tiznit")
    SelfShipRate.objects.create(
        partner=producer, zone="MA", max_weight_kg=Decimal("0.5"), charge=Decimal("20")
    )
    SelfShipRate.objects.create(partner=producer, zone="MA", max_weight_kg=Decimal("3"), charge=Decimal("42"))
    light = product_of("tifawin-argan-tiznit", 0)  # 0.26 kg

    assert order_place([(light, 1)]).shipping_incl_tax == Decimal("20.00")
    assert order_place([(light, 3)]).shipping_incl_tax == Decimal("42.00")


def test_self_ship_default_rates_charge_europe_more_than_morocco(demo):
    saffron = product_of("souktana-safran-taliouine")

    assert order_place([(saffron, 1)], country="FR").shipping_incl_tax == Decimal("150.00")


def test_a_producer_without_rates_for_the_zone_blocks_with_the_product_named(demo):
    producer = Partner.objects.get(slug="tifawin-argan-tiznit")
    SelfShipRate.objects.create(partner=producer, zone="MA", max_weight_kg=Decimal("5"), charge=Decimal("30"))
    argan = product_of("tifawin-argan-tiznit")
    basket = basket_with([(product_of("souktana-safran-taliouine"), 1), (argan, 1)])

    with pytest.raises(NotShippable) as error:
        basket_shipping_plan(basket=basket, shipping_address=shipping_address("FR"))

    assert argan.title in str(error.value)
    assert "Tifawin" in str(error.value)


def test_pickup_is_only_for_morocco(demo):
    Partner.objects.filter(slug="rose-du-dades").update(fulfilment_module="pickup")
    basket = basket_with([(product_of("rose-du-dades"), 1)])

    with pytest.raises(NotShippable):
        basket_shipping_plan(basket=basket, shipping_address=shipping_address("DE"))


def test_placement_that_cannot_ship_writes_nothing_and_leaves_the_lots_alone(demo):
    # given rates that changed between checkout and placement
    argan = product_of("tifawin-argan-tiznit")
    basket = basket_with([(argan, 2)])
    lots_before = list(Lot.objects.filter(stockrecord__product=argan).values_list("pk", "quantity"))
    address = shipping_address("FR")
    method = Repository().get_shipping_methods(basket, shipping_addr=address)[0]
    charge = method.calculate(basket)
    SelfShipRate.objects.create(
        partner=Partner.objects.get(slug="tifawin-argan-tiznit"), zone="MA", max_weight_kg=5, charge=30
    )

    # when / then
    with translation.override("en"), pytest.raises(UnableToPlaceOrder, match="does not deliver"):
        OrderCreator().place_order(
            basket=basket,
            total=OrderTotalCalculator().calculate(basket, charge),
            shipping_method=method,
            shipping_charge=charge,
            shipping_address=address,
        )
    assert not Order.objects.exists()
    assert list(Lot.objects.filter(stockrecord__product=argan).values_list("pk", "quantity")) == lots_before


def test_destination_zone_knows_morocco_and_europe_only():
    assert Destination(country_code="MA").zone == "MA"
    assert Destination(country_code="fr").zone == "EU"
    assert Destination(country_code="US").zone is None
    assert Destination(country_code=None).zone is None


def test_a_producer_with_an_unknown_module_cannot_be_bought_from_and_the_message_says_why(demo):
    Partner.objects.filter(slug="rose-du-dades").update(fulfilment_module="carrier_pigeon")
    product = product_of("rose-du-dades")

    with pytest.raises(NotShippable, match="carrier_pigeon") as error:
        basket_shipping_plan(basket=basket_with([(product, 1)]), shipping_address=shipping_address())

    assert product.title in str(error.value)
