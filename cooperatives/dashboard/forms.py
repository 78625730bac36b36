"""Forms of the cooperative dashboard. They only shape input; the rules live in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog.attributes import BOOLEAN, FLOAT, INTEGER, Spec, product_type_for
from cooperatives.dashboard.csv_import import MAX_CSV_BYTES, CsvImportRefused, producer_csv_read
from cooperatives.dashboard.photos import photo_clean
from cooperatives.product_services import ProducerProductInput
from cooperatives.regions import REGION_CHOICES

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")


ATTRIBUTE_PREFIX = "attr_"
YES_NO = (("true", _("Yes")), ("false", _("No")))


def attribute_field(spec: Spec) -> forms.Field:
    """A form field for one declared attribute. It only shapes input: presence, bounds, choices and
    the cross-field rules (ISO 3632, acidity…) are checked by `product_specs_save`, so every error
    of one save comes back at once, each on its field."""
    label = f"{spec.name} ({spec.unit})" if spec.unit else spec.name
    if spec.choices or spec.type == BOOLEAN:
        field = forms.ChoiceField(label=label, choices=(("", "—"), *(spec.choices or YES_NO)), required=False)
    elif spec.type in (INTEGER, FLOAT):
        numeric = forms.TextInput(attrs={"inputmode": "decimal"})
        field = forms.CharField(label=label, required=False, widget=numeric)
    else:
        field = forms.CharField(label=label, max_length=255, required=False)
    if spec.required:
        field.widget.attrs["required"] = True
    return field


class ProductForm(forms.Form):
    """The product form of one product type: its declared attributes are added as `attr_<code>` fields.

    Adding a common field = one form field here + one attribute on `ProducerProductInput`.
    """

    title = forms.CharField(label=_("Title (French)"), max_length=255)
    title_ar = forms.CharField(
        label=_("Title (Arabic)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl"}),
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Description (French)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_ar = forms.CharField(
        label=_("Description (Arabic)"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl"}),
        required=False,
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"), queryset=Category.objects.none(), required=False
    )
    price = forms.DecimalField(label=_("Price (MAD)"), min_value=0, max_digits=12, decimal_places=2)
    net_quantity = forms.DecimalField(
        label=_("Net quantity"), min_value=0, max_digits=10, decimal_places=3, required=False
    )
    net_quantity_unit = forms.ChoiceField(label=_("Unit"), required=False)
    ingredients = forms.CharField(
        label=_("Ingredients"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    storage_conditions = forms.CharField(label=_("Storage conditions"), max_length=255, required=False)
    origin_region = forms.ChoiceField(label=_("Origin region"), required=False)
    origin_commune = forms.CharField(label=_("Origin commune"), max_length=128, required=False)
    net_weight_g = forms.IntegerField(label=_("Shipping weight (g)"), min_value=0, required=False)
    low_stock_threshold = forms.IntegerField(
        label=_("Alert me when stock falls to"), min_value=0, required=False
    )
    is_public = forms.BooleanField(label=_("Published in the shop"), required=False, initial=True)
    photo = forms.FileField(label=_("Add a photo (JPEG, PNG or WebP, up to 10 MB)"), required=False)

    def __init__(self, *args, product_class, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.product_class = product_class
        self.product_type = product_type_for(product_class)
        self.fields["categories"].queryset = Category.objects.order_by("path")
        units = self.product_type.net_units if self.product_type else tuple(Product.Unit.values)
        self.fields["net_quantity_unit"].choices = (("", "—"), *((unit, unit) for unit in units))
        self.fields["origin_region"].choices = (("", "—"), *REGION_CHOICES)
        if creating:
            self.fields["partner_sku"] = forms.CharField(label=_("SKU"), max_length=128)
        for spec in self.product_type.specs if self.product_type else ():
            self.fields[ATTRIBUTE_PREFIX + spec.code] = attribute_field(spec)

    def attribute_fields(self):
        return [field for field in self if field.name.startswith(ATTRIBUTE_PREFIX)]

    def field_name_for(self, name: str) -> str | None:
        """The form field a service error names (attributes come back by their declared code)."""
        for candidate in (name, ATTRIBUTE_PREFIX + name):
            if candidate in self.fields:
                return candidate
        return None

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return photo_clean(upload=upload) if upload else None

    def to_input(self) -> ProducerProductInput:
        data = self.cleaned_data
        specs = self.product_type.specs if self.product_type else ()
        return ProducerProductInput(
            title=data["title"],
            title_ar=data["title_ar"],
            title_en=data["title_en"],
            description=data["description"],
            description_ar=data["description_ar"],
            description_en=data["description_en"],
            categories=tuple(data["categories"]),
            price=data["price"],
            net_weight_g=data["net_weight_g"],
            low_stock_threshold=data["low_stock_threshold"],
            is_public=data["is_public"],
            partner_sku=data.get("partner_sku", ""),
            product_class=self.product_class,
            attributes={spec.code: data[ATTRIBUTE_PREFIX + spec.code] for spec in specs},
            net_quantity=data["net_quantity"],
            net_quantity_unit=data["net_quantity_unit"],
            ingredients=data["ingredients"],
            storage_conditions=data["storage_conditions"],
            origin_region=data["origin_region"],
            origin_commune=data["origin_commune"],
        )


# The product form's fields stored on the product itself (the others are on its stock record).
PRODUCT_OWN_FIELDS = (
    "title",
    "title_ar",
    "title_en",
    "description",
    "description_ar",
    "description_en",
    "net_quantity",
    "net_quantity_unit",
    "ingredients",
    "storage_conditions",
    "origin_region",
    "origin_commune",
    "is_public",
)
PRODUCT_RECORD_FIELDS = ("price", "net_weight_g", "low_stock_threshold")


def product_form_initial(product, *, product_class) -> dict:
    """The product form's values for an existing product (`product.producer_stockrecord` set by
    `product_get_for_producer`): the edit page's initial data, and what the API merges changes into."""
    record = product.producer_stockrecord
    kg = getattr(product.attr, "weight", None)
    initial = {name: getattr(product, name) for name in PRODUCT_OWN_FIELDS}
    product_type = product_type_for(product_class)
    for spec in product_type.specs if product_type else ():
        value = getattr(product.attr, spec.code, None)
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, float):
            value = f"{value:g}"
        initial[ATTRIBUTE_PREFIX + spec.code] = value
    initial.update(
        categories=list(product.categories.all()),
        price=record.price,
        net_weight_g=round(kg * 1000) if kg else None,
        low_stock_threshold=record.low_stock_threshold,
    )
    return initial


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
        return _(" (row %(row)s, column %(column)s)") % {"row": error["row"], "column": error["column"]}
    return ""
