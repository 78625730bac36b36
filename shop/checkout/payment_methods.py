"""Which payment methods a checkout may offer for a delivery country, and what each one needs."""

from babel import Locale
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.payments import PaymentMethod
from shop.payment.conf import card_payments_enabled


def payment_methods_available(*, shipping_country_code: str | None) -> list[PaymentMethod]:
    """Methods offered for a delivery country; cash on delivery only where carriers collect cash."""
    methods = [PaymentMethod.CARD] if card_payments_enabled() else []
    if shipping_country_code and shipping_country_code.upper() in settings.TERROIR_COD_COUNTRIES:
        methods.append(PaymentMethod.CASH_ON_DELIVERY)
    return methods


def payment_methods_offered() -> list[PaymentMethod]:
    """Every method some delivery can be paid with, cash on delivery first (how most customers pay)."""
    methods = [PaymentMethod.CASH_ON_DELIVERY] if settings.TERROIR_COD_COUNTRIES else []
    if card_payments_enabled():
        methods.append(PaymentMethod.CARD)
    return methods


def payment_method_refusal(*, method: PaymentMethod | None, shipping_address) -> str | None:
    """Why this method cannot be used with this delivery address, or None. The carrier calls the
    customer before bringing cash-on-delivery parcels (and a parcel nobody answers for goes back)."""
    if method is PaymentMethod.CASH_ON_DELIVERY and not getattr(shipping_address, "phone_number", None):
        return _(
            "Cash on delivery needs a phone number: the carrier calls you before delivering. "
            "Add one to your delivery address."
        )
    return None


def _country_names(codes) -> str:
    """Country names in the active language ("Maroc", "المغرب"), from CLDR through Babel."""
    territories = Locale.parse((get_language() or settings.LANGUAGE_CODE).replace("-", "_")).territories
    return ", ".join(territories.get(code.upper(), code.upper()) for code in codes)


def payment_methods_notice() -> list[str]:
    """What a visitor can pay with, by destination, said before any address is entered (the basket,
    the first checkout step) rather than as "no payment method" after it."""
    cod_countries = list(settings.TERROIR_COD_COUNTRIES)
    notes = []
    if cod_countries:
        notes.append(
            _("Cash on delivery, in dirhams: %(countries)s only.")
            % {"countries": _country_names(cod_countries)}
        )
    if card_payments_enabled():
        notes.append(_("Delivery in Europe: card payment only."))
    else:
        notes.append(_("Delivery in Europe: not possible yet, no payment method is offered there."))
    return notes
