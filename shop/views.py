from django.db import connection
from django.http import JsonResponse
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


def health_live(request):
    return JsonResponse({"status": "ok"})


def health_ready(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # the database is the one dependency the site cannot serve without
        return JsonResponse({"status": "unavailable", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
