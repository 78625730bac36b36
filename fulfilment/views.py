"""Cooperative staff pages: their own fulfilments only (the selectors 404 on anyone else's)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from cooperatives.dashboard.views import ProducerDashboardMixin
from fulfilment import services
from fulfilment.forms import ReasonForm, ShipForm
from fulfilment.models import ProducerFulfilment
from fulfilment.packing_slip import packing_slip_pdf
from fulfilment.selectors import (
    fulfilment_counts_by_status,
    fulfilment_get_for_producer_staff,
    fulfilment_lines_with_lots,
    fulfilments_for_producer_staff,
    settlements_for_producer,
)


class FulfilmentListView(LoginRequiredMixin, ListView):
    template_name = "fulfilment/dashboard/list.html"
    context_object_name = "fulfilments"
    paginate_by = 50

    def get_queryset(self):
        status = self.request.GET.get("status") or None
        if status not in ProducerFulfilment.Status.values:
            status = None
        return fulfilments_for_producer_staff(user=self.request.user, status=status)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        counts = fulfilment_counts_by_status(user=self.request.user)
        ctx["statuses"] = [
            (value, label, counts.get(value, 0)) for value, label in ProducerFulfilment.Status.choices
        ]
        ctx["current_status"] = self.request.GET.get("status", "")
        return ctx


class FulfilmentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "fulfilment/dashboard/detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fulfilment = fulfilment_get_for_producer_staff(user=self.request.user, pk=self.kwargs["pk"])
        lines = fulfilment_lines_with_lots(fulfilment=fulfilment)
        ctx.update(
            fulfilment=fulfilment,
            fulfilment_lines=lines,
            ship_form=ShipForm(fulfilment_lines=[fl for fl in lines if fl.quantity_open]),
            reason_form=ReasonForm(),
            allowed=services.TRANSITIONS[fulfilment.status],
        )
        return ctx


class FulfilmentActionView(LoginRequiredMixin, View):
    """POST one step (accept, reject, pack, ship, deliver, cancel) on one's own fulfilment."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        fulfilment = fulfilment_get_for_producer_staff(user=request.user, pk=pk)
        detail = redirect(reverse("fulfilment-dashboard:detail", kwargs={"pk": fulfilment.pk}))
        try:
            if action == "ship":
                lines = [fl for fl in fulfilment_lines_with_lots(fulfilment=fulfilment) if fl.quantity_open]
                form = ShipForm(request.POST, fulfilment_lines=lines)
                if not form.is_valid():
                    messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
                    return detail
                services.producer_fulfilment_ship(
                    fulfilment=fulfilment,
                    carrier=form.cleaned_data["carrier"],
                    tracking_number=form.cleaned_data["tracking_number"],
                    quantities=form.quantities(),
                    actor=request.user,
                )
            elif action in ("reject", "cancel"):
                form = ReasonForm(request.POST)
                form.is_valid()
                step = getattr(services, f"producer_fulfilment_{action}")
                step(fulfilment=fulfilment, reason=form.cleaned_data.get("reason", ""), actor=request.user)
            elif action in ("accept", "pack", "deliver"):
                getattr(services, f"producer_fulfilment_{action}")(fulfilment=fulfilment, actor=request.user)
            else:
                messages.error(request, _("Unknown step."))
                return detail
        except (services.IllegalTransition, services.FulfilmentInputError) as exc:
            messages.error(request, str(exc))
            return detail
        messages.success(request, _("Fulfilment updated."))
        return detail


class PackingSlipView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        fulfilment = fulfilment_get_for_producer_staff(user=request.user, pk=pk)
        pdf = packing_slip_pdf(fulfilment=fulfilment, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="packing-slip-{fulfilment.order.number}-{pk}.pdf"'
        )
        return response


class ProducerSettlementListView(ProducerDashboardMixin, ListView):
    """What the platform owes the cooperative, period by period, with each statement's files."""

    template_name = "cooperatives/dashboard/settlements.html"
    context_object_name = "statements"
    paginate_by = 24

    def get_queryset(self):
        return settlements_for_producer(producer=self.producer)
