"""Reads on GIEs; everything under the coordinator dashboard goes through `gie_get_for_coordinator`."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Sum
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import LineLotAllocation
from cooperatives.selectors import commission_rates_for
from core.money import MONEY, amount_to_mad, amount_to_mad_expression, producer_unit_share
from core.payments import PaymentMethod, payment_code_expression
from fulfilment.models import FulfilmentLine, ProducerFulfilment
from gie.fulfilment_module import ROUTING_PREFIX, GieHub
from gie.models import CollectionRound, ConsolidatedShipment, ExportJob, Gie, RoundLine

Status = ProducerFulfilment.Status
OPEN_STATUSES = (Status.PENDING, Status.ACCEPTED, Status.PACKED)
# Lines the hub can still collect: the producer has not started shipping them itself.
GATHERABLE_STATUSES = (Status.PENDING, Status.ACCEPTED)
OPEN_UNITS = ExpressionWrapper(
    F("quantity") - F("quantity_shipped") - F("quantity_cancelled"), output_field=IntegerField()
)


def gie_get_for_public(*, slug: str) -> Gie:
    return get_object_or_404(Gie.objects.prefetch_related("members"), slug=slug)


def gie_members(*, gie: Gie):
    return gie.members.order_by("name")


def gies_coordinated_by(*, user):
    if not user.is_authenticated:
        return Gie.objects.none()
    if user.is_staff:
        return Gie.objects.all()
    return Gie.objects.filter(coordinators=user)


def gies_for_coordinator(*, user) -> list[Gie]:
    """The GIEs this user coordinates (every GIE for platform staff); PermissionDenied if none."""
    gies = list(gies_coordinated_by(user=user))
    if not gies:
        raise PermissionDenied(_("You coordinate no GIE."))
    return gies


def gie_get_for_coordinator(*, user, slug: str) -> Gie:
    """The GIE if the user coordinates it (platform staff see every GIE); another GIE looks like none."""
    gie = gies_coordinated_by(user=user).filter(slug=slug).first()
    if gie is None:
        raise Http404("No such GIE")
    return gie


def gie_get_for_coordinator_or_deny(*, user, slug: str) -> Gie:
    """As `gie_get_for_coordinator`, but a user who coordinates no GIE at all (anonymous visitor,
    customer, cooperative staff) is refused outright: the API tells them "not allowed", not "no such GIE"."""
    for gie in gies_for_coordinator(user=user):
        if gie.slug == slug:
            return gie
    raise Http404("No such GIE")


def hub_fulfilments(*, gie: Gie):
    """Fulfilments of the GIE's members routed through its hub."""
    return ProducerFulfilment.objects.filter(
        routing_key=f"{ROUTING_PREFIX}{gie.pk}",
        module=GieHub.name,
        partner__in=Gie.members.through.objects.filter(gie_id=gie.pk).values("partner_id"),
    )


def hub_lines(*, gie: Gie):
    return FulfilmentLine.objects.filter(fulfilment__in=hub_fulfilments(gie=gie).values("pk"))


