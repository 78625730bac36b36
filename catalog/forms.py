from django import forms
from django.utils.translation import gettext_lazy as _

SEARCH_QUERY_MAX_LENGTH = 200


class ListingParametersForm(forms.Form):
    """The free-form query parameters of the listing and search pages; a value outside these rules is
    a bad request (400 with the reason), not a query. Sort, price and page size are picked from fixed
    choices by `ListingFilters` and need no rule here."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_QUERY_MAX_LENGTH,
        error_messages={"max_length": _("The search text is too long: at most %(limit_value)d characters.")},
    )
    type = forms.SlugField(label=_("Product type"), required=False, max_length=128)
    region = forms.SlugField(label=_("Region"), required=False, max_length=64)
    producer = forms.SlugField(label=_("Cooperative"), required=False, max_length=128)
    label = forms.SlugField(label=_("Quality label"), required=False, max_length=64)

    def error_summary(self) -> str:
        return " ".join(
            f"{self.fields[name].label}: {message}"
            for name, messages in self.errors.items()
            for message in messages
        )
