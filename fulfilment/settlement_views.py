"""Settlement statements: the platform's month-end screen (staff), and one download for every role.

Who sees which statement is decided by `fulfilment.selectors.settlements_visible_to`; drawing up and
marking paid are staff-only in `fulfilment.settlements` — the views only translate errors.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_model

from core.csv import csv_download
from fulfilment import selectors
from fulfilment.documents import settlement_csv_rows, settlement_pdf
from fulfilment.forms import SettlementFilterForm, SettlementPaidForm, SettlementPeriodForm
from fulfilment.settlements import settlement_lines_of, settlement_mark_paid, settlements_draw_up

Partner = get_model("partner", "Partner")


def _errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


class SettlementListView(LoginRequiredMixin, ListView):
    """Every producer's statements, filtered; the form that draws up a period; payouts to record."""

    template_name = "fulfilment/dashboard/settlements.html"
    context_object_name = "statements"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = SettlementFilterForm(
            self.request.GET or None, partners=Partner.objects.order_by("name")
        )
        self.statements = selectors.settlements_for_staff(
            user=self.request.user, **self.filter_form.filters()
        )
        return self.statements

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            filter_form=self.filter_form,
            period_form=kwargs.get("period_form") or SettlementPeriodForm(),
            unpaid=selectors.settlements_unpaid_total(statements=self.statements),
            query=query.urlencode(),
        )
        return ctx

    def post(self, request):
        form = SettlementPeriodForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(form))
            return redirect("settlements-dashboard:list")
        try:
            statements = settlements_draw_up(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if statements:
                messages.success(request, _("%(n)d statement(s) drawn up.") % {"n": len(statements)})
            else:
                messages.info(request, _("No delivery left to settle up to that date."))
        return redirect("settlements-dashboard:list")


def settlement_file_response(*, statement, fmt: str) -> HttpResponse:
    """A statement as a PDF (shown inline) or a CSV (downloaded); shared with the GIE dashboard."""
    if fmt not in ("pdf", "csv"):
        raise Http404("No such file format")
    lines = settlement_lines_of(statement=statement)
    name = f"settlement-{statement.partner.slug or statement.partner_id}-{statement.period_start}"
    if fmt == "csv":
        return csv_download(settlement_csv_rows(statement=statement, lines=lines), filename=f"{name}.csv")
    response = HttpResponse(settlement_pdf(statement=statement, lines=lines), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def settlement_paid_from_post(request, *, statement) -> None:
    """Record the payout the form names (the service refuses anyone but platform staff) and say how
    it went; shared with the GIE dashboard."""
    form = SettlementPaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return
    try:
        settlement_mark_paid(
            statement=statement, reference=form.cleaned_data["reference"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Statement marked as paid."))


class SettlementFileView(LoginRequiredMixin, View):
    """A statement as PDF or CSV for whoever may read it: staff, its producer's people, its GIE."""

    def get(self, request, pk: int, fmt: str):
        statement = selectors.settlement_get_visible(user=request.user, pk=pk)
        return settlement_file_response(statement=statement, fmt=fmt)


class SettlementPaidView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        statement = selectors.settlement_get_visible(user=request.user, pk=pk)
        settlement_paid_from_post(request, statement=statement)
        return redirect("settlements-dashboard:list")
