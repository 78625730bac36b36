"""GIE coordinator dashboard: each view gets its GIE from `gie_get_for_coordinator` (404 otherwise)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from core.csv import csv_download, csv_file_download
from fulfilment.forms import SettlementPaidForm, SettlementPeriodForm
from fulfilment.settlement_views import settlement_file_response, settlement_paid_from_post
from gie import selectors, services
from gie.charts import weekly_sales_svg
from gie.documents import (
    consolidated_csv_rows,
    purchase_order_csv_rows,
    purchase_order_filename,
    purchase_order_pdf,
)
from gie.forms import (
    ConsolidatedFilterForm,
    RoundOpenForm,
    ShipmentForm,
)


def _errors(form) -> str:
    return "; ".join(e for errors in form.errors.values() for e in errors)


class GieMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.gie = selectors.gie_get_for_coordinator(user=request.user, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["gie"] = self.gie
        return ctx

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"gie-dashboard:{name}", kwargs={"slug": self.gie.slug, **kwargs})


class GieIndexView(LoginRequiredMixin, TemplateView):
    template_name = "gie/dashboard/index.html"

    def get(self, request, *args, **kwargs):
        gies = selectors.gies_for_coordinator(user=request.user)
        if len(gies) == 1:
            return redirect("gie-dashboard:home", slug=gies[0].slug)
        return self.render_to_response({"gies": gies})


class GieHomeView(GieMixin, TemplateView):
    template_name = "gie/dashboard/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        sales = selectors.member_weekly_sales(gie=self.gie)
        ctx.update(chart=weekly_sales_svg(**sales), members=selectors.gie_members(gie=self.gie))
        return ctx


class ConsolidatedView(GieMixin, ListView):
    template_name = "gie/dashboard/consolidated.html"
    context_object_name = "lines"
    paginate_by = 50

    def get_queryset(self):
        self.form = ConsolidatedFilterForm(
            self.request.GET or None, members=selectors.gie_members(gie=self.gie)
        )
        return selectors.consolidated_lines(gie=self.gie, **self.form.filters())

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            rows = consolidated_csv_rows(self.get_queryset().iterator(chunk_size=2000))
            return csv_download(rows, filename=f"{self.gie.slug}-open-lines.csv", streaming=True)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            form=self.form,
            totals=selectors.consolidated_totals(lines=self.object_list),
            query=query.urlencode(),
        )
        return ctx


class RoundListView(GieMixin, TemplateView):
    template_name = "gie/dashboard/rounds.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", RoundOpenForm(gie=self.gie))
        ctx["rounds"] = selectors.rounds_of(gie=self.gie)
        return ctx

    def post(self, request, slug):
        form = RoundOpenForm(request.POST, gie=self.gie)
        if not form.is_valid():
            messages.error(request, _errors(form))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            round_ = services.collection_round_open(
                gie=self.gie,
                name=form.cleaned_data["name"],
                collection_date=form.cleaned_data["collection_date"],
                member_ids=[m.pk for m in form.cleaned_data["members"]],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("Round opened with %(n)d line(s).") % {"n": round_.lines.count()})
        return redirect(self.url("round", pk=round_.pk))


class RoundDetailView(GieMixin, TemplateView):
    template_name = "gie/dashboard/round.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        round_ = selectors.round_get(gie=self.gie, pk=self.kwargs["pk"])
        ctx.update(
            round=round_,
            summary=selectors.round_members_summary(round_=round_),
            pick_list=selectors.round_pick_list(round_=round_),
            receive_lines=selectors.round_lines_to_receive(round_=round_),
        )
        return ctx


def _received_quantities(post) -> dict[int, int]:
    """{round line id: units received} from the receiving form's `received-<id>` fields."""
    received = {}
    for key, value in post.items():
        if key.startswith("received-") and value.strip() != "":
            try:
                received[int(key.removeprefix("received-"))] = int(value)
            except ValueError:
                raise ValidationError(_("Quantities must be whole numbers.")) from None
    if not received:
        raise ValidationError(_("Enter the quantities received."))
    return received


