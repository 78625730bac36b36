"""A cooperative's own products and lots, through the dashboard's forms and services.

Who works for no producer is refused (PERMISSION_DENIED); another producer's product or lot id looks
like no id (NOT_FOUND), as on the dashboard."""

import graphene
from django.core.exceptions import ValidationError
from django.http import Http404
from graphene.utils.str_converters import to_camel_case
from oscar.core.loading import get_model

from cooperatives import product_services, selectors, services
from cooperatives.dashboard import forms
from cooperatives.graphql.types import ProducerLotType, RecallRecipientType
from core.graphql.errors import django_errors, error_type, input_errors, pk_from_id

Category = get_model("catalogue", "Category")
ProductClass = get_model("catalogue", "ProductClass")
Lot = get_model("partner", "Lot")

ProductError = error_type("Product", ("UNIQUE",))
LotError = error_type("Lot", ())

PRODUCT_FIELDS = (*forms.PRODUCT_OWN_FIELDS, *forms.PRODUCT_RECORD_FIELDS)


class ProductAttributeInput(graphene.InputObjectType):
    code = graphene.String(required=True, description="An attribute of the product type, e.g. crocin.")
    value = graphene.String(required=True, description="As typed on the form; empty removes it.")


class ProductInput(graphene.InputObjectType):
    """The product form's fields; on an update, a field left out keeps its value."""

    title = graphene.String(description="French title (required on creation).")
    title_ar = graphene.String()
    title_en = graphene.String()
    description = graphene.String()
    description_ar = graphene.String()
    description_en = graphene.String()
    categories = graphene.List(graphene.NonNull(graphene.String), description="Category slugs.")
    price = graphene.Decimal(description="In MAD.")
    net_weight_g = graphene.Int(description="Shipping weight in grams.")
    low_stock_threshold = graphene.Int()
    is_public = graphene.Boolean()
    attributes = graphene.List(graphene.NonNull(ProductAttributeInput))
    net_quantity = graphene.Decimal()
    net_quantity_unit = graphene.String()
    ingredients = graphene.String()
    storage_conditions = graphene.String()
    origin_region = graphene.String()
    origin_commune = graphene.String()


def _producer(info):
    return selectors.producer_for_user(user=info.context.user)


