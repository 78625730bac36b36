"""Oscar's own shipping and payment events, written for the lines a producer's step concerns.

They keep Oscar's order views (dashboard, customer history) truthful about each producer's part.
"""

from decimal import Decimal

from oscar.core.loading import get_model

ShippingEventType = get_model("order", "ShippingEventType")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Line = get_model("order", "Line")


def _all_open_quantities(fulfilment) -> dict[int, int]:
    return {fl.line_id: fl.quantity_open for fl in fulfilment.lines.all() if fl.quantity_open}


def order_shipping_event_record(*, fulfilment, code: str, name, quantities=None, notes: str = ""):
    quantities = _all_open_quantities(fulfilment) if quantities is None else quantities
    if not quantities:
        return None
    event_type, __ = ShippingEventType.objects.get_or_create(code=code, defaults={"name": str(name)})
    event = ShippingEvent.objects.create(
        order_id=fulfilment.order_id,
        event_type=event_type,
        notes=f"{fulfilment.partner_id}: {notes}".strip(": ") if notes else "",
    )
    # bulk_create skips Oscar's per-row check, which only guards against more units than ordered.
    ShippingEventQuantity.objects.bulk_create(
        ShippingEventQuantity(event=event, line_id=line_id, quantity=qty)
        for line_id, qty in quantities.items()
    )
    return event


def order_payment_event_record(*, fulfilment, code: str, name, amount: Decimal, quantities: dict[int, int]):
    event_type, __ = PaymentEventType.objects.get_or_create(code=code, defaults={"name": str(name)})
    event = PaymentEvent.objects.create(
        order_id=fulfilment.order_id,
        event_type=event_type,
        amount=amount,
        reference=f"fulfilment-{fulfilment.pk}",
    )
    PaymentEventQuantity.objects.bulk_create(
        PaymentEventQuantity(event=event, line_id=line_id, quantity=qty)
        for line_id, qty in quantities.items()
    )
    return event
