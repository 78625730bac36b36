import logging

from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView

from catalog.selectors import product_types_for_home
from cooperatives.selectors import producers_featured

logger = logging.getLogger(__name__)


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
    except Exception:  # the database is the one dependency the site cannot serve without
        # The error names hosts and users: it goes to the log, never to whoever asks.
        logger.exception("Readiness check: the database is unavailable")
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
