"""Writes on producer fulfilments: the split at placement and each producer's steps after it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from oscar.core.loading import get_model

from cooperatives.services import stock_return_to_lots
from core.notifications import task_queue_on_commit
from core.payments import PaymentMethod, order_payment_method
from fulfilment.models import FulfilmentEvent, FulfilmentLine, ProducerFulfilment
from fulfilment.modules import UnknownFulfilmentModule, module_get
from fulfilment.oscar_events import order_payment_event_record, order_shipping_event_record
from fulfilment.selectors import destination_of, parcels_from_lines, shipping_plan_for_parcels
from fulfilment.signals import fulfilment_refund_due

Order = get_model("order", "Order")
OrderStatusChange = get_model("order", "OrderStatusChange")
Status = ProducerFulfilment.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING: {Status.ACCEPTED, Status.REJECTED, Status.CANCELLED},
    Status.ACCEPTED: {Status.PACKED, Status.REJECTED, Status.CANCELLED},
    Status.PACKED: {Status.SHIPPED, Status.REJECTED, Status.CANCELLED},
    Status.SHIPPED: {Status.DELIVERED},
    Status.DELIVERED: set(),
    Status.REJECTED: set(),
    Status.CANCELLED: set(),
}


class IllegalTransition(Exception):
    """A producer tried a step its fulfilment's current state does not allow."""


class FulfilmentInputError(ValueError):
    """Bad input for a fulfilment step (quantities, tracking); nothing was written."""


def _module_requires_carrier(name: str) -> bool:
    try:
        return module_get(name).requires_carrier
    except UnknownFulfilmentModule:
        return True  # a module since removed: ask for the carrier rather than ship blind


@transaction.atomic
def producer_fulfilment_module_set(*, producer, name: str):
    """Choose the fulfilment module that quotes and ships the producer's parcels from now on."""
    try:
        module_get(name)
    except UnknownFulfilmentModule as exc:
        raise ValidationError({"fulfilment_module": str(exc)}) from exc
    producer.fulfilment_module = name
    producer.save(update_fields=["fulfilment_module"])
    return producer


def order_fulfilments_create(*, order, lines, charge_convert=None) -> list[ProducerFulfilment]:
    """Split a new order into one fulfilment per producer; run inside the placement transaction.

    `charge_convert` (MAD amount → amount in the order's currency) prices parcels of a non-MAD order.
    """
    from fulfilment.tasks import notifications_for_new_order

    parcels = parcels_from_lines(lines=lines, partner_id_of=lambda line: line.partner_id)
    plan = shipping_plan_for_parcels(parcels=parcels, destination=destination_of(order.shipping_address))
    fulfilments = []
    for parcel, quote in plan.groups:
        fulfilment = ProducerFulfilment(
            order=order,
            partner=parcel.partner,
            module=quote.module,
            shipping_method_code=quote.method_code,
            shipping_method_name=quote.method_name,
            shipping_charge=charge_convert(quote.charge) if charge_convert else quote.charge,
            currency=order.currency,
            routing_key=quote.routing_key,
        )
        module_get(quote.module).prepare_fulfilment(fulfilment=fulfilment)
        fulfilments.append(fulfilment)
    ProducerFulfilment.objects.bulk_create(fulfilments)
    FulfilmentLine.objects.bulk_create(
        FulfilmentLine(fulfilment=fulfilment, line=line, quantity=line.quantity)
        for fulfilment, (parcel, __) in zip(fulfilments, plan.groups, strict=True)
        for line in parcel.lines
    )
    FulfilmentEvent.objects.bulk_create(
        FulfilmentEvent(fulfilment=f, actor=order.user, status_to=Status.PENDING, note=_("Order placed."))
        for f in fulfilments
    )
    task_queue_on_commit(notifications_for_new_order, order.pk)
    return fulfilments


def _fulfilment_lock(fulfilment: ProducerFulfilment) -> ProducerFulfilment:
    return ProducerFulfilment.objects.select_for_update().select_related("order").get(pk=fulfilment.pk)


