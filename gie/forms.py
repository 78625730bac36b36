from django import forms
from django.utils.translation import gettext_lazy as _

from fulfilment.models import ProducerFulfilment
from gie.selectors import OPEN_STATUSES


class ConsolidatedFilterForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Member"), required=False, coerce=int, empty_value=None)
    product = forms.IntegerField(label=_("Product id"), required=False, min_value=1)
    status = forms.ChoiceField(label=_("State"), required=False)
    destination = forms.CharField(
        label=_("Destination (country code or city)"), required=False, max_length=64
    )
    date_from = forms.DateField(label=_("Placed from"), required=False)
    date_to = forms.DateField(label=_("Placed until"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("All members")), *((m.pk, m.name) for m in members)]
        labels = dict(ProducerFulfilment.Status.choices)
        self.fields["status"].choices = [("", _("All open")), *((s, labels[s]) for s in OPEN_STATUSES)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "member_id": data.get("member"),
            "product_id": data.get("product"),
            "status": data.get("status") or None,
            "destination": (data.get("destination") or "").strip() or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class RoundOpenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=128)
    collection_date = forms.DateField(label=_("Collection date"))
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=None)

    def __init__(self, *args, gie, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = gie.members.order_by("name")


class ShipmentForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=64)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=128, required=False)
