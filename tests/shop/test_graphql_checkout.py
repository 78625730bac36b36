"""Buying through the API with the pages' services, then each producer fulfilling its part."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from oscar.core.loading import get_model

from cooperatives.services import sellable_lots_q
from core.payments import PaymentMethod, order_payment_method
from shop.checkout.card import card_checkout_order_place
from shop.checkout.models import ApiCheckout
from shop.payment.models import CardCheckout, StripePaymentIntent
from shop.payment.services import stripe_payment_intent_confirm
from tests.api import api_client, bearer_client, error_codes, gql, token_for
from tests.fulfilment.helpers import product_of
from tests.payment.conftest import stripe_double  # noqa: F401  (the local Stripe API)

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
Lot = get_model("partner", "Lot")
LineLotAllocation = get_model("partner", "LineLotAllocation")
SAFFRON, ARGAN, DATES = "souktana-safran-taliouine", "tifawin-argan-tiznit", "nakhil-aoufous"
STAFF = {SAFFRON: "saffron@example.com", ARGAN: "argan@example.com", DATES: "dates@example.com"}

CHECKOUT_FIELDS = """
  token email currency
  lines { id quantity product { upc } producer { slug } total { amount currency } }
  deliveryGroups { producer { id slug } methods { code charge { amount currency } } selectedMethod { code } }
  shippingPrice { amount } total { amount currency } availablePaymentMethods
