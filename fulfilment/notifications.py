"""E-mails about fulfilments, each sent at most once per key (retried tasks skip what went out)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from core.languages import in_customer_language, in_platform_language
from core.payments import order_payment_method
from fulfilment.models import ProducerFulfilment
from fulfilment.modules import module_get
from fulfilment.selectors import REMINDER_KEY_PREFIX, fulfilments_pending_unreminded

Order = get_model("order", "Order")


def _fulfilments_of(order_id: int):
    return list(
        ProducerFulfilment.objects.filter(order_id=order_id)
        .select_related("partner")
        .prefetch_related("lines__line", "partner__users")
        .order_by("pk")
    )


def messages_for_new_order(*, order_id: int) -> list[dict]:
    """Customer confirmation (in the order's language), one message per producer user, one per GIE
    coordinator concerned (in French)."""
    order = Order.objects.select_related("user").get(pk=order_id)
    fulfilments = _fulfilments_of(order_id)
    messages = []
    if order.email:
        with in_customer_language(order):
            messages.append(
                {
                    "key": f"order-placed:{order.pk}:customer",
                    "recipient": order.email,
                    "subject": _("Your order %(number)s") % {"number": order.number},
                    "body": render_to_string(
                        "fulfilment/email/order_placed.txt", {"order": order, "fulfilments": fulfilments}
                    ),
                }
            )
    for fulfilment in fulfilments:
        context = {"order": order, "fulfilment": fulfilment}
        with in_platform_language():
            body = render_to_string("fulfilment/email/fulfilment_new.txt", context)
            subject = _("New order %(number)s for %(producer)s") % {
                "number": order.number,
                "producer": fulfilment.partner,
            }
        recipients = [user.email for user in fulfilment.partner.users.all() if user.email]
        recipients += module_get(fulfilment.module).notified_emails(fulfilment=fulfilment)
        for email in dict.fromkeys(recipients):
            messages.append(
                {
                    "key": f"fulfilment-new:{fulfilment.pk}:{email}",
                    "recipient": email,
                    "subject": subject,
                    "body": body,
                }
            )
    return messages


def messages_for_shipment(*, fulfilment_id: int) -> list[dict]:
    fulfilment = (
        ProducerFulfilment.objects.select_related("order", "partner")
        .prefetch_related("lines__line")
        .get(pk=fulfilment_id)
    )
    order = fulfilment.order
    if not order.email:
        return []
    cancelled_lines = [fl for fl in fulfilment.lines.all() if fl.quantity_cancelled]
    context = {
        "order": order,
        "fulfilment": fulfilment,
        "cancelled_lines": cancelled_lines,
    }
    with in_customer_language(order):
        context["refund_wording"] = _refund_wording(fulfilment) if cancelled_lines else ""
        return [
            {
                "key": f"fulfilment-shipped:{fulfilment.pk}:customer",
                "recipient": order.email,
                "subject": _("%(producer)s shipped part of your order %(number)s")
                % {"producer": fulfilment.partner, "number": order.number},
                "body": render_to_string("fulfilment/email/fulfilment_shipped.txt", context),
            }
        ]


def _refund_wording(fulfilment) -> str:
    """What happens to the money of the units that will not come, said the way the order was paid."""
    method = order_payment_method(fulfilment.order)
    if method is None:
        return ""
    return method.refund_wording(currency(fulfilment.refund_due, fulfilment.order.currency))


def messages_for_withdrawal(*, fulfilment_id: int) -> list[dict]:
    """The customer is told when a producer rejects or cancels its part: what will not come, and
    that it is refunded on the card or not to be paid on delivery."""
    fulfilment = (
        ProducerFulfilment.objects.select_related("order", "partner")
        .prefetch_related("lines__line")
        .get(pk=fulfilment_id)
    )
    order = fulfilment.order
    if not order.email:
        return []
    context = {
        "order": order,
        "fulfilment": fulfilment,
        "cancelled_lines": [fl for fl in fulfilment.lines.all() if fl.quantity_cancelled],
        "reason": fulfilment.events.filter(status_to=fulfilment.status).values_list("note", flat=True).last(),
    }
    with in_customer_language(order):
        context["refund_wording"] = _refund_wording(fulfilment)
        return [
            {
                "key": f"fulfilment-withdrawn:{fulfilment.pk}:customer",
                "recipient": order.email,
                "subject": _("%(producer)s cannot send its part of your order %(number)s")
                % {"producer": fulfilment.partner, "number": order.number},
                "body": render_to_string("fulfilment/email/fulfilment_withdrawn.txt", context),
            }
        ]


def messages_for_pending_reminders(*, older_than_hours: int) -> list[dict]:
    """One reminder per fulfilment still pending after `older_than_hours`, to its producer's users and
    whoever its module notifies (in French); a fulfilment already reminded is left out."""
    messages = []
    for fulfilment in fulfilments_pending_unreminded(older_than_hours=older_than_hours):
        context = {"order": fulfilment.order, "fulfilment": fulfilment, "hours": older_than_hours}
        with in_platform_language():
            body = render_to_string("fulfilment/email/fulfilment_reminder.txt", context)
            subject = _("Order %(number)s is still waiting for %(producer)s") % {
                "number": fulfilment.order.number,
                "producer": fulfilment.partner,
            }
        recipients = [user.email for user in fulfilment.partner.users.all() if user.email]
        recipients += module_get(fulfilment.module).notified_emails(fulfilment=fulfilment)
        for email in dict.fromkeys(recipients):
            messages.append(
                {
                    "key": f"{REMINDER_KEY_PREFIX}{fulfilment.pk}:{email}",
                    "recipient": email,
                    "subject": subject,
                    "body": body,
                }
            )
    return messages
