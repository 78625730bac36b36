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


class SettlementPeriodForm(forms.Form):
    """The period a settlement run covers; deliveries before it not yet settled are carried in."""

    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("To (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class SettlementPaidForm(forms.Form):
    reference = forms.CharField(label=_("Payment reference"), max_length=128)


class SettlementFilterForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Producer"), queryset=None, required=False)
    paid = forms.ChoiceField(
        label=_("Payout"), required=False, choices=[("", _("All")), ("no", _("To pay")), ("yes", _("Paid"))]
    )
    period_end = forms.DateField(
        label=_("Period ending"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        paid = {"yes": True, "no": False}.get(data.get("paid") or "")
        return {
            "partner_id": data["partner"].pk if data.get("partner") else None,
            "paid": paid,
            "period_end": data.get("period_end"),
        }