"""


def _checkout_mutation(name: str, declarations: str, arguments: str) -> str:
    return (
        f"mutation ({declarations}) {{ {name}({arguments}) "
        f"{{ checkout {{ {CHECKOUT_FIELDS} }} errors {{ field message code }} }} }}"
    )


CREATE = _checkout_mutation(
    "checkoutCreate",
    "$lines: [CheckoutLineInput!]!, $email: String, $currency: String",
    "lines: $lines, email: $email, currency: $currency",
)
LINES_ADD = _checkout_mutation(
    "checkoutLinesAdd", "$token: UUID!, $lines: [CheckoutLineInput!]!", "token: $token, lines: $lines"
)
LINES_UPDATE = _checkout_mutation(
    "checkoutLinesUpdate",
    "$token: UUID!, $lines: [CheckoutLineUpdateInput!]!",
    "token: $token, lines: $lines",
)
LINES_DELETE = _checkout_mutation(
    "checkoutLinesDelete", "$token: UUID!, $ids: [ID!]!", "token: $token, lineIds: $ids"
)
ADDRESS = _checkout_mutation(
    "checkoutShippingAddressUpdate",
    "$token: UUID!, $address: AddressInput!",
    "token: $token, shippingAddress: $address",
)
DELIVERY = """
mutation ($token: UUID!, $producerId: ID!, $code: String!) {
  checkoutDeliveryMethodUpdate(token: $token, producerId: $producerId, methodCode: $code) {
    checkout { deliveryGroups { producer { slug } selectedMethod { code } } } errors { field message code }
  }
}"""
COMPLETE = """
mutation ($token: UUID!, $method: PaymentMethodEnum!) {
  checkoutComplete(token: $token, paymentMethod: $method) {
    order { number paymentMethod total { amount currency } fulfilments { id state } }
    orderNumber clientSecret errors { field message code }
  }
}"""
CASABLANCA = {
    "firstName": "Nadia",
    "lastName": "Berrada",
    "line1": "12 rue Tarik Ibn Ziad",
    "city": "Casablanca",
    "postcode": "20250",
    "country": "MA",
    "phoneNumber": "+212612345678",
}


@pytest.fixture(autouse=True)
def _no_failed_sign_ins():
    cache.clear()


def _payload(body, name):
    assert "errors" not in body, body
    return body["data"][name]


def _ok(body, name):
    payload = _payload(body, name)
    assert payload["errors"] == [], payload["errors"]
    return payload


def _line(product, quantity):
    return {"productId": str(product.pk), "quantity": quantity}


def _choose(client, token, group, code=None):
    code = code or group["methods"][0]["code"]
    return gql(client, DELIVERY, token=token, producerId=group["producer"]["id"], code=code)


def _complete(client, token, method="CASH_ON_DELIVERY"):
    return _payload(gql(client, COMPLETE, token=token, method=method), "checkoutComplete")


def _codes(payload):
    return [error["code"] for error in payload["errors"]]


def _checkout_until_delivery(client, items, *, address=CASABLANCA, email="nadia@example.com"):
    created = _ok(gql(client, CREATE, lines=[_line(p, q) for p, q in items], email=email), "checkoutCreate")
    token = created["checkout"]["token"]
    checkout = _ok(gql(client, ADDRESS, token=token, address=address), "checkoutShippingAddressUpdate")
    for group in checkout["checkout"]["deliveryGroups"]:
        _ok(
            gql(
                client,
                DELIVERY,
                token=token,
                producerId=group["producer"]["id"],
                code=group["methods"][0]["code"],
            ),
            "checkoutDeliveryMethodUpdate",
        )
    return token


def _first_sellable_lot(product):
    record = product.stockrecords.get()
    return Lot.objects.filter(sellable_lots_q(), stockrecord=record, quantity__gt=0).order_by(
        "best_before", "pk"
    )[0]


def _step(client, mutation, fulfilment_id, **arguments):
    extra = "".join(f", {name}: ${name}" for name in arguments)
    declared = "".join(f", ${name}: String!" for name in arguments)
    query = (
        f"mutation ($id: ID!{declared}) {{ {mutation}(id: $id{extra}) "
        "{ fulfilment { id state carrier trackingNumber } errors { field message code } } }"
    )
    return gql(client, query, id=fulfilment_id, **arguments)


def test_a_guest_buys_from_three_producers_through_the_api_and_each_fulfils_its_part(demo):
    # given a guest with no session, and the lots each product's units should come from
    client = Client()
    saffron, argan, dates = product_of(SAFFRON), product_of(ARGAN), product_of(DATES)
    extra = product_of(SAFFRON, 1)
    expected_lots = {p.pk: _first_sellable_lot(p) for p in (saffron, argan, dates)}

    # when the guest fills a checkout line by line
    created = _ok(
        gql(
            client,
            CREATE,
            lines=[_line(saffron, 1), _line(argan, 3)],
            email="nadia@example.com",
            currency="MAD",
        ),
        "checkoutCreate",
    )
    token = created["checkout"]["token"]
    added = _ok(
        gql(client, LINES_ADD, token=token, lines=[_line(dates, 2), _line(extra, 1)]), "checkoutLinesAdd"
    )
    line_of = {line["product"]["upc"]: line["id"] for line in added["checkout"]["lines"]}
    updated = _ok(
        gql(client, LINES_UPDATE, token=token, lines=[{"lineId": line_of[argan.upc], "quantity": 2}]),
        "checkoutLinesUpdate",
    )
    deleted = _ok(gql(client, LINES_DELETE, token=token, ids=[line_of[extra.upc]]), "checkoutLinesDelete")
    with_address = _ok(gql(client, ADDRESS, token=token, address=CASABLANCA), "checkoutShippingAddressUpdate")
    groups = with_address["checkout"]["deliveryGroups"]
    for group in groups:
        chosen = gql(
            client,
            DELIVERY,
            token=token,
            producerId=group["producer"]["id"],
            code=group["methods"][0]["code"],
        )
        _ok(chosen, "checkoutDeliveryMethodUpdate")
    completed = _ok(gql(client, COMPLETE, token=token, method="CASH_ON_DELIVERY"), "checkoutComplete")

    # then the order was placed as the checkout pages place it
    assert {line["product"]["upc"]: line["quantity"] for line in updated["checkout"]["lines"]}[argan.upc] == 2
    assert {line["product"]["upc"] for line in deleted["checkout"]["lines"]} == {
        saffron.upc,
        argan.upc,
        dates.upc,
    }
    assert sorted(g["producer"]["slug"] for g in groups) == sorted([SAFFRON, ARGAN, DATES])
    assert with_address["checkout"]["availablePaymentMethods"] == ["CASH_ON_DELIVERY"]
    order = Order.objects.get(number=completed["orderNumber"])
    assert completed["order"]["number"] == str(order.number)
    assert completed["order"]["paymentMethod"] == "CASH_ON_DELIVERY"
    assert completed["order"]["total"] == with_address["checkout"]["total"]
    assert order_payment_method(order) is PaymentMethod.CASH_ON_DELIVERY
    assert order.guest_email == "nadia@example.com" and order.shipping_address.line4 == "Casablanca"
    assert order.sources.get().amount_allocated == order.total_incl_tax
    assert {line.product_id: line.quantity for line in order.lines.all()} == {
        saffron.pk: 1,
        argan.pk: 2,
        dates.pk: 2,
    }
    for line in order.lines.all():
        allocation = LineLotAllocation.objects.get(line=line)
        assert allocation.lot == expected_lots[line.product_id]  # first expired, first out
    fulfilments = {f.partner.slug: f for f in order.fulfilments.select_related("partner")}
    assert set(fulfilments) == {SAFFRON, ARGAN, DATES}
    assert ApiCheckout.objects.get(token=token).order == order

    # when each producer's staff work their own part through the API
    for slug, email in STAFF.items():
        staff = bearer_client(token_for(email))
        fulfilment_id = str(fulfilments[slug].pk)
        _ok(_step(staff, "fulfilmentAccept", fulfilment_id), "fulfilmentAccept")
        _ok(_step(staff, "fulfilmentPack", fulfilment_id), "fulfilmentPack")
        shipped = _ok(
            _step(staff, "fulfilmentShip", fulfilment_id, carrier="Amana", trackingNumber=f"AM-{slug[:4]}"),
            "fulfilmentShip",
        )
        delivered = _ok(_step(staff, "fulfilmentDeliver", fulfilment_id), "fulfilmentDeliver")
        assert shipped["fulfilment"]["carrier"] == "Amana"
        assert shipped["fulfilment"]["trackingNumber"] == f"AM-{slug[:4]}"
        assert delivered["fulfilment"]["state"] == "DELIVERED"

    # then the order is delivered and the cash collected at each door
    order.refresh_from_db()
    assert order.status == "Delivered"
    assert all(f.cod_collected_amount for f in order.fulfilments.all())


def test_a_producer_cannot_touch_another_producers_fulfilment_nor_can_a_customer(demo):
    token = _checkout_until_delivery(Client(), [(product_of(SAFFRON), 1), (product_of(ARGAN), 1)])
    order = Order.objects.get(
        number=_ok(gql(Client(), COMPLETE, token=token, method="CASH_ON_DELIVERY"), "checkoutComplete")[
            "orderNumber"
        ]
    )
    argans = str(order.fulfilments.get(partner__slug=ARGAN).pk)

    foreign = _step(bearer_client(token_for("saffron@example.com")), "fulfilmentAccept", argans)
    customer = _step(api_client("customer@example.com"), "fulfilmentAccept", argans)
    anonymous = _step(Client(), "fulfilmentAccept", argans)

    assert foreign["data"] == {"fulfilmentAccept": None} and error_codes(foreign) == ["NOT_FOUND"]
    assert error_codes(customer) == error_codes(anonymous) == ["PERMISSION_DENIED"]
    assert order.fulfilments.get(partner__slug=ARGAN).status == "pending"


def test_a_step_the_state_does_not_allow_or_a_bad_carrier_is_an_input_error(demo):
    token = _checkout_until_delivery(Client(), [(product_of(SAFFRON), 1)])
    number = _ok(gql(Client(), COMPLETE, token=token, method="CASH_ON_DELIVERY"), "checkoutComplete")[
        "orderNumber"
    ]
    fulfilment_id = str(Order.objects.get(number=number).fulfilments.get().pk)
    staff = bearer_client(token_for("saffron@example.com"))

    too_early = _payload(_step(staff, "fulfilmentDeliver", fulfilment_id), "fulfilmentDeliver")
    _ok(_step(staff, "fulfilmentAccept", fulfilment_id), "fulfilmentAccept")
    _ok(_step(staff, "fulfilmentPack", fulfilment_id), "fulfilmentPack")
    no_such_carrier = _payload(
        _step(staff, "fulfilmentShip", fulfilment_id, carrier="Pigeon"), "fulfilmentShip"
    )

    assert [e["code"] for e in too_early["errors"]] == ["ILLEGAL_TRANSITION"]
    assert [(e["field"], e["code"]) for e in no_such_carrier["errors"]] == [("carrier", "INVALID_CHOICE")]


def test_a_signed_in_customers_order_is_theirs_and_their_checkout_nobody_elses(demo):
    customer = get_user_model().objects.get(email="customer@example.com")
    client = bearer_client(token_for("customer@example.com"))
    token = _checkout_until_delivery(client, [(product_of(DATES), 1)], email="")

    stranger = gql(Client(), COMPLETE, token=token, method="CASH_ON_DELIVERY")
    completed = _ok(gql(client, COMPLETE, token=token, method="CASH_ON_DELIVERY"), "checkoutComplete")

    assert stranger["data"] == {"checkoutComplete": None} and error_codes(stranger) == ["NOT_FOUND"]
    order = Order.objects.get(number=completed["orderNumber"])
    assert order.user == customer and order.email == "customer@example.com"


@pytest.mark.parametrize(
    "lines,code",
    [
        ([{"productId": "999999", "quantity": 1}], "PRODUCT_NOT_FOUND"),
        ([{"productId": "not-an-id", "quantity": 1}], "PRODUCT_NOT_FOUND"),
        ("zero", "QUANTITY_INVALID"),
        ("too-many", "INSUFFICIENT_STOCK"),
        ([], "EMPTY"),
    ],
    ids=["unknown-product", "not-an-id", "zero", "more-than-stock", "no-lines"],
)
def test_lines_the_basket_page_would_refuse_are_refused(demo, lines, code):
    saffron = product_of(SAFFRON)
    if lines == "zero":
        lines = [_line(saffron, 0)]
    elif lines == "too-many":
        lines = [_line(saffron, saffron.stockrecords.get().num_in_stock + 1)]

    payload = _payload(gql(Client(), CREATE, lines=lines, email="nadia@example.com"), "checkoutCreate")

    assert payload["checkout"] is None and code in [e["code"] for e in payload["errors"]]
    assert not ApiCheckout.objects.exists()


def test_completion_needs_an_address_every_delivery_method_and_an_offered_payment_method(demo):
    client = Client()
    created = _ok(
        gql(
            client,
            CREATE,
            lines=[_line(product_of(SAFFRON), 1), _line(product_of(ARGAN), 1)],
            email="n@example.com",
        ),
        "checkoutCreate",
    )
    token = created["checkout"]["token"]

    def complete_codes(method="CASH_ON_DELIVERY"):
        return [
            e["code"]
            for e in _payload(gql(client, COMPLETE, token=token, method=method), "checkoutComplete")["errors"]
        ]

    no_address = complete_codes()
    checkout = _ok(gql(client, ADDRESS, token=token, address=CASABLANCA), "checkoutShippingAddressUpdate")[
        "checkout"
    ]
    first = checkout["deliveryGroups"][0]
    _ok(
        gql(
            client,
            DELIVERY,
            token=token,
            producerId=first["producer"]["id"],
            code=first["methods"][0]["code"],
        ),
        "checkoutDeliveryMethodUpdate",
    )
    one_method_missing = complete_codes()
    wrong_method = _payload(
        gql(
            client,
            DELIVERY,
            token=token,
            producerId=checkout["deliveryGroups"][1]["producer"]["id"],
            code="teleport",
        ),
        "checkoutDeliveryMethodUpdate",
    )
    card_without_stripe = complete_codes("CARD")

    assert no_address == ["SHIPPING_ADDRESS_REQUIRED"]
    assert one_method_missing == ["DELIVERY_METHOD_REQUIRED"]
    assert _codes(wrong_method) == ["DELIVERY_METHOD_INVALID"]
    assert card_without_stripe == ["DELIVERY_METHOD_REQUIRED"]
    assert not Order.objects.filter(guest_email="n@example.com").exists()


def test_cash_on_delivery_is_refused_where_carriers_do_not_collect_cash(demo):
    france = {
        **CASABLANCA,
        "city": "Lyon",
        "postcode": "69003",
        "country": "FR",
        "phoneNumber": "+33612345678",
    }
    token = _checkout_until_delivery(Client(), [(product_of(SAFFRON), 1)], address=france)

    payload = _payload(gql(Client(), COMPLETE, token=token, method="CASH_ON_DELIVERY"), "checkoutComplete")

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("paymentMethod", "PAYMENT_METHOD_UNAVAILABLE")
    ]


def test_a_completed_checkout_cannot_be_completed_or_changed_again(demo):
    client = Client()
    token = _checkout_until_delivery(client, [(product_of(SAFFRON), 1)])
    _ok(gql(client, COMPLETE, token=token, method="CASH_ON_DELIVERY"), "checkoutComplete")

    again = _payload(gql(client, COMPLETE, token=token, method="CASH_ON_DELIVERY"), "checkoutComplete")
    more = _payload(
        gql(client, LINES_ADD, token=token, lines=[_line(product_of(ARGAN), 1)]), "checkoutLinesAdd"
    )

    assert [e["code"] for e in again["errors"]] == ["ALREADY_COMPLETED"]
    assert [e["code"] for e in more["errors"]] == ["ALREADY_COMPLETED"]
    assert Order.objects.filter(guest_email="nadia@example.com").count() == 1


def test_an_address_a_producer_cannot_deliver_to_is_refused_with_the_products_named(demo):
    client = Client()
    created = _ok(
        gql(client, CREATE, lines=[_line(product_of(SAFFRON), 1)], email="n@example.com"), "checkoutCreate"
    )
    usa = {**CASABLANCA, "city": "Boston", "country": "US", "phoneNumber": "+16175550100"}

    payload = _payload(
        gql(client, ADDRESS, token=created["checkout"]["token"], address=usa), "checkoutShippingAddressUpdate"
    )

    assert payload["checkout"] is None
    assert [e["code"] for e in payload["errors"]] in (["NOT_SHIPPABLE"], ["INVALID_CHOICE"])


def test_an_unknown_checkout_is_not_found(demo):
    body = gql(Client(), COMPLETE, token="5b1f1d5e-3c2a-4f7e-9a43-2d1c0b9a8f7e", method="CASH_ON_DELIVERY")

    assert body["data"] == {"checkoutComplete": None} and error_codes(body) == ["NOT_FOUND"]


@pytest.mark.usefixtures("stripe_double")
def test_a_card_checkout_answers_stripes_client_secret_and_the_paid_order_is_placed(demo):
    # given a checkout for two producers, with the card offered (Stripe keys set)
    client = Client()
    token = _checkout_until_delivery(client, [(product_of(SAFFRON), 1), (product_of(ARGAN), 1)])
    total = gql(client, "query ($t: UUID!) { checkout(token: $t) { total { amount } } }", t=token)

    # when the buyer completes with a card
    payload = _ok(gql(client, COMPLETE, token=token, method="CARD"), "checkoutComplete")

    # then Stripe's client secret comes back, and no order exists until the payment succeeds
    assert payload["order"] is None and payload["clientSecret"]
    card = CardCheckout.objects.get(order_number=payload["orderNumber"])
    intent = StripePaymentIntent.objects.get(intent_id=card.intent_id)
    assert str(intent.amount) == total["data"]["checkout"]["total"]["amount"]
    assert not Order.objects.filter(number=payload["orderNumber"]).exists()

    # when Stripe.js confirms the payment (here the server-side confirmation the card page uses)
    stripe_payment_intent_confirm(intent=intent, payment_method="pm_card_visa")
    order = card_checkout_order_place(checkout=card)

    # then the order is placed once, paid by card, with the checkout's lines
    assert order.number == payload["orderNumber"]
    assert order_payment_method(order) is PaymentMethod.CARD
    assert order.fulfilments.count() == 2
    assert Order.objects.filter(number=payload["orderNumber"]).count() == 1
