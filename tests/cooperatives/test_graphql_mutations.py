"""A cooperative's staff manage products and lots through the API, with the dashboard's rules;
nobody else can, and another producer's ids look like no ids."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from graphql_relay import to_global_id
from oscar.core.loading import get_model

from tests.api import api_client, error_codes, gql
from tests.fulfilment.helpers import order_place, product_of

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Lot = get_model("partner", "Lot")
StockMovement = get_model("partner", "StockMovement")
SAFFRON, ARGAN = "souktana-safran-taliouine", "tifawin-argan-tiznit"
OUTSIDERS = {
    "anonymous": None,
    "customer": "customer@example.com",
    "gie-coordinator": "gie@example.com",
    "platform-staff": "admin@example.com",
}

PRODUCT_CREATE = """
mutation ($type: String!, $sku: String!, $input: ProductInput!) {
  productCreate(productType: $type, sku: $sku, input: $input) {
    product { id title upc price { amount currency } categories { slug } }
    errors { field message code }
  }
}"""
PRODUCT_UPDATE = """
mutation ($id: ID!, $input: ProductInput!) {
  productUpdate(id: $id, input: $input) {
    product { id title price { amount } } errors { field message code }
  }
}"""
LOT_CREATE = """
mutation ($productId: ID!, $code: String!, $quantity: Int!, $bestBefore: Date) {
  lotCreate(
    productId: $productId, code: $code, quantity: $quantity, bestBefore: $bestBefore, note: "harvest"
  ) {
    lot { id code quantity status productId } errors { field message code }
  }
}"""
LOT_ADJUST = """
mutation ($id: ID!, $quantity: Int!, $reason: String!) {
  lotAdjust(id: $id, quantity: $quantity, reason: $reason) { lot { quantity } errors { field message code } }
}"""
LOT_RECALL = """
mutation ($id: ID!, $reason: String!) {
  lotRecall(id: $id, reason: $reason) {
    lot { status recallReason } recipients { orderNumber quantity } errors { field message code }
  }
}"""
STATEMENTS = "{ myProducer { statements(first: 5) { totalCount edges { node { netPayable } } } } }"

SAFFRON_INPUT = {
    "title": "Safran catégorie I — 2 g",
    "titleEn": "Category I saffron — 2 g",
    "categories": ["safran"],
    "price": "150.00",
    "netQuantity": "2",
    "netQuantityUnit": "g",
    "originRegion": "souss-massa",
    "isPublic": True,
    "attributes": [
        {"code": "form", "value": "threads"},
        {"code": "iso_category", "value": "I"},
        {"code": "crocin", "value": "230"},
        {"code": "picrocrocin", "value": "90"},
        {"code": "safranal", "value": "35"},
        {"code": "moisture", "value": "9"},
    ],
}


def _ok(body, name):
    assert "errors" not in body, body
    payload = body["data"][name]
    assert payload["errors"] == [], payload["errors"]
    return payload


def test_staff_create_and_update_a_typed_product_through_the_dashboards_form(demo):
    client = api_client("saffron@example.com")

    created = _ok(
        gql(client, PRODUCT_CREATE, type="safran", sku="TAL-300", input=SAFFRON_INPUT), "productCreate"
    )
    product = Product.objects.get(stockrecords__partner_sku="TAL-300")
    updated = _ok(
        gql(client, PRODUCT_UPDATE, id=created["product"]["id"], input={"price": "160.00"}), "productUpdate"
    )

    assert created["product"]["categories"] == [{"slug": "safran"}]
    assert product.stockrecords.get().partner.slug == SAFFRON and product.is_public
    assert product.attr.crocin == 230
    # an update changes what it names and keeps the rest
    assert updated["product"]["title"] == "Safran catégorie I — 2 g"
    assert product.stockrecords.get().price == Decimal("160.00")


@pytest.mark.parametrize(
    "overrides,field,code",
    [
        (
            {"attributes": [{"code": "crocin", "value": "120"}, {"code": "iso_category", "value": "I"}]},
            "attributes",
            None,
        ),
        ({"price": "-1"}, "price", "MIN_VALUE"),
        ({"title": ""}, "title", "REQUIRED"),
        ({"categories": ["no-such-category"]}, "categories", "INVALID_CHOICE"),
    ],
    ids=["iso-3632-refused", "negative-price", "no-title", "unknown-category"],
)
def test_what_the_form_refuses_comes_back_as_field_errors_and_writes_nothing(demo, overrides, field, code):
    body = gql(
        api_client("saffron@example.com"),
        PRODUCT_CREATE,
        type="safran",
        sku="TAL-301",
        input={**SAFFRON_INPUT, **overrides},
    )

    payload = body["data"]["productCreate"]
    assert payload["product"] is None
    assert field in {e["field"] for e in payload["errors"]}, payload["errors"]
    if code:
        assert code in {e["code"] for e in payload["errors"]}
    assert not Product.objects.filter(stockrecords__partner_sku="TAL-301").exists()


def test_a_used_sku_is_refused(demo):
    used = product_of(SAFFRON).stockrecords.get().partner_sku

    body = gql(
        api_client("saffron@example.com"), PRODUCT_CREATE, type="safran", sku=used, input=SAFFRON_INPUT
    )

    assert [e["field"] for e in body["data"]["productCreate"]["errors"]] == ["sku"]


def test_staff_add_adjust_and_recall_a_lot_and_learn_who_bought_from_it(demo):
    client = api_client("saffron@example.com")
    product = product_of(SAFFRON)

    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()  # the first to expire

    created = _ok(
        gql(client, LOT_CREATE, productId=product.pk, code="TAL-2026-API", quantity=40, bestBefore=tomorrow),
        "lotCreate",
    )
    lot_id = created["lot"]["id"]
    adjusted = _ok(gql(client, LOT_ADJUST, id=lot_id, quantity=35, reason="stock count"), "lotAdjust")
    order = order_place([(product, 2)])  # takes the earliest-expiring lot: the new one
    recalled = _ok(gql(client, LOT_RECALL, id=lot_id, reason="moisture above 12 %"), "lotRecall")

    assert created["lot"]["status"] == "ACTIVE"
    assert created["lot"]["productId"] == to_global_id("Product", product.pk)
    assert adjusted["lot"]["quantity"] == 35
    assert recalled["lot"] == {"status": "RECALLED", "recallReason": "moisture above 12 %"}
    assert recalled["recipients"] == [{"orderNumber": str(order.number), "quantity": 2}]
    kinds = list(StockMovement.objects.filter(lot__code="TAL-2026-API").values_list("kind", flat=True))
    assert sorted(kinds) == sorted(["create", "adjust", "recall"])


def test_an_adjustment_without_a_reason_is_an_input_error(demo):
    lot = Lot.objects.filter(stockrecord__partner__slug=SAFFRON).first()

    body = gql(api_client("saffron@example.com"), LOT_ADJUST, id=lot.pk, quantity=1, reason=" ")

    assert [(e["field"], e["code"]) for e in body["data"]["lotAdjust"]["errors"]] == [("reason", "REQUIRED")]


def test_another_producers_product_or_lot_is_not_found(demo):
    client = api_client("saffron@example.com")
    argan_product = product_of(ARGAN)
    argan_lot = Lot.objects.filter(stockrecord__partner__slug=ARGAN).first()

    update = gql(client, PRODUCT_UPDATE, id=argan_product.pk, input={"price": "1.00"})
    lot = gql(client, LOT_CREATE, productId=argan_product.pk, code="STOLEN-1", quantity=1)
    adjust = gql(client, LOT_ADJUST, id=argan_lot.pk, quantity=0, reason="x")
    recall = gql(client, LOT_RECALL, id=argan_lot.pk, reason="x")

    assert [error_codes(b) for b in (update, lot, adjust, recall)] == [["NOT_FOUND"]] * 4
    argan_lot.refresh_from_db()
    assert argan_lot.status == "active" and not Lot.objects.filter(code="STOLEN-1").exists()


@pytest.mark.parametrize("email", OUTSIDERS.values(), ids=OUTSIDERS.keys())
def test_who_works_for_no_producer_is_refused_every_producer_mutation(demo, email):
    client = api_client(email)
    product = product_of(SAFFRON)
    lot = Lot.objects.filter(stockrecord__partner__slug=SAFFRON).first()

    bodies = [
        gql(client, PRODUCT_CREATE, type="safran", sku="TAL-302", input=SAFFRON_INPUT),
        gql(client, PRODUCT_UPDATE, id=product.pk, input={"price": "1.00"}),
        gql(client, LOT_CREATE, productId=product.pk, code="X-1", quantity=1),
        gql(client, LOT_ADJUST, id=lot.pk, quantity=0, reason="x"),
        gql(client, LOT_RECALL, id=lot.pk, reason="x"),
        gql(client, STATEMENTS),
    ]

    assert [error_codes(body) for body in bodies] == [["PERMISSION_DENIED"]] * 6
    assert not Product.objects.filter(stockrecords__partner_sku="TAL-302").exists()
