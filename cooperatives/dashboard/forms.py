"""Forms of the cooperative dashboard. They only shape input; the rules live in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from cooperatives.dashboard.csv_import import MAX_CSV_BYTES, CsvImportRefused, producer_csv_read
from cooperatives.dashboard.photos import photo_clean
from cooperatives.services import ProducerProductInput

Category = get_model("catalogue", "Category")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")


class ProductForm(forms.Form):
    """Adding a field = one form field here + one attribute on `ProducerProductInput`."""

    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False)
    price = forms.DecimalField(label=_("Price (MAD)"), min_value=0, max_digits=12, decimal_places=2)
    net_weight_g = forms.IntegerField(label=_("Net weight (g)"), min_value=0, required=False)
    low_stock_threshold = forms.IntegerField(
        label=_("Alert me when stock falls to"), min_value=0, required=False
    )
    is_public = forms.BooleanField(label=_("Published in the shop"), required=False, initial=True)

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("path")
        if creating:
            self.fields["partner_sku"] = forms.CharField(label=_("SKU"), max_length=128)
            self.fields["product_class"] = forms.ModelChoiceField(
                label=_("Product type"), queryset=ProductClass.objects.order_by("name")
            )

    def to_input(self) -> ProducerProductInput:
        data = self.cleaned_data
        return ProducerProductInput(
            title=data["title"],
            description=data["description"],
            category=data["category"],
            price=data["price"],
            net_weight_g=data["net_weight_g"],
            low_stock_threshold=data["low_stock_threshold"],
            is_public=data["is_public"],
            partner_sku=data.get("partner_sku", ""),
            product_class=data.get("product_class"),
        )


class LotAddForm(forms.Form):
    stockrecord = forms.ModelChoiceField(label=_("Product"), queryset=StockRecord.objects.none())
    code = forms.CharField(label=_("Lot code"), max_length=64)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0)
    harvest_date = forms.DateField(
        label=_("Harvest / production date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    best_before = forms.DateField(
        label=_("Best before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, producer, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the producer's own stock records can be chosen (a forged id fails validation).
        self.fields["stockrecord"].queryset = StockRecord.objects.filter(partner=producer).select_related(
            "product"
        )
        self.fields["stockrecord"].label_from_instance = lambda r: f"{r.partner_sku} — {r.product.title}"


class LotAdjustForm(forms.Form):
    quantity = forms.IntegerField(label=_("New quantity"), min_value=0)
    reason = forms.CharField(label=_("Reason"), max_length=255)


class LotStatusForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG, PNG or WebP, up to 10 MB)"))

    def clean_photo(self):
        return photo_clean(upload=self.cleaned_data["photo"])


class ProfileForm(forms.Form):
    story = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    members_count = forms.IntegerField(label=_("Members"), min_value=0)
    women_members_count = forms.IntegerField(label=_("Women members"), min_value=0)
    logo = forms.FileField(label=_("Logo (JPEG, PNG or WebP)"), required=False)

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return photo_clean(upload=upload) if upload else None

    def clean(self):
        data = super().clean()
        members, women = data.get("members_count"), data.get("women_members_count")
        if members is not None and women is not None and women > members:
            self.add_error("women_members_count", _("Women members cannot exceed the number of members."))
        return data


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8, up to 10 MB)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        raw = upload.read()
        try:
            # File-level problems are answered at once; row checks run with the import itself.
            producer_csv_read(raw=raw)
        except CsvImportRefused as refused:
            raise ValidationError([error["message"] + _rowcol(error) for error in refused.errors])
        upload.seek(0)
        return upload


def _rowcol(error) -> str:
    if error["row"] and error["column"]:
        return f" (row {error['row']}, column {error['column']})"
    return ""
