"""What a fulfilment module is: the shapes it receives and returns."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

EUROPE_COUNTRIES = frozenset(
    "AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IT LT LU LV MT NL NO PL PT RO SE SI SK".split()
)
ZONE_MOROCCO = "MA"
ZONE_EUROPE = "EU"


@dataclass(frozen=True)
class Destination:
    country_code: str | None
    city: str = ""

    @property
    def zone(self) -> str | None:
        code = (self.country_code or "").upper()
        if code == "MA":
            return ZONE_MOROCCO
        if code in EUROPE_COUNTRIES:
            return ZONE_EUROPE
        return None


@dataclass
class Parcel:
    """One producer's lines (basket or order lines) and their shipped weight."""

    partner: object
    lines: list = field(default_factory=list)
    weight_kg: Decimal = Decimal("0")

    @property
    def first_title(self) -> str:
        line = self.lines[0]
        return getattr(line, "title", None) or line.product.get_title()

    @property
    def titles(self) -> str:
        return ", ".join(getattr(line, "title", None) or line.product.get_title() for line in self.lines)


@dataclass(frozen=True)
class ShippingQuote:
    partner_id: int
    module: str
    method_code: str
    method_name: str
    charge: Decimal
    routing_key: str = ""
    note: str = ""


class NotShippable(Exception):
    """A producer cannot deliver its lines to the destination; the message names the products."""

    def __init__(self, *, parcel: Parcel, destination: Destination, reason: str = ""):
        self.parcel = parcel
        message = _("%(producer)s does not deliver “%(products)s” to %(country)s.") % {
            "producer": parcel.partner,
            "products": parcel.titles,
            "country": destination.country_code or _("this address"),
        }
        super().__init__(f"{message} {reason}".strip())


def band_charge(bands: list[tuple[Decimal, Decimal]], weight_kg: Decimal) -> Decimal | None:
    """The charge of the first band (max weight, charge) that holds the weight; None if too heavy."""
    for max_weight, charge in sorted(bands):
        if weight_kg <= max_weight:
            return charge
    return None


class FulfilmentModule:
    """Offers a shipping method and charge for its producers' parcels; acts after placement."""

    name: str = ""
    label: str = ""
    # Shipping its parcels means naming the carrier that takes them (not so for a pickup counter).
    requires_carrier: bool = True

    def quote(self, *, parcels: list[Parcel], destination: Destination) -> list[ShippingQuote]:
        """One quote per parcel, or NotShippable naming the products that cannot go there."""
        raise NotImplementedError

    def prepare_fulfilment(self, *, fulfilment) -> None:
        """Sets module-specific fields on a new fulfilment, before it is saved at placement."""

    def notified_emails(self, *, fulfilment) -> list[str]:
        """Extra people told about a new fulfilment (beyond the producer's own staff)."""
        return []

    def shipping_payees(self, *, routing_keys: set[str]) -> dict[str, int]:
        """Who is paid the shipping collected on fulfilments with these routing keys, when it is not
        the producer itself (a hub that ships for its members): {routing key: payee producer id}.
        Set-based: called once per settlement run with every routing key of the module's rows."""
        return {}
