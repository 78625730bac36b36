"""Cooperative dashboard: a producer's staff see and change their own producer's data only.

Every view resolves the producer from the signed-in user (`producer_for_user`) and every object
through a selector scoped to that producer, so a guessed id of another producer gives 404.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from oscar.core.loading import get_model

from cooperatives import selectors, services
from cooperatives.dashboard import forms
from cooperatives.dashboard.csv_export import producer_csv_export
from cooperatives.dashboard.photos import photo_thumbnail_warm
from cooperatives.dashboard.tasks import producer_import_enqueue

Lot = get_model("partner", "Lot")
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
                form.add_error(name if name in form.fields else None, errors)
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
    template_name = "cooperatives/dashboard/product_form.html"
    form_class = forms.ProductForm
    product = None

    def get_product(self):
        if "pk" in self.kwargs and self.product is None:
            self.product = selectors.product_get_for_producer(producer=self.producer, pk=self.kwargs["pk"])
        return self.product

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        product = self.get_product()
        kwargs["creating"] = product is None
        if product is not None:
            record = product.producer_stockrecord
            kg = getattr(product.attr, "weight", None)
            kwargs["initial"] = {
                "title": product.title,
                "description": product.description,
                "category": product.categories.order_by("path").first(),
                "price": record.price,
                "net_weight_g": round(kg * 1000) if kg else None,
                "low_stock_threshold": record.low_stock_threshold,
                "is_public": product.is_public,
            }
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product"] = self.get_product()
        return ctx

    def form_valid(self, form):
        try:
            product = services.producer_product_save(
                producer=self.producer, data=form.to_input(), product=self.get_product()
            )
        except ValidationError as error:
            return self.form_error_from(form, error)
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
        image = services.producer_product_photo_add(
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
        ctx["lot"] = self.get_lot()
        ctx["status"] = self.status and Lot.Status(self.status)
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
            services.producer_profile_update(
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
        response = HttpResponse(
            producer_csv_export(producer=self.producer), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.producer.slug or "stock"}.csv"'
        return response


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
        ctx["job"] = selectors.producer_import_get_for_producer(producer=self.producer, pk=self.kwargs["pk"])
        ctx["import_url"] = reverse("coop-dashboard:csv-import")
        return ctx
