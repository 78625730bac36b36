from django import forms
from django.utils.translation import gettext_lazy as _

from fulfilment.modules.self_ship import CARRIERS


class ShipForm(forms.Form):
    """Carrier, tracking and, on a shortfall, how many units of each line actually go."""

    carrier = forms.ChoiceField(label=_("Carrier"), choices=[(c, c) for c in CARRIERS])
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=128, required=False)

    def __init__(self, *args, fulfilment_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fulfilment_lines = fulfilment_lines
        for fl in fulfilment_lines:
            self.fields[f"qty_{fl.line_id}"] = forms.IntegerField(
                label=fl.line.title,
                min_value=0,
                max_value=fl.quantity_open,
                initial=fl.quantity_open,
                required=False,
            )

    def quantities(self) -> dict[int, int]:
        # A line left blank ships in full.
        return {
            fl.line_id: fl.quantity_open if self.cleaned_data[f"qty_{fl.line_id}"] is None else value
            for fl in self.fulfilment_lines
            for value in [self.cleaned_data[f"qty_{fl.line_id}"]]
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
