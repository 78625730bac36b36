"""Drawing up statements and recording their payout: the permission-checked entry points.

Views and the API call these (or, for a GIE's members, the GIE app's coordinator service), never
`runs.settlements_run_unchecked`, which checks no one.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fulfilment.models import SettlementLine, SettlementStatement
from fulfilment.settlements.runs import settlements_run_unchecked


def _require_platform_staff(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only platform staff draw up statements and record payouts."))


def settlements_draw_up(
    *, actor, period_start: datetime.date, period_end: datetime.date
) -> list[SettlementStatement]:
    """The platform's month-end run: statements for every producer with deliveries to settle."""
    _require_platform_staff(actor)
    return settlements_run_unchecked(period_start=period_start, period_end=period_end)


@transaction.atomic
def settlement_mark_paid(*, statement: SettlementStatement, reference: str, actor) -> SettlementStatement:
    """Record the transfer that paid the statement; platform staff only, once."""
    _require_platform_staff(actor)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(_("Give the payment reference (transfer number)."))
    locked = SettlementStatement.objects.select_for_update().get(pk=statement.pk)
    if locked.date_paid:
        raise ValidationError(
            _("This statement was already paid (%(ref)s).") % {"ref": locked.payment_reference}
        )
    locked.date_paid = timezone.now()
    locked.payment_reference = reference
    locked.save(update_fields=["date_paid", "payment_reference"])
    return locked


def settlement_lines_of(*, statement: SettlementStatement) -> list[SettlementLine]:
    return list(statement.lines.order_by("pk"))
