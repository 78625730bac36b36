"""The producer ships its own parcel with a carrier it chooses, charged by weight band and zone."""

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

D = Decimal
# Used for producers that have not entered their own SelfShipRate bands.
DEFAULT_BANDS = {
    ZONE_MOROCCO: [(D("1"), D("35.00")), (D("5"), D("55.00")), (D("20"), D("90.00"))],
    ZONE_EUROPE: [(D("1"), D("150.00")), (D("5"), D("280.00")), (D("20"), D("520.00"))],
}
CARRIERS = ["Amana", "CTM Messagerie", "Aramex", "DHL Express", "other"]


class SelfShip(FulfilmentModule):
    name = "self_ship"
    label = gettext_lazy("Shipped by the producer")

    def quote(self, *, parcels: list[Parcel], destination: Destination) -> list[ShippingQuote]:
        from fulfilment.models import SelfShipRate

        own_bands: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for rate in SelfShipRate.objects.filter(partner_id__in=[p.partner.pk for p in parcels]):
            own_bands[rate.partner_id][rate.zone].append((rate.max_weight_kg, rate.charge))
        quotes = []
        for parcel in parcels:
            bands = own_bands[parcel.partner.pk] if parcel.partner.pk in own_bands else DEFAULT_BANDS
            zone = destination.zone
            if zone is None or not bands.get(zone):
                raise NotShippable(parcel=parcel, destination=destination)
            charge = band_charge(bands[zone], parcel.weight_kg)
            if charge is None:
                raise NotShippable(
                    parcel=parcel,
                    destination=destination,
                    reason=_("The parcel is too heavy (%(kg)s kg).") % {"kg": parcel.weight_kg},
                )
            quotes.append(
                ShippingQuote(
                    partner_id=parcel.partner.pk,
                    module=self.name,
                    method_code=f"{self.name}-{zone.lower()}",
                    method_name=str(self.label),
                    charge=charge,
                )
            )
        return quotes
