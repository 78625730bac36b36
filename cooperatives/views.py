from django.views.generic import DetailView, ListView

from cooperatives.selectors import (
    lot_get_for_trace,
    producer_get_for_public,
    producer_list,
    producer_products_for_public,
)


class ProducerListView(ListView):
    template_name = "terroir/producer_list.html"
    context_object_name = "producers"

    def get_queryset(self):
        return producer_list()


class ProducerDetailView(DetailView):
    template_name = "terroir/producer_detail.html"
    context_object_name = "producer"

    def get_object(self, queryset=None):
        return producer_get_for_public(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["products"] = producer_products_for_public(producer=self.object)
        return ctx


class LotTraceView(DetailView):
    """Public trace page of a lot; the QR code on packing slips points here."""

    template_name = "terroir/lot_trace.html"
    context_object_name = "lot"

    def get_object(self, queryset=None):
        return lot_get_for_trace(code=self.kwargs["code"])
