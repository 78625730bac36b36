"""Cash on delivery: what each producer's carrier collected, and its remittance to the platform."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fulfilment.models import FulfilmentEvent, ProducerFulfilment

Status = ProducerFulfilment.Status


class CodInputError(ValueError):
    """Bad input for a cash step; nothing was written."""


@transaction.atomic
def fulfilment_cod_collect(
    *,
    fulfilment: ProducerFulfilment,
    amount: Decimal,
    collected_at: datetime.datetime | None = None,
    actor=None,
) -> ProducerFulfilment:
    """Records (or corrects, before remittance) the cash the carrier reports having collected."""
    locked = ProducerFulfilment.objects.select_for_update().get(pk=fulfilment.pk)
    if not isinstance(amount, Decimal) or amount < 0:
        raise CodInputError(_("The collected amount must be a positive amount."))
    if locked.cod_remitted_at is not None:
        raise CodInputError(_("This cash was already remitted; its amount can no longer change."))
    if locked.status not in (Status.SHIPPED, Status.DELIVERED):
        raise CodInputError(_("Cash is collected only for a parcel that was shipped."))
    locked.cod_collected_amount = amount
    locked.cod_collected_at = collected_at or timezone.now()
    locked.save(update_fields=["cod_collected_amount", "cod_collected_at", "date_updated"])
    FulfilmentEvent.objects.create(
        fulfilment=locked,
        actor=actor,
        status_from=locked.status,
        status_to=locked.status,
        note=_("Cash collected: %(amount)s %(currency)s") % {"amount": amount, "currency": locked.currency},
    )
    return locked


@transaction.atomic
def fulfilments_cod_remit(
    *, fulfilments, reference: str, remitted_at: datetime.datetime | None = None, actor=None
) -> list[ProducerFulfilment]:
    """The carrier paid the platform the cash of these parcels (one transfer, one reference)."""
    reference = (reference or "").strip()
    if not reference:
        raise CodInputError(_("Give the remittance reference (the carrier's transfer or receipt)."))
    ids = sorted({f.pk for f in fulfilments})
    locked = list(ProducerFulfilment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    not_collected = [f.pk for f in locked if f.cod_collected_amount is None]
    if not_collected:
        raise CodInputError(_("No cash was recorded as collected for fulfilments %s.") % not_collected)
    already = [f.pk for f in locked if f.cod_remitted_at is not None]
    if already:
        raise CodInputError(_("Fulfilments %s were already remitted.") % already)
    remitted_at = remitted_at or timezone.now()
    for fulfilment in locked:
        fulfilment.cod_remitted_at, fulfilment.cod_remittance_reference = remitted_at, reference
    ProducerFulfilment.objects.bulk_update(locked, ["cod_remitted_at", "cod_remittance_reference"])
    FulfilmentEvent.objects.bulk_create(
        FulfilmentEvent(
            fulfilment=f,
            actor=actor,
            status_from=f.status,
            status_to=f.status,
            note=_("Cash remitted to the platform (%s)") % reference,
        )
        for f in locked
    )
    return locked
