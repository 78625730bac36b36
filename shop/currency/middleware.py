from django.utils.functional import SimpleLazyObject

from shop.currency.selectors import currencies_offered, currency_quote_for_session


class CurrencyMiddleware:
    """Puts the visitor's currency on the request (read lazily) before the basket's strategy is chosen,
    and the currencies the chooser may offer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.currency = SimpleLazyObject(lambda: currency_quote_for_session(session=request.session))
        request.currencies_offered = SimpleLazyObject(currencies_offered)
        return self.get_response(request)
