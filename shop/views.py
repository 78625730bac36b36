from django.views.generic import TemplateView

from catalog.selectors import product_types_for_home
from cooperatives.selectors import producers_featured


class HomeView(TemplateView):
    template_name = "terroir/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product_types"] = product_types_for_home()
        ctx["featured_producers"] = producers_featured()
        return ctx
