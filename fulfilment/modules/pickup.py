"""Collected by the customer at the cooperative or a partner point: no charge, a pickup code."""

import secrets
from decimal import Decimal

from django.utils.translation import gettext_lazy

from fulfilment.modules.base import (
    ZONE_MOROCCO,
    Destination,
    FulfilmentModule,
    NotShippable,
    Parcel,
    ShippingQuote,
)

PICKUP_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter


class Pickup(FulfilmentModule):
    name = "pickup"
    label = gettext_lazy("Pickup at the cooperative")
    requires_carrier = False

    def quote(self, *, parcels: list[Parcel], destination: Destination) -> list[ShippingQuote]:
        quotes = []
        for parcel in parcels:
            if destination.zone != ZONE_MOROCCO:
                raise NotShippable(parcel=parcel, destination=destination)
            quotes.append(
                ShippingQuote(
                    partner_id=parcel.partner.pk,
                    module=self.name,
                    method_code=self.name,
                    method_name=str(self.label),
                    charge=Decimal("0.00"),
                )
            )
        return quotes

    def prepare_fulfilment(self, *, fulfilment) -> None:
        fulfilment.pickup_code = "".join(secrets.choice(PICKUP_CODE_ALPHABET) for __ in range(6))
