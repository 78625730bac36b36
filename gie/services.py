"""Writes on GIEs: membership and coordinators."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gie.models import Gie


@transaction.atomic
def gie_member_add(*, gie: Gie, producer) -> None:
    if gie.partner_id and producer.pk == gie.partner_id:
        raise ValidationError(_("A GIE cannot be a member of itself."))
    gie.members.add(producer)


@transaction.atomic
def gie_member_remove(*, gie: Gie, producer) -> None:
    gie.members.remove(producer)


@transaction.atomic
def gie_coordinator_add(*, gie: Gie, user) -> None:
    gie.coordinators.add(user)