def _transition(*, fulfilment, to: str, actor, note: str = "") -> ProducerFulfilment:
    locked = _fulfilment_lock(fulfilment)
    if to not in TRANSITIONS[locked.status]:
        raise IllegalTransition(
            _("A fulfilment that is %(current)s cannot become %(target)s.")
            % {"current": locked.get_status_display(), "target": Status(to).label}
        )
    FulfilmentEvent.objects.create(
        fulfilment=locked, actor=actor, status_from=locked.status, status_to=to, note=note
    )
    locked.status = to
    return locked


def _save_and_derive(fulfilment: ProducerFulfilment, *fields: str) -> ProducerFulfilment:
    fulfilment.save(update_fields=["status", "date_updated", *fields])
    order_status_derive(order=fulfilment.order)
    return fulfilment


@transaction.atomic
def producer_fulfilment_accept(*, fulfilment: ProducerFulfilment, actor=None) -> ProducerFulfilment:
    fulfilment = _transition(fulfilment=fulfilment, to=Status.ACCEPTED, actor=actor)
    order_shipping_event_record(fulfilment=fulfilment, code="accepted", name=_("Accepted by producer"))
    return _save_and_derive(fulfilment)


@transaction.atomic
def producer_fulfilment_pack(*, fulfilment: ProducerFulfilment, actor=None) -> ProducerFulfilment:
    fulfilment = _transition(fulfilment=fulfilment, to=Status.PACKED, actor=actor)
    order_shipping_event_record(fulfilment=fulfilment, code="packed", name=_("Packed"))
    return _save_and_derive(fulfilment)


@transaction.atomic
def producer_fulfilment_ship(
    *,
    fulfilment: ProducerFulfilment,
    carrier: str,
    tracking_number: str = "",
    quantities: dict[int, int] | None = None,
    actor=None,
    notify_customer: bool = True,
) -> ProducerFulfilment:
    """Ship the packed parcel. `quantities` (order line id → units) ships less on a shortfall.

    Units not shipped are cancelled and refunded; they are not put back into the lots, because a
    shortfall means the producer does not have them.
    """
    from fulfilment.tasks import notification_for_shipment

    carrier = (carrier or "").strip()
    if not carrier and _module_requires_carrier(fulfilment.module):
        raise FulfilmentInputError(_("Say which carrier takes the parcel."))
    fulfilment = _transition(fulfilment=fulfilment, to=Status.SHIPPED, actor=actor, note=carrier)
    lines = list(fulfilment.lines.select_related("line"))
    quantities = quantities or {}
    unknown = set(quantities) - {fl.line_id for fl in lines}
    if unknown:
        raise FulfilmentInputError(
            _("These order lines are not part of this fulfilment: %s") % sorted(unknown)
        )
    shortfall: dict[int, int] = {}
    for fl in lines:
        shipped = quantities.get(fl.line_id, fl.quantity_open)
        if not 0 <= shipped <= fl.quantity_open:
            raise FulfilmentInputError(
                _("“%(title)s”: ship between 0 and %(max)d units.")
                % {"title": fl.line.title, "max": fl.quantity_open}
            )
        if fl.quantity_open - shipped:
            shortfall[fl.line_id] = fl.quantity_open - shipped
        fl.quantity_cancelled += fl.quantity_open - shipped
        fl.quantity_shipped += shipped
    if not any(fl.quantity_shipped for fl in lines):
        raise FulfilmentInputError(_("Nothing to ship: reject or cancel the fulfilment instead."))
    FulfilmentLine.objects.bulk_update(lines, ["quantity_shipped", "quantity_cancelled"])
    fulfilment.carrier = carrier
    fulfilment.tracking_number = tracking_number.strip()
    order_shipping_event_record(
        fulfilment=fulfilment,
        code="shipped",
        name=_("Shipped"),
        quantities={fl.line_id: fl.quantity_shipped for fl in lines if fl.quantity_shipped},
        notes=f"{carrier} {fulfilment.tracking_number}".strip(),
    )
    if shortfall:
        _refund_record(fulfilment=fulfilment, line_quantities=shortfall, include_shipping=False, lines=lines)
    if notify_customer:
        task_queue_on_commit(notification_for_shipment, fulfilment.pk)
    return _save_and_derive(fulfilment, "carrier", "tracking_number", "refund_due")


