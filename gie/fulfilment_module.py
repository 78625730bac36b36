"""The `gie_hub` fulfilment module: members hand their lines to their GIE's hub, which ships once."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fulfilment.modules.base import (
    ZONE_EUROPE,
    ZONE_MOROCCO,
    Destination,
    FulfilmentModule,
    NotShippable,
    Parcel,
    ShippingQuote,
    band_charge,
)
from gie.models import Gie

D = Decimal
# One consolidated parcel per GIE and order, charged on the weight of all member lines.
HUB_BANDS = {
    ZONE_MOROCCO: [(D("5"), D("35.00")), (D("20"), D("60.00")), (D("50"), D("110.00"))],
    ZONE_EUROPE: [(D("5"), D("250.00")), (D("20"), D("480.00"))],
}
ROUTING_PREFIX = "gie:"


class GieHub(FulfilmentModule):
    name = "gie_hub"
    label = gettext_lazy("Consolidated by the GIE hub")

    def quote(self, *, parcels: list[Parcel], destination: Destination) -> list[ShippingQuote]:
        gie_of = dict(
            Gie.members.through.objects.filter(partner_id__in=[p.partner.pk for p in parcels])
            .order_by("gie_id")
            .values_list("partner_id", "gie_id")
        )
        by_gie: dict[int, list[Parcel]] = defaultdict(list)
        for parcel in parcels:
            if parcel.partner.pk not in gie_of:
                raise NotShippable(
                    parcel=parcel, destination=destination, reason=_("The producer belongs to no GIE hub.")
                )
            by_gie[gie_of[parcel.partner.pk]].append(parcel)
        quotes = []
        for gie_id, members in by_gie.items():
            bands = HUB_BANDS.get(destination.zone or "")
            weight = sum((p.weight_kg for p in members), D("0"))
            charge = band_charge(bands, weight) if bands else None
            if charge is None:
                raise NotShippable(parcel=members[0], destination=destination)
            # The hub parcel is charged once, on the first member; the others ride along.
            for index, parcel in enumerate(sorted(members, key=lambda p: p.partner.pk)):
                quotes.append(
                    ShippingQuote(
                        partner_id=parcel.partner.pk,
                        module=self.name,
                        method_code=f"{self.name}-{destination.zone.lower()}",
                        method_name=str(self.label),
                        charge=charge if index == 0 else D("0.00"),
                        routing_key=f"{ROUTING_PREFIX}{gie_id}",
                        note="" if index == 0 else _("Included in the GIE hub parcel."),
                    )
                )
        return quotes

    def shipping_payees(self, *, routing_keys: set[str]) -> dict[str, int]:
        """The hub ships the parcel, so its shipping goes on the statement of the GIE's own producer
        record; a GIE without one leaves it with the member charged for the parcel."""
        gie_ids = {
            int(key.removeprefix(ROUTING_PREFIX)) for key in routing_keys if key.startswith(ROUTING_PREFIX)
        }
        return {
            f"{ROUTING_PREFIX}{gie_id}": partner_id
            for gie_id, partner_id in Gie.objects.filter(pk__in=gie_ids, partner__isnull=False).values_list(
                "pk", "partner_id"
            )
        }

    def notified_emails(self, *, fulfilment) -> list[str]:
        if not fulfilment.routing_key.startswith(ROUTING_PREFIX):
            return []
        gie_id = int(fulfilment.routing_key.removeprefix(ROUTING_PREFIX))
        return list(
            Gie.coordinators.through.objects.filter(gie_id=gie_id)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
