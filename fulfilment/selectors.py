"""Reads that split baskets and orders by producer: what each producer sends."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from oscar.core.loading import get_model

from core.payments import PaymentMethod, order_payment_method
from fulfilment.extensions import producer_reader_rules
from fulfilment.modules import UnknownFulfilmentModule, module_get
from fulfilment.modules.base import Destination, NotShippable, Parcel

Partner = get_model("partner", "Partner")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


@dataclass
class ProducerGroup:
    partner_id: int | None
    partner_name: str
    partner_url: str | None
    lines: list = field(default_factory=list)
    fulfilment: object = None

    @property
    def total(self) -> Decimal:
        return sum((line.line_price_incl_tax for line in self.lines), Decimal("0.00"))

    @property
    def num_items(self) -> int:
        return sum(line.quantity for line in self.lines)


def order_lines_by_producer(order) -> list[ProducerGroup]:
    """The order's lines grouped by the producer who sends them, in order of first line."""
    groups: dict[int | None, ProducerGroup] = {}
    for line in order.lines.select_related("partner", "product").order_by("pk"):
        group = groups.get(line.partner_id)
        if group is None:
            partner = line.partner
            group = groups[line.partner_id] = ProducerGroup(
                partner_id=line.partner_id,
                partner_name=partner.display_name if partner else line.partner_name,
                partner_url=partner.get_absolute_url() if partner and partner.slug else None,
            )
        group.lines.append(line)
    for fulfilment in order.fulfilments.all():
        if fulfilment.partner_id in groups:
            groups[fulfilment.partner_id].fulfilment = fulfilment
    return list(groups.values())


@dataclass
class ShippingPlan:
    """Each producer's parcel with its quoted method and charge; the order pays the sum."""

    parcels: list
    quotes: dict

    @property
    def total(self) -> Decimal:
        return sum((quote.charge for quote in self.quotes.values()), Decimal("0.00"))

    @property
    def groups(self) -> list[tuple]:
        return [(parcel, self.quotes[parcel.partner.pk]) for parcel in self.parcels]


def products_weight_kg(*, products) -> dict[int, Decimal]:
    """Shipped weight per product id from the `weight` attribute (kg); a variant falls back to its parent."""
    ids = {p.pk for p in products} | {p.parent_id for p in products if p.parent_id}
    weights = {
        product_id: Decimal(str(value))
        for product_id, value in ProductAttributeValue.objects.filter(
            product_id__in=ids, attribute__code="weight", value_float__isnull=False
        ).values_list("product_id", "value_float")
    }
    return {p.pk: weights.get(p.pk, weights.get(p.parent_id, Decimal("0"))) for p in products}


def parcels_from_lines(*, lines, partner_id_of) -> list[Parcel]:
    """Groups basket or order lines into one parcel per producer, in order of first line."""
    lines = list(lines)
    partners = Partner.objects.in_bulk({partner_id_of(line) for line in lines})
    weights = products_weight_kg(products={line.product for line in lines})
    parcels: dict[int, Parcel] = {}
    for line in lines:
        partner_id = partner_id_of(line)
        parcel = parcels.get(partner_id)
        if parcel is None:
            parcel = parcels[partner_id] = Parcel(partner=partners[partner_id])
        parcel.lines.append(line)
        parcel.weight_kg += weights[line.product.pk] * line.quantity
    return list(parcels.values())


def shipping_plan_for_parcels(*, parcels, destination: Destination) -> ShippingPlan:
    """Asks each producer's fulfilment module for its parcels' charges; raises NotShippable."""
    by_module: dict[str, list] = {}
    for parcel in parcels:
        by_module.setdefault(parcel.partner.fulfilment_module, []).append(parcel)
    quotes = {}
    for name, module_parcels in by_module.items():
        try:
            module = module_get(name)
        except UnknownFulfilmentModule as exc:
            raise NotShippable(parcel=module_parcels[0], destination=destination, reason=str(exc)) from exc
        for quote in module.quote(parcels=module_parcels, destination=destination):
            quotes[quote.partner_id] = quote
    return ShippingPlan(parcels=parcels, quotes=quotes)


def destination_of(address) -> Destination:
    if address is None:
        return Destination(country_code=None)
    return Destination(country_code=address.country_id, city=address.line4 or "")


def shipping_plan_for_basket_destination(*, basket, destination: Destination) -> ShippingPlan:
    lines = [line for line in basket.all_lines() if line.stockrecord_id]
    parcels = parcels_from_lines(lines=lines, partner_id_of=lambda line: line.stockrecord.partner_id)
    return shipping_plan_for_parcels(parcels=parcels, destination=destination)


def basket_shipping_plan(*, basket, shipping_address) -> ShippingPlan:
    return shipping_plan_for_basket_destination(basket=basket, destination=destination_of(shipping_address))


