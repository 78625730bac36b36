"""Cooperative dashboard: a producer's staff see and change their own producer's data only.

Every view resolves the producer from the signed-in user (`producer_for_user`) and every object
through a selector scoped to that producer, so a guessed id of another producer gives 404.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from oscar.core.loading import get_model

from catalog.attributes import product_type_for
from cooperatives import product_services, selectors, services
from cooperatives.dashboard import forms
from cooperatives.dashboard.csv_export import producer_csv_export_rows
from cooperatives.dashboard.photos import photo_thumbnail_warm
from cooperatives.dashboard.tasks import producer_import_enqueue
from core.csv import csv_download

Lot = get_model("partner", "Lot")
ProductClass = get_model("catalogue", "ProductClass")
ProducerImport = get_model("partner", "ProducerImport")

HOME_STOCK_ROWS = 50


class ProducerDashboardMixin:
    """Anonymous → login page; signed in without a producer (customer, GIE, platform staff) → 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.producer = selectors.producer_for_user(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["producer"] = self.producer
        return ctx

    def form_error_from(self, form, error: ValidationError):
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                field_name = form.field_name_for(name) if hasattr(form, "field_name_for") else name
                form.add_error(field_name if field_name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return self.form_invalid(form)


class HomeView(ProducerDashboardMixin, TemplateView):
    template_name = "cooperatives/dashboard/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        stockrecords = selectors.stockrecords_for_producer(producer=self.producer)
        # The home page stays light for a producer with thousands of products; the list pages paginate.
        ctx["stockrecords"] = stockrecords[:HOME_STOCK_ROWS]
        ctx["products_count"] = stockrecords.count()
        ctx["low_stock"] = selectors.stockrecords_low_for_producer(producer=self.producer)
        ctx["expiring_lots"] = selectors.lots_expiring_for_producer(producer=self.producer)
        ctx["sales"] = selectors.producer_sales_summary(producer=self.producer)
        return ctx


class ProductListView(ProducerDashboardMixin, ListView):
    template_name = "cooperatives/dashboard/product_list.html"
    context_object_name = "stockrecords"
    paginate_by = 50

    def get_queryset(self):
        return selectors.stockrecords_for_producer(producer=self.producer)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["editable_ids"] = set(
            selectors.products_for_producer(producer=self.producer).values_list("pk", flat=True)
        )
        return ctx


class ProductFormView(ProducerDashboardMixin, FormView):
    """Create (`?type=<product type slug>` picks the typed form) or edit a product of the producer."""

    template_name = "cooperatives/dashboard/product_form.html"
    form_class = forms.ProductForm
    product = None

    def get_product(self):
        if "pk" in self.kwargs and self.product is None:
            self.product = selectors.product_get_for_producer(producer=self.producer, pk=self.kwargs["pk"])
        return self.product

    def get_product_class(self):
        if not hasattr(self, "product_class"):
            product = self.get_product()
            if product is not None:
                self.product_class = product.get_product_class()
            else:
                slug = self.request.GET.get("type")
                self.product_class = get_object_or_404(ProductClass, slug=slug) if slug else None
        return self.product_class

    def get(self, request, *args, **kwargs):
        if self.get_product_class() is None:
            return self.render_type_choice()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.get_product_class() is None:
            return self.render_type_choice()
        return super().post(request, *args, **kwargs)

    def render_type_choice(self):
        # Step one of creating: the typed form depends on the product type.
        return self.render_to_response(
            {
                "producer": self.producer,
                "product_types": [
                    (product_class, product_type_for(product_class))
                    for product_class in ProductClass.objects.order_by("name")
                ],
            }
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        product = self.get_product()
        kwargs["creating"] = product is None
        kwargs["product_class"] = self.get_product_class()
        if product is not None:
            kwargs["initial"] = self.initial_of(product)
        return kwargs

    def initial_of(self, product) -> dict:
        return forms.product_form_initial(product, product_class=self.get_product_class())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product"] = self.get_product()
        ctx["product_class"] = self.get_product_class()
        return ctx

    def form_valid(self, form):
        photo = form.cleaned_data.get("photo")
        try:
            # The photo joins the product's transaction: a refused product stores no photo row.
            with transaction.atomic():
                product = product_services.producer_product_save(
                    producer=self.producer, data=form.to_input(), product=self.get_product()
                )
                image = photo and product_services.producer_product_photo_add(
                    producer=self.producer, product=product, photo=photo
                )
        except ValidationError as error:
            return self.form_error_from(form, error)
        if image:
            photo_thumbnail_warm(image_field=image.original)
        messages.success(self.request, _("Product saved."))
        return redirect("coop-dashboard:product-edit", pk=product.pk)


class PhotoUploadView(ProducerDashboardMixin, FormView):
    template_name = "cooperatives/dashboard/photo_form.html"
    form_class = forms.PhotoForm

    def get_product(self):
        if not hasattr(self, "product"):
            self.product = selectors.product_get_for_producer(producer=self.producer, pk=self.kwargs["pk"])
        return self.product

    def get(self, request, *args, **kwargs):
        self.get_product()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_product()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product"] = self.product
        return ctx

    def form_valid(self, form):
        image = product_services.producer_product_photo_add(
            producer=self.producer, product=self.product, photo=form.cleaned_data["photo"]
        )
        photo_thumbnail_warm(image_field=image.original)
        messages.success(self.request, _("Photo added."))
        return redirect("coop-dashboard:photo-upload", pk=self.product.pk)


class LotListView(ProducerDashboardMixin, ListView):
    template_name = "cooperatives/dashboard/lot_list.html"
    context_object_name = "lots"
    paginate_by = 50

    def get_queryset(self):
        return selectors.lots_for_producer(producer=self.producer)


class LotAddView(ProducerDashboardMixin, FormView):
    template_name = "cooperatives/dashboard/lot_form.html"
    form_class = forms.LotAddForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "producer": self.producer}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.lot_add(
                user=self.request.user,
                producer=self.producer,
                stockrecord=data["stockrecord"],
                code=data["code"],
                quantity=data["quantity"],
                harvest_date=data["harvest_date"],
                best_before=data["best_before"],
                reason=data["reason"],
            )
        except ValidationError as error:
            return self.form_error_from(form, error)
        messages.success(self.request, _("Lot added."))
        return redirect("coop-dashboard:lot-list")


class LotActionView(ProducerDashboardMixin, FormView):
    """Adjust (new quantity + reason) or change a lot's status (quarantine, release, recall)."""

    template_name = "cooperatives/dashboard/lot_action.html"
    status = None  # set per URL; None means a quantity adjustment

    def get_lot(self):
        if not hasattr(self, "lot"):
            self.lot = selectors.lot_get_for_producer(producer=self.producer, pk=self.kwargs["pk"])
        return self.lot

    def get_form_class(self):
        return forms.LotStatusForm if self.status else forms.LotAdjustForm

    def get_initial(self):
        return {} if self.status else {"quantity": self.get_lot().quantity}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["lot"] = lot = self.get_lot()
        ctx["status"] = self.status and Lot.Status(self.status)
        if self.status == Lot.Status.RECALLED and lot.status == Lot.Status.RECALLED:
            # Who must be told: the orders whose lines took units of this (own, already scoped) lot.
            ctx["recipients"] = selectors.lot_recall_recipients(lot=lot)
        return ctx

    def form_valid(self, form):
        lot, data = self.get_lot(), form.cleaned_data
        try:
            if self.status:
                services.lot_status_set(
                    user=self.request.user,
                    producer=self.producer,
                    lot=lot,
                    status=self.status,
                    reason=data["reason"],
                )
            else:
                services.lot_quantity_adjust(
                    user=self.request.user,
                    producer=self.producer,
                    lot=lot,
                    quantity=data["quantity"],
                    reason=data["reason"],
                )
        except ValidationError as error:
            return self.form_error_from(form, error)
        messages.success(self.request, _("Lot %(code)s updated.") % {"code": lot.code})
        if self.status == Lot.Status.RECALLED:
            return redirect("coop-dashboard:lot-recall", pk=lot.pk)  # shows the customers to tell
        return redirect("coop-dashboard:lot-list")


class StockHistoryView(ProducerDashboardMixin, ListView):
    template_name = "cooperatives/dashboard/stock_history.html"
    context_object_name = "movements"
    paginate_by = 50

    def get_queryset(self):
        return selectors.stock_movements_for_producer(producer=self.producer)


class ProfileView(ProducerDashboardMixin, FormView):
    template_name = "cooperatives/dashboard/profile_form.html"
    form_class = forms.ProfileForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["certificates"] = self.producer.certificates.select_related("label")
        ctx["sanitary_valid"] = self.producer.has_valid_sanitary_authorisation()
        rates = selectors.commission_rates_for(partner_ids=[self.producer.pk])
        ctx["commission_percent"] = rates[self.producer.pk] * 100
        return ctx

    def get_initial(self):
        producer = self.producer
        return {
            "story": producer.story,
            "members_count": producer.members_count,
            "women_members_count": producer.women_members_count,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            product_services.producer_profile_update(
                producer=self.producer,
                story=data["story"],
                members_count=data["members_count"],
                women_members_count=data["women_members_count"],
                logo=data["logo"],
            )
        except ValidationError as error:
            return self.form_error_from(form, error)
        if data["logo"]:
            photo_thumbnail_warm(image_field=self.producer.logo)
        messages.success(self.request, _("Profile saved."))
        return redirect("coop-dashboard:profile")


class CsvExportView(ProducerDashboardMixin, View):
    def get(self, request, *args, **kwargs):
        return csv_download(
            producer_csv_export_rows(producer=self.producer), filename=f"{self.producer.slug or 'stock'}.csv"
        )


class CsvImportView(ProducerDashboardMixin, FormView):
    template_name = "cooperatives/dashboard/csv_import.html"
    form_class = forms.CsvImportForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["imports"] = ProducerImport.objects.filter(partner=self.producer)[:5]
        return ctx

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = ProducerImport(partner=self.producer, user=self.request.user)
        job.file.save("import.csv", ContentFile(upload.read()), save=True)
        producer_import_enqueue(job=job)
        return redirect("coop-dashboard:csv-import-status", pk=job.pk)


class CsvImportStatusView(ProducerDashboardMixin, TemplateView):
    template_name = "cooperatives/dashboard/csv_import_status.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["job"] = services.producer_import_fail_if_stale(
            job=selectors.producer_import_get_for_producer(producer=self.producer, pk=self.kwargs["pk"])
        )
        ctx["import_url"] = reverse("coop-dashboard:csv-import")
        return ctx
