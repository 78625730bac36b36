from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from shop.currency.selectors import CURRENCIES
from shop.currency.services import CurrencyUnavailable, currency_choose


class CurrencyForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=[(code, code) for code in CURRENCIES])
    next = forms.CharField(required=False)


@require_POST
def currency_choose_view(request):
    form = CurrencyForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if not form.is_valid():
        messages.error(request, _("Unknown currency."))
        return HttpResponseRedirect(target)
    try:
        currency_choose(
            session=request.session,
            basket=getattr(request, "basket", None),
            code=form.cleaned_data["currency"],
        )
    except CurrencyUnavailable as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(target)