def _product_form_data(values, initial: dict) -> dict:
    data = {**initial, "categories": [c.pk for c in initial.get("categories", [])]}
    for name in PRODUCT_FIELDS:
        if values.get(name) is not None:
            data[name] = values[name]
    if values.get("categories") is not None:
        slugs = list(values["categories"])
        found = dict(Category.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            message = ValidationError(", ".join(unknown), code="invalid_choice")
            raise ValidationError({"categories": message})
        data["categories"] = [found[slug] for slug in slugs]
    for attribute in values.get("attributes") or []:
        data[forms.ATTRIBUTE_PREFIX + attribute.code] = attribute.value
    return data


def _product_errors(exc: ValidationError, form) -> list:
    """Form field names and attribute codes as the API names them (attributes in `attributes`)."""
    names = set(exc.error_dict) if hasattr(exc, "error_dict") else set()
    fields = {}
    for name in names:
        field = form.field_name_for(name) or name
        fields[name] = "attributes" if field.startswith(forms.ATTRIBUTE_PREFIX) else to_camel_case(field)
    fields["partner_sku"] = "sku"
    return input_errors(exc, fields=fields, error_class=ProductError)


def _product_save(*, producer, product_class, values, product=None, sku: str = ""):
    initial = {} if product is None else forms.product_form_initial(product, product_class=product_class)
    data = _product_form_data(values, initial)
    if product is None:
        data["partner_sku"] = sku
    form = forms.ProductForm(data, product_class=product_class, creating=product is None)
    if not form.is_valid():
        raise _FormInvalid(form)
    try:
        return product_services.producer_product_save(
            producer=producer, data=form.to_input(), product=product
        )
    except ValidationError as exc:
        raise _FormInvalid(form, exc) from exc


class _FormInvalid(Exception):
    def __init__(self, form, error: ValidationError | None = None):
        self.form = form
        self.error = error or ValidationError(form.errors.as_data())


class ProductPayload:
    product = graphene.Field("cooperatives.graphql.products.ProductType")
    errors = graphene.List(graphene.NonNull(ProductError), required=True)


class ProductCreate(ProductPayload, graphene.Mutation):
    """A product of the producer, with its stock record in MAD; add stock with `lotCreate`."""

    class Arguments:
        product_type = graphene.String(required=True, description="Product type slug, e.g. safran.")
        sku = graphene.String(required=True)
        input = ProductInput(required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, product_type, sku, input):
        producer = _producer(info)
        product_class = ProductClass.objects.filter(slug=product_type).first()
        if product_class is None:
            error = ValidationError({"productType": ValidationError(product_type, code="invalid_choice")})
            return cls(errors=input_errors(error, fields={}, error_class=ProductError))
        try:
            product = _product_save(producer=producer, product_class=product_class, values=input, sku=sku)
        except ValidationError as exc:
            return cls(errors=input_errors(exc, fields={}, error_class=ProductError))
        except _FormInvalid as invalid:
            return cls(errors=_product_errors(invalid.error, invalid.form))
        return cls(product=product, errors=[])


class ProductUpdate(ProductPayload, graphene.Mutation):
    """Change one of the producer's own products (one it alone sells)."""

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductInput(required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, id, input):
        producer = _producer(info)
        product = selectors.product_get_for_producer(producer=producer, pk=pk_from_id(id, "Product"))
        try:
            product = _product_save(
                producer=producer, product_class=product.get_product_class(), values=input, product=product
            )
        except ValidationError as exc:
            return cls(errors=input_errors(exc, fields={}, error_class=ProductError))
        except _FormInvalid as invalid:
            return cls(errors=_product_errors(invalid.error, invalid.form))
        return cls(product=product, errors=[])


LOT_FIELDS = {
    "stockrecord": "productId",
    "harvest_date": "harvestDate",
    "best_before": "bestBefore",
    "reason": "reason",
    "code": "code",
    "quantity": "quantity",
}


class LotPayload:
    lot = graphene.Field(ProducerLotType)
    errors = graphene.List(graphene.NonNull(LotError), required=True)


class LotCreate(LotPayload, graphene.Mutation):
    """A new lot (after a harvest) of one of the producer's products, recorded in its stock history."""

    class Arguments:
        product_id = graphene.ID(required=True)
        code = graphene.String(required=True)
        quantity = graphene.Int(required=True)
        harvest_date = graphene.Date()
        best_before = graphene.Date()
        note = graphene.String()

    @classmethod
    @django_errors
    def mutate(cls, root, info, product_id, code, quantity, harvest_date=None, best_before=None, note=""):
        producer = _producer(info)
        pk = pk_from_id(product_id, "Product")
        stockrecord = selectors.stockrecords_for_producer(producer=producer).filter(product_id=pk).first()
        if stockrecord is None:
            raise Http404("Not a product of this producer")
        data = {
            "stockrecord": stockrecord.pk,
            "code": code,
            "quantity": quantity,
            "harvest_date": harvest_date,
            "best_before": best_before,
            "reason": note or "",
        }
        form = forms.LotAddForm(data, producer=producer)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            data = form.cleaned_data
            lot = services.lot_add(
                user=info.context.user,
                producer=producer,
                stockrecord=data["stockrecord"],
                code=data["code"],
                quantity=data["quantity"],
                harvest_date=data["harvest_date"],
                best_before=data["best_before"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            return cls(errors=input_errors(exc, fields=LOT_FIELDS, error_class=LotError))
        return cls(lot=lot, errors=[])


def _own_lot(info, id):
    producer = _producer(info)
    return producer, selectors.lot_get_for_producer(producer=producer, pk=pk_from_id(id, "ProducerLot"))


class LotAdjust(LotPayload, graphene.Mutation):
    """Set a lot's remaining quantity (a stock count, breakage…); the reason goes into the history."""

    class Arguments:
        id = graphene.ID(required=True)
        quantity = graphene.Int(required=True)
        reason = graphene.String(required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, id, quantity, reason):
        producer, lot = _own_lot(info, id)
        form = forms.LotAdjustForm({"quantity": quantity, "reason": reason})
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            lot = services.lot_quantity_adjust(
                user=info.context.user,
                producer=producer,
                lot=lot,
                quantity=form.cleaned_data["quantity"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            return cls(errors=input_errors(exc, fields=LOT_FIELDS, error_class=LotError))
        return cls(lot=lot, errors=[])


class LotRecall(LotPayload, graphene.Mutation):
    """Withdraw a lot from sale for good; answers the customers whose orders took units of it."""

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True, description="Customers will be told.")

    recipients = graphene.List(graphene.NonNull(RecallRecipientType), required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, id, reason):
        producer, lot = _own_lot(info, id)
        form = forms.LotStatusForm({"reason": reason})
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            lot = services.lot_status_set(
                user=info.context.user,
                producer=producer,
                lot=lot,
                status=Lot.Status.RECALLED,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            return cls(recipients=[], errors=input_errors(exc, fields=LOT_FIELDS, error_class=LotError))
        recipients = [
            RecallRecipientType(order_number=r.order_number, email=r.email, name=r.name, quantity=r.quantity)
            for r in selectors.lot_recall_recipients(lot=lot)
        ]
        return cls(lot=lot, recipients=recipients, errors=[])