class RoundActionView(GieMixin, View):
    """Close a round, or record what the hub received: a receipt that leaves units out is shown
    for confirmation first (what each customer will be told), and recorded only once confirmed."""

    http_method_names = ["post"]

    def post(self, request, slug, pk, action):
        round_ = selectors.round_get(gie=self.gie, pk=pk)
        try:
            if action == "close":
                services.collection_round_close(round_=round_)
            elif action == "receive":
                received = _received_quantities(request.POST)
                services.round_lines_receive(
                    round_=round_,
                    received=received,
                    actor=request.user,
                    shortfall_confirmed=request.POST.get("shortfall") == "confirmed",
                )
            else:
                raise ValidationError(_("Unknown step."))
        except services.ShortfallUnconfirmed as exc:
            return TemplateResponse(
                request,
                "gie/dashboard/receive_confirm.html",
                {
                    "gie": self.gie,
                    "round": round_,
                    "shortfalls": exc.shortfalls,
                    "received": sorted(received.items()),
                },
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Round updated."))
        return redirect(self.url("round", pk=round_.pk))


class PurchaseOrderView(GieMixin, View):
    def get(self, request, slug, pk, partner_id, fmt):
        round_ = selectors.round_get(gie=self.gie, pk=pk)
        partner = round_.members.filter(pk=partner_id).first()
        if partner is None or fmt not in ("pdf", "csv"):
            raise Http404("Not a member of this round")
        lines = selectors.round_lines_of_member(round_=round_, partner_id=partner.pk)
        name = purchase_order_filename(round_=round_, partner=partner)
        if fmt == "csv":
            return csv_download(purchase_order_csv_rows(lines=lines), filename=f"{name}.csv")
        pdf = purchase_order_pdf(round_=round_, partner=partner, lines=lines)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response


class PackingIndexView(GieMixin, TemplateView):
    template_name = "gie/dashboard/packing_index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            orders=selectors.orders_ready_to_pack(gie=self.gie)[:200],
            shipments=selectors.shipments_of(gie=self.gie)[:50],
        )
        return ctx


class PackingListView(GieMixin, TemplateView):
    template_name = "gie/dashboard/packing.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fulfilments = selectors.order_hub_fulfilments(gie=self.gie, number=self.kwargs["number"])
        ctx.update(
            order=fulfilments[0].order, fulfilments=fulfilments, form=ctx.get("form") or ShipmentForm()
        )
        return ctx

    def post(self, request, slug, number):
        selectors.order_hub_fulfilments(gie=self.gie, number=number)
        form = ShipmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(form))
            return redirect(self.url("packing", number=number))
        try:
            services.consolidated_shipment_create(
                gie=self.gie, order_number=number, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Shipped in one parcel."))
        return redirect(self.url("packing", number=number))


class SettlementListView(GieMixin, ListView):
    template_name = "gie/dashboard/settlements.html"
    context_object_name = "statements"
    paginate_by = 50

    def get_queryset(self):
        return selectors.member_settlements(gie=self.gie)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", SettlementPeriodForm())
        ctx["paid_form"] = SettlementPaidForm()
        return ctx

    def post(self, request, slug):
        form = SettlementPeriodForm(request.POST)
        if form.is_valid():
            try:
                statements = services.gie_settlements_draw_up(
                    gie=self.gie, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(n)d statement(s) drawn up.") % {"n": len(statements)})
        else:
            messages.error(request, _errors(form))
        return redirect(self.url("settlements"))


class SettlementFileView(GieMixin, View):
    def get(self, request, slug, pk, fmt):
        statement = selectors.member_settlement_get(gie=self.gie, pk=pk)
        return settlement_file_response(statement=statement, fmt=fmt)


class SettlementPaidView(GieMixin, View):
    """Platform staff record the payout; coordinators only read statements."""

    http_method_names = ["post"]

    def post(self, request, slug, pk):
        statement = selectors.member_settlement_get(gie=self.gie, pk=pk)
        settlement_paid_from_post(request, statement=statement)
        return redirect(self.url("settlements"))


class ExportStartView(GieMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug):
        form = ConsolidatedFilterForm(request.POST, members=selectors.gie_members(gie=self.gie))
        job = services.consolidated_export_start(gie=self.gie, filters=form.filters(), actor=request.user)
        return redirect(self.url("export", pk=job.pk))


class RoundPurchaseOrdersExportView(GieMixin, View):
    """Every member's purchase order of a round in one ZIP, built in the background."""

    http_method_names = ["post"]

    def post(self, request, slug, pk):
        round_ = selectors.round_get(gie=self.gie, pk=pk)
        job = services.round_purchase_orders_export_start(round_=round_, actor=request.user)
        return redirect(self.url("export", pk=job.pk))


class ExportView(GieMixin, TemplateView):
    """Progress of a background export; the page refreshes itself until the file is ready."""

    template_name = "gie/dashboard/export.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["job"] = services.export_job_fail_if_stale(
            job=selectors.export_get(gie=self.gie, pk=self.kwargs["pk"])
        )
        return ctx


class ExportDownloadView(GieMixin, View):
    def get(self, request, slug, pk):
        job = selectors.export_get(gie=self.gie, pk=pk)
        if job.status != job.Status.DONE:
            raise Http404("Not ready")
        filename = job.file.name.rsplit("/", 1)[-1]
        if filename.endswith(".csv"):
            return csv_file_download(job.file.open("rb"), filename=filename)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=filename)