def consolidated_lines(
    *,
    gie: Gie,
    member_id: int | None = None,
    product_id: int | None = None,
    status: str | None = None,
    destination: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Open hub-routed lines of members, filtered; each row carries its open units and amount."""
    queryset = hub_lines(gie=gie).filter(fulfilment__status__in=OPEN_STATUSES)
    if member_id:
        queryset = queryset.filter(fulfilment__partner_id=member_id)
    if product_id:
        queryset = queryset.filter(line__product_id=product_id)
    if status:
        queryset = queryset.filter(fulfilment__status=status)
    if destination:
        queryset = queryset.filter(
            Q(fulfilment__order__shipping_address__country_id=destination.upper())
            | Q(fulfilment__order__shipping_address__line4__iexact=destination)
        )
    if date_from:
        queryset = queryset.filter(fulfilment__order__date_placed__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(fulfilment__order__date_placed__date__lte=date_to)
    return (
        queryset.annotate(
            units_open=OPEN_UNITS,
            amount_open=ExpressionWrapper(OPEN_UNITS * F("line__unit_price_incl_tax"), output_field=MONEY),
            # in MAD at the rate the order recorded, so that totals never add euros to dirhams
            amount_open_mad=amount_to_mad_expression(
                OPEN_UNITS * F("line__unit_price_incl_tax"), order="fulfilment__order"
            ),
        )
        .select_related(
            "line",
            "fulfilment__partner",
            "fulfilment__order__shipping_address",
            "round_line__round",
        )
        .order_by("-fulfilment__order__date_placed", "pk")
    )


def consolidated_totals(*, lines) -> dict[str, list[dict]]:
    """Open units and amounts (in MAD, each line at its order's recorded rate) by product and by
    member, each in one grouped query."""
    base = lines.order_by()
    sums = {"units": Sum("units_open"), "amount": Sum("amount_open_mad")}
    return {
        "by_product": list(
            base.values("line__product_id", "line__title").annotate(**sums).order_by("line__title")
        ),
        "by_member": list(
            base.values("fulfilment__partner_id", "fulfilment__partner__name")
            .annotate(**sums)
            .order_by("fulfilment__partner__name")
        ),
    }


def gatherable_lines(*, gie: Gie, member_ids):
    """Pending hub-routed lines of these members that no round has taken yet."""
    return (
        hub_lines(gie=gie)
        .filter(fulfilment__status__in=GATHERABLE_STATUSES, fulfilment__partner_id__in=member_ids)
        .exclude(Exists(RoundLine.objects.filter(fulfilment_line=OuterRef("pk"))))
        .annotate(units_open=OPEN_UNITS)
        .filter(units_open__gt=0)
    )


def rounds_of(*, gie: Gie):
    return CollectionRound.objects.filter(gie=gie).prefetch_related("members")


def round_get(*, gie: Gie, pk: int) -> CollectionRound:
    return get_object_or_404(rounds_of(gie=gie), pk=pk)


@dataclass
class PurchaseOrderLine:
    partner_id: int
    line_id: int
    order_number: str
    title: str
    sku: str
    quantity: int
    unit_price_to_producer: Decimal
    lots: str = ""

    @property
    def total_to_producer(self) -> Decimal:
        return self.unit_price_to_producer * self.quantity


def round_purchase_orders(
    *, round_: CollectionRound, partner_id: int | None = None
) -> dict[int, list[PurchaseOrderLine]]:
    """Purchase orders of a round by member (or one member's): lines, lots, and the price the member
    gets per unit, which is what its statement will pay for that unit (`producer_unit_share`: the unit
    price in MAD at the order's recorded rate, less commission and the order's payment fee).

    Plain rows, not model instances: a round over every member holds tens of thousands of lines.
    """
    queryset = RoundLine.objects.filter(round=round_)
    if partner_id is not None:
        queryset = queryset.filter(partner_id=partner_id)
    lots: dict[int, list[str]] = {}
    for line_id, code in (
        LineLotAllocation.objects.filter(line__fulfilment_line__round_line__in=queryset.values("pk"))
        .order_by("pk")
        .values_list("line_id", "lot__code")
    ):
        lots.setdefault(line_id, []).append(code)
    rows = (
        queryset.annotate(payment_code=payment_code_expression("fulfilment_line__fulfilment__order_id"))
        .order_by("partner_id", "fulfilment_line__line__title", "pk")
        .values_list(
            "partner_id",
            "fulfilment_line__line_id",
            "fulfilment_line__fulfilment__order__number",
            "fulfilment_line__line__title",
            "fulfilment_line__line__partner_sku",
            "quantity",
            "fulfilment_line__line__unit_price_incl_tax",
            "fulfilment_line__fulfilment__order__currency",
            "fulfilment_line__fulfilment__order__exchange_rate__rate_to_mad",
            "payment_code",
        )
    )
    rates = commission_rates_for(partner_ids=queryset.values("partner_id"))
    by_member: dict[int, list[PurchaseOrderLine]] = {}
    for member_id, line_id, number, title, sku, quantity, unit_price, currency, rate, payment_code in rows:
        # members are paid in MAD, at the rate the order recorded
        order = SimpleNamespace(number=number, currency=currency, exchange_rate__rate_to_mad=rate)
        share = producer_unit_share(
            unit_price_mad=amount_to_mad(amount=unit_price, order=order),
            commission_rate=rates[member_id],
            fee_rate=PaymentMethod.fee_rate_of(payment_code),
        )
        by_member.setdefault(member_id, []).append(
            PurchaseOrderLine(
                partner_id=member_id,
                line_id=line_id,
                order_number=number,
                title=title,
                sku=sku,
                quantity=quantity,
                unit_price_to_producer=share.share,
                lots=", ".join(lots.get(line_id, [])),
            )
        )
    return by_member


def round_lines_of_member(*, round_: CollectionRound, partner_id: int) -> list[PurchaseOrderLine]:
    return round_purchase_orders(round_=round_, partner_id=partner_id).get(partner_id, [])


def round_members_summary(*, round_: CollectionRound) -> list[dict]:
    return rounds_members_summaries(rounds=[round_]).get(round_.pk, [])


def rounds_members_summaries(*, rounds) -> dict[int, list[dict]]:
    """Units to collect and received per member, for each of these rounds, in one grouped query."""
    summaries: dict[int, list[dict]] = {}
    for row in (
        RoundLine.objects.filter(round__in=[r.pk for r in rounds])
        .order_by()
        .values("round_id", "partner_id", "partner__name")
        .annotate(units=Sum("quantity"), received=Sum("quantity_received"))
        .order_by("round_id", "partner__name")
    ):
        summaries.setdefault(row.pop("round_id"), []).append(row)
    return summaries


def round_pick_list(*, round_: CollectionRound) -> list[dict]:
    """Units to collect per product across every member of the round."""
    return list(
        RoundLine.objects.filter(round=round_)
        .order_by()
        .values("fulfilment_line__line__product_id", "fulfilment_line__line__title", "partner__name")
        .annotate(units=Sum("quantity"))
        .order_by("fulfilment_line__line__title", "partner__name")
    )


def round_lines_to_receive(*, round_: CollectionRound):
    return (
        RoundLine.objects.filter(round=round_)
        .select_related("partner", "fulfilment_line__line", "fulfilment_line__fulfilment__order")
        .order_by("partner__name", "pk")
    )


def order_hub_fulfilments(*, gie: Gie, number: str) -> list[ProducerFulfilment]:
    """Every hub-routed fulfilment of one order for this GIE, with its lines and what the hub received."""
    fulfilments = list(
        hub_fulfilments(gie=gie)
        .filter(order__number=number)
        .select_related("order__shipping_address", "partner")
        .prefetch_related("lines__line", "lines__round_line")
        .order_by("partner__name", "pk")
    )
    if not fulfilments:
        raise Http404("No hub-routed order with this number")
    return fulfilments


def orders_ready_to_pack(*, gie: Gie):
    """Orders with open hub fulfilments, newest first (the packing list page links to each)."""
    return (
        hub_fulfilments(gie=gie)
        .filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("order__number", "order__date_placed")
        .distinct()
        .order_by("-order__date_placed")
    )


def shipments_of(*, gie: Gie):
    return ConsolidatedShipment.objects.filter(gie=gie).select_related("order")


def member_weekly_sales(*, gie: Gie, weeks: int = 12, today: datetime.date | None = None) -> dict:
    """Sales amount (MAD) per member and week over the last `weeks` weeks (hub-routed, not withdrawn)."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    week_starts = [start + datetime.timedelta(weeks=i) for i in range(weeks)]
    rows = (
        hub_lines(gie=gie)
        .exclude(fulfilment__status__in=(Status.REJECTED, Status.CANCELLED))
        .filter(fulfilment__order__date_placed__date__gte=start)
        .annotate(week=TruncWeek("fulfilment__order__date_placed"))
        .order_by()
        .values("week", "fulfilment__partner__name")
        .annotate(
            # each line in MAD at its order's recorded rate: a week never adds euros to dirhams
            amount=Sum(
                amount_to_mad_expression(
                    (F("quantity") - F("quantity_cancelled")) * F("line__unit_price_incl_tax"),
                    order="fulfilment__order",
                ),
                output_field=MONEY,
            )
        )
    )
    series: dict[str, list[Decimal]] = {m.name: [Decimal("0")] * weeks for m in gie_members(gie=gie)}
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime.datetime) else row["week"]
        index = (week - start).days // 7
        name = row["fulfilment__partner__name"]
        if 0 <= index < weeks and name in series:
            series[name][index] += row["amount"] or Decimal("0")
    return {"weeks": week_starts, "series": series}


def member_settlements(*, gie: Gie):
    """Settlement statements of the GIE's members and of the GIE's own record (its hub shipping);
    the GIE never sees a non-member's."""
    from django.db.models import Q

    from fulfilment.models import SettlementStatement

    members = Gie.members.through.objects.filter(gie_id=gie.pk).values("partner_id")
    visible = Q(partner__in=members)
    if gie.partner_id:
        visible |= Q(partner_id=gie.partner_id)
    return SettlementStatement.objects.filter(visible).select_related("partner")


def member_settlement_get(*, gie: Gie, pk: int):
    return get_object_or_404(member_settlements(gie=gie), pk=pk)


def export_get(*, gie: Gie, pk: int) -> ExportJob:
    """An export job of this GIE (another GIE's job looks like none)."""
    return get_object_or_404(ExportJob.objects.filter(gie=gie).select_related("round"), pk=pk)