def fulfilments_for_producer_staff(*, user, status: str | None = None):
    """Fulfilments of the producers this user works for — never another producer's."""
    from fulfilment.models import ProducerFulfilment

    if not user.is_authenticated:
        return ProducerFulfilment.objects.none()
    queryset = (
        ProducerFulfilment.objects.filter(partner__users=user)
        .select_related("order", "partner", "order__shipping_address")
        .prefetch_related("lines__line")
        .order_by("-date_created", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def fulfilment_counts_by_status(*, user) -> dict[str, int]:
    from django.db.models import Count

    rows = fulfilments_for_producer_staff(user=user).order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def fulfilment_get_for_producer_staff(*, user, pk: int):
    """One of the user's producers' fulfilments, or 404 (another producer's id looks like no id)."""
    from django.http import Http404

    from fulfilment.models import ProducerFulfilment

    try:
        return fulfilments_for_producer_staff(user=user).prefetch_related("events__actor").get(pk=pk)
    except ProducerFulfilment.DoesNotExist:
        raise Http404("No such fulfilment") from None


def fulfilment_lines_with_lots(*, fulfilment) -> list:
    """The fulfilment's lines, each with the lot allocations its units came from."""
    return list(
        fulfilment.lines.select_related("line").prefetch_related("line__lot_allocations__lot").order_by("pk")
    )


def fulfilment_cash_to_collect(*, fulfilment, lines) -> Decimal | None:
    """What the carrier collects at the door for this parcel of a cash-on-delivery order: the units it
    carries (ordered less cancelled) at their price, plus its shipping charge, in the fulfilment's
    currency. None when the order is paid otherwise. `lines` are the fulfilment's lines with their
    order line (as `fulfilment_lines_with_lots` reads them)."""
    if order_payment_method(fulfilment.order) is not PaymentMethod.CASH_ON_DELIVERY:
        return None
    return fulfilment.shipping_charge + sum(
        (fl.line.unit_price_incl_tax * (fl.quantity - fl.quantity_cancelled) for fl in lines), Decimal("0.00")
    )


# --- Settlement statements: who sees which ---------------------------------------------------------


def settlements_visible_to(*, user):
    """Platform staff see every statement; a cooperative's people see their producer's; the rules
    later apps register add more readers (gie: a coordinator sees its GIEs' members' statements and
    the GIEs' own). Anyone else sees none."""
    from django.db.models import Q

    from fulfilment.models import SettlementStatement

    statements = SettlementStatement.objects.select_related("partner")
    if not user.is_authenticated or not user.is_active:
        return statements.none()
    if user.is_staff:
        return statements
    readable = Q(users=user)
    for rule in producer_reader_rules:
        readable |= rule(user=user)
    partner_ids = Partner.objects.filter(readable).values("pk")
    return statements.filter(partner_id__in=partner_ids)


def settlement_get_visible(*, user, pk: int):
    """One statement the user may read, or 404 (another producer's id looks like no id)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(settlements_visible_to(user=user), pk=pk)


def settlements_for_staff(*, user, partner_id=None, paid: bool | None = None, period_end=None):
    """The platform's settlement screen: every producer's statements, filtered; staff only."""
    from django.core.exceptions import PermissionDenied

    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied
    statements = settlements_visible_to(user=user)
    if partner_id:
        statements = statements.filter(partner_id=partner_id)
    if paid is not None:
        statements = statements.filter(date_paid__isnull=not paid)
    if period_end:
        statements = statements.filter(period_end=period_end)
    return statements.order_by("-period_end", "partner__name", "pk")


def settlements_unpaid_total(*, statements):
    """Count and total net payable of the unpaid statements among these (MAD)."""
    from django.db.models import Count, Sum

    totals = statements.filter(date_paid__isnull=True).aggregate(n=Count("pk"), total=Sum("net_payable"))
    return {"count": totals["n"], "total": totals["total"] or Decimal("0.00")}


def settlements_for_producer(*, producer):
    """The producer's own settlement statements (another producer's never), newest period first."""
    from fulfilment.models import SettlementStatement

    return (
        SettlementStatement.objects.filter(partner=producer)
        .select_related("partner")
        .order_by("-period_end", "-period_start", "-pk")
    )


REMINDER_KEY_PREFIX = "fulfilment-reminder:"


def fulfilments_pending_unreminded(*, older_than_hours: int):
    """Fulfilments still pending `older_than_hours` after the order, whose producer was not reminded."""
    from core.models import NotificationSent
    from fulfilment.models import ProducerFulfilment

    reminded = NotificationSent.objects.filter(
        key__startswith=Concat(Value(REMINDER_KEY_PREFIX), Cast(OuterRef("pk"), CharField()), Value(":"))
    )
    return (
        ProducerFulfilment.objects.filter(
            status=ProducerFulfilment.Status.PENDING,
            date_created__lt=timezone.now() - datetime.timedelta(hours=older_than_hours),
        )
        .exclude(Exists(reminded))
        .select_related("order", "partner")
        .prefetch_related("lines__line", "partner__users")
        .order_by("pk")
    )
