from django.views.generic import DetailView

from gie.selectors import gie_get_for_public, gie_members


class GieDetailView(DetailView):
    template_name = "terroir/gie_detail.html"
    context_object_name = "gie"

    def get_object(self, queryset=None):
        return gie_get_for_public(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = gie_members(gie=self.object)
        return ctx