@transaction.atomic
def producer_fulfilment_deliver(*, fulfilment: ProducerFulfilment, actor=None) -> ProducerFulfilment:
    fulfilment = _transition(fulfilment=fulfilment, to=Status.DELIVERED, actor=actor)
    lines = list(fulfilment.lines.select_related("line"))
    shipped = {fl.line_id: fl.quantity_shipped for fl in lines if fl.quantity_shipped}
    order_shipping_event_record(
        fulfilment=fulfilment, code="delivered", name=_("Delivered"), quantities=shipped
    )
    if order_payment_method(fulfilment.order) is PaymentMethod.CASH_ON_DELIVERY:
        amount = fulfilment.shipping_charge + sum(
            (fl.line.unit_price_incl_tax * fl.quantity_shipped for fl in lines), Decimal("0.00")
        )
        order_payment_event_record(
            fulfilment=fulfilment,
            code="cash-collected",
            name=_("Cash collected on delivery"),
            amount=amount,
            quantities=shipped,
        )
        # The carrier collects the parcel's price at the door; remittance to the platform comes later.
        fulfilment.cod_collected_amount, fulfilment.cod_collected_at = amount, timezone.now()
        return _save_and_derive(fulfilment, "cod_collected_amount", "cod_collected_at")
    return _save_and_derive(fulfilment)


@transaction.atomic
def producer_fulfilment_reject(*, fulfilment: ProducerFulfilment, reason: str = "", actor=None):
    return _fulfilment_withdraw(fulfilment=fulfilment, to=Status.REJECTED, reason=reason, actor=actor)


@transaction.atomic
def producer_fulfilment_cancel(*, fulfilment: ProducerFulfilment, reason: str = "", actor=None):
    return _fulfilment_withdraw(fulfilment=fulfilment, to=Status.CANCELLED, reason=reason, actor=actor)


def _fulfilment_withdraw(*, fulfilment, to: str, reason: str, actor) -> ProducerFulfilment:
    """Reject or cancel before shipping: stock goes back into its lots, everything is refunded."""
    fulfilment = _transition(fulfilment=fulfilment, to=to, actor=actor, note=reason)
    lines = list(fulfilment.lines.select_related("line"))
    open_units = {fl.line_id: fl.quantity_open for fl in lines if fl.quantity_open}
    stock_return_to_lots(line_quantities=open_units)
    for fl in lines:
        fl.quantity_cancelled += fl.quantity_open
    FulfilmentLine.objects.bulk_update(lines, ["quantity_cancelled"])
    order_shipping_event_record(
        fulfilment=fulfilment, code=to, name=Status(to).label, quantities=open_units, notes=reason
    )
    _refund_record(fulfilment=fulfilment, line_quantities=open_units, include_shipping=True, lines=lines)
    fulfilment = _save_and_derive(fulfilment, "refund_due")
    from fulfilment.tasks import notification_for_withdrawal

    task_queue_on_commit(notification_for_withdrawal, fulfilment.pk)
    return fulfilment


