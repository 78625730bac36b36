"""What gie tells the apps before it when it loads (they import nothing of gie): see `GieConfig.ready`."""

from django.db.models import OuterRef, Q, Subquery

from gie.models import Gie


def member_commission_default():
    """A member's default commission rate: that of its first GIE (by id) that sets one."""
    return Subquery(
        Gie.members.through.objects.filter(partner_id=OuterRef("pk"), gie__commission_rate__isnull=False)
        .order_by("gie_id")
        .values("gie__commission_rate")[:1]
    )


def coordinated_producers_q(*, user) -> Q:
    """Producers whose records a GIE coordinator reads: its GIEs' members and the GIEs' own records."""
    members = Gie.members.through.objects.filter(gie__coordinators=user).values("partner_id")
    own_records = Gie.objects.filter(coordinators=user, partner__isnull=False).values("partner_id")
    return Q(pk__in=members) | Q(pk__in=own_records)
