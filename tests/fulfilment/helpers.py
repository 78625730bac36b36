"""Places real orders through the project's OrderCreator, without the checkout views."""

import datetime
from decimal import Decimal

from oscar.core.loading import get_class, get_model

from core.payments import PaymentMethod
from fulfilment.models import SettlementStatement
from shop.payment.sources import payment_source_build

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

PRODUCERS_5 = [
    "souktana-safran-taliouine",
    "tifawin-argan-tiznit",
    "nakhil-aoufous",
    "rose-du-dades",
    "zitouna-ouazzane",
]


def product_of(slug: str, index: int = 0):
    return Product.objects.filter(stockrecords__partner__slug=slug).order_by("pk")[index]


def basket_with(items, *, owner=None):
    basket = Basket.objects.create(owner=owner)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def shipping_address(country="MA", city="Casablanca"):
    return ShippingAddress.objects.create(
        first_name="Nadia",
        last_name="Berrada",
        line1="12 rue Tarik Ibn Ziad",
        line4=city,
        postcode="20250",
        country_id=country,
        phone_number="+212612345678",
    )


def order_place(items, *, country="MA", user=None, basket=None, language=None, order_number=None):
    """A cash-on-delivery order placed as checkout places it, with its payment source (card orders
    come through the card flow and the Stripe double: tests/payment)."""
    basket = basket or basket_with(items, owner=user)
    address = shipping_address(country)
    method = Repository().get_shipping_methods(basket, shipping_addr=address)[0]
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=user,
        shipping_address=address,
        guest_email="" if user else "nadia@example.com",
        language=language,
        order_number=order_number,
    )
    source = payment_source_build(
        method=PaymentMethod.CASH_ON_DELIVERY, currency=total.currency, amount=total.incl_tax
    )
    source.order = order
    source.save()
    return order


def statement_for(partner, *, month: int = 10, net: str = "90.00"):
    """A settlement statement of one month of 2026 (the figures are not what these tests read)."""
    return SettlementStatement.objects.create(
        partner=partner,
        period_start=datetime.date(2026, month, 1),
        period_end=datetime.date(2026, month, 28),
        gross=Decimal("100.00"),
        refunds=Decimal("0.00"),
        commission=Decimal("10.00"),
        payment_fees=Decimal("0.00"),
        shipping=Decimal("0.00"),
        net_payable=Decimal(net),
    )