@transaction.atomic
def producer_fulfilment_shortfall_record(
    *, fulfilment: ProducerFulfilment, quantities: dict[int, int], actor=None, note: str = ""
) -> ProducerFulfilment:
    """Cancel units the producer could not hand over (order line id → missing units) and refund them.

    Nothing goes back into the lots: the units never left the producer. A fulfilment left with no
    open unit is cancelled, its shipping charge refunded too.
    """
    locked = _fulfilment_lock(fulfilment)
    if locked.status not in (Status.PENDING, Status.ACCEPTED, Status.PACKED):
        raise IllegalTransition(
            _("A fulfilment that is %(current)s has no open units to cancel.")
            % {"current": locked.get_status_display()}
        )
    lines = list(locked.lines.select_related("line").order_by("pk"))
    by_line = {fl.line_id: fl for fl in lines}
    unknown = set(quantities) - set(by_line)
    if unknown:
        raise FulfilmentInputError(
            _("These order lines are not part of this fulfilment: %s") % sorted(unknown)
        )
    missing = {line_id: qty for line_id, qty in quantities.items() if qty}
    for line_id, qty in missing.items():
        fl = by_line[line_id]
        if not 0 < qty <= fl.quantity_open:
            raise FulfilmentInputError(
                _("“%(title)s”: between 0 and %(max)d units can be missing.")
                % {"title": fl.line.title, "max": fl.quantity_open}
            )
        fl.quantity_cancelled += qty
    if not missing:
        return locked
    FulfilmentLine.objects.bulk_update([by_line[i] for i in missing], ["quantity_cancelled"])
    order_shipping_event_record(
        fulfilment=locked, code="shortfall", name=_("Shortfall"), quantities=missing, notes=note
    )
    nothing_left = not any(fl.quantity_open for fl in lines)
    if nothing_left:
        FulfilmentEvent.objects.create(
            fulfilment=locked, actor=actor, status_from=locked.status, status_to=Status.CANCELLED, note=note
        )
        locked.status = Status.CANCELLED
    _refund_record(fulfilment=locked, line_quantities=missing, include_shipping=nothing_left, lines=lines)
    return _save_and_derive(locked, "refund_due")


def _refund_record(*, fulfilment, line_quantities: dict[int, int], include_shipping: bool, lines) -> None:
    by_id = {fl.line_id: fl.line for fl in lines}
    amount = sum(
        (by_id[line_id].unit_price_incl_tax * qty for line_id, qty in line_quantities.items()),
        Decimal("0.00"),
    )
    if include_shipping:
        amount += fulfilment.shipping_charge
    if amount <= 0:
        return
    fulfilment.refund_due += amount
    event = order_payment_event_record(
        fulfilment=fulfilment,
        code="refund-due",
        name=_("Refund due"),
        amount=amount,
        quantities=line_quantities,
    )
    refund = {
        "fulfilment_id": fulfilment.pk,
        "order_id": fulfilment.order_id,
        "amount": amount,
        "key": f"refund-fulfilment-{fulfilment.pk}-event-{event.pk}",
        "quantities": dict(line_quantities),
    }
    transaction.on_commit(lambda: fulfilment_refund_due.send(sender=ProducerFulfilment, **refund))


# Order statuses are stored as Oscar's pipeline names them (settings.OSCAR_ORDER_STATUS_PIPELINE);
# customers read them through these labels.
ORDER_STATUS_LABELS = {
    "Pending": pgettext_lazy("order status", "Pending"),
    "Being processed": pgettext_lazy("order status", "Being processed"),
    "Partly shipped": pgettext_lazy("order status", "Partly shipped"),
    "Shipped": pgettext_lazy("order status", "Shipped"),
    "Delivered": pgettext_lazy("order status", "Delivered"),
    "Cancelled": pgettext_lazy("order status", "Cancelled"),
}


def order_status_from_fulfilment_statuses(statuses: list[str]) -> str | None:
    """The order's status as the customer should read it, from its producers' progress."""
    live = [s for s in statuses if s not in (Status.REJECTED, Status.CANCELLED)]
    if not statuses:
        return None
    if not live:
        return "Cancelled"
    if all(s == Status.DELIVERED for s in live):
        return "Delivered"
    if all(s in (Status.SHIPPED, Status.DELIVERED) for s in live):
        return "Shipped"
    if any(s in (Status.SHIPPED, Status.DELIVERED) for s in live):
        return "Partly shipped"
    if any(s in (Status.ACCEPTED, Status.PACKED) for s in live):
        return "Being processed"
    return "Pending"


def order_status_derive(*, order) -> str:
    statuses = list(ProducerFulfilment.objects.filter(order=order).values_list("status", flat=True))
    new_status = order_status_from_fulfilment_statuses(statuses)
    if new_status and new_status != order.status:
        # Oscar's pipeline is for staff edits; the producers' progress sets the status directly.
        OrderStatusChange.objects.create(order=order, old_status=order.status, new_status=new_status)
        order.status = new_status
        Order.objects.filter(pk=order.pk).update(status=new_status)
    return order.status
