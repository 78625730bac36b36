"""E-mails of the GIE hub: purchase orders (files attached) to members, shortfalls and shipments to buyers.

Buyers read theirs in the language they ordered in, members in the platform's (French).
"""

from django.db.models import F
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.languages import in_customer_language, in_platform_language
from fulfilment.models import ProducerFulfilment
from gie.documents import purchase_order_csv, purchase_order_filename, purchase_order_pdf
from gie.models import CollectionRound, ConsolidatedShipment, RoundLine
from gie.selectors import round_lines_of_member
from gie.shortfalls import order_shortfalls_build

Partner = get_model("partner", "Partner")
Order = get_model("order", "Order")


def messages_for_purchase_order(*, round_id: int, partner_id: int) -> list[dict]:
    round_ = CollectionRound.objects.select_related("gie").get(pk=round_id)
    partner = Partner.objects.prefetch_related("users").get(pk=partner_id)
    emails = dict.fromkeys(user.email for user in partner.users.all() if user.email)
    if not emails:
        return []
    lines = round_lines_of_member(round_=round_, partner_id=partner_id)
    if not lines:
        return []
    with in_platform_language():
        body = render_to_string(
            "gie/email/purchase_order.txt", {"round": round_, "partner": partner, "lines": lines}
        )
        subject = _("%(gie)s: purchase order for round %(name)s") % {"gie": round_.gie, "name": round_.name}
        # The member's purchase order itself, built once for all its users.
        name = purchase_order_filename(round_=round_, partner=partner)
        attachments = [
            (
                f"{name}.pdf",
                purchase_order_pdf(round_=round_, partner=partner, lines=lines),
                "application/pdf",
            ),
            (f"{name}.csv", purchase_order_csv(lines=lines), "text/csv"),
        ]
    return [
        {
            "key": f"purchase-order:{round_.pk}:{partner.pk}:{email}",
            "recipient": email,
            "subject": subject,
            "body": body,
            "attachments": attachments,
        }
        for email in emails
    ]


def messages_for_shortfall(*, round_id: int, order_id: int) -> list[dict]:
    """The customer is told which units of the order the hub did not receive, and what happens to
    their price: refunded on the card, or not to be paid on delivery."""
    order = Order.objects.get(pk=order_id)
    if not order.email:
        return []
    lines = list(
        RoundLine.objects.filter(
            round_id=round_id,
            fulfilment_line__fulfilment__order_id=order_id,
            quantity_received__isnull=False,
            quantity_received__lt=F("quantity"),
        )
        .select_related("fulfilment_line__line", "fulfilment_line__fulfilment", "partner")
        .order_by("pk")
    )
    if not lines:
        return []
    for rl in lines:
        rl.fulfilment_line.fulfilment.order = order
    emptied = {
        rl.fulfilment_line.fulfilment_id
        for rl in lines
        if rl.fulfilment_line.fulfilment.status == ProducerFulfilment.Status.CANCELLED
    }
    (shortfall,) = order_shortfalls_build(
        missing={rl.pk: rl.quantity - rl.quantity_received for rl in lines},
        round_lines=lines,
        emptied_fulfilment_ids=emptied,
    )
    with in_customer_language(order):
        return [
            {
                "key": f"gie-shortfall:{round_id}:{order.pk}:customer",
                "recipient": order.email,
                "subject": _("Part of your order %(number)s is not available") % {"number": order.number},
                "body": render_to_string(
                    "gie/email/shortfall.txt",
                    {"order": order, "lines": lines, "refund_wording": shortfall.customer_wording},
                ),
            }
        ]


def messages_for_consolidated_shipment(*, shipment_id: int) -> list[dict]:
    shipment = ConsolidatedShipment.objects.select_related("order", "gie").get(pk=shipment_id)
    order = shipment.order
    if not order.email:
        return []
    fulfilments = list(shipment.fulfilments.select_related("partner").prefetch_related("lines__line"))
    context = {"order": order, "shipment": shipment, "fulfilments": fulfilments}
    with in_customer_language(order):
        return [
            {
                "key": f"gie-shipment:{shipment.pk}:customer",
                "recipient": order.email,
                "subject": _("Your order %(number)s is on its way") % {"number": order.number},
                "body": render_to_string("gie/email/shipment.txt", context),
            }
        ]
