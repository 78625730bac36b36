from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from cooperatives.dashboard import urls as coop_dashboard_urls
from cooperatives.views import LotTraceView
from fulfilment import coop_dashboard_urls as fulfilment_coop_urls
from shop import health, metrics, views
from shop.currency import views as currency_views
from shop.graphql.views import TerroirGraphQLView
from shop.payment import views as payment_views
from shop.security.views import LogoutView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/live", health.health_live, name="health-live"),
    path("health/ready", health.health_ready, name="health-ready"),
    path("metrics", metrics.metrics_view, name="metrics"),
    # Read-only API for now; mutations will authenticate with tokens, not session cookies.
    path("graphql/", csrf_exempt(TerroirGraphQLView.as_view()), name="graphql"),
    path("payments/stripe/webhook/", payment_views.stripe_webhook, name="stripe-webhook"),
    path("currency/", currency_views.currency_choose_view, name="currency-choose"),
]

# Storefront pages answer with or without a language prefix (/ar/catalogue/ and /catalogue/).
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("cooperatives/", include("cooperatives.urls")),
    path("gie/", include("gie.urls")),
    path("dashboard/fulfilments/", include("fulfilment.urls")),
    path("dashboard/settlements/", include("fulfilment.settlement_urls")),
    path(
        "dashboard/cooperative/",
        include((coop_dashboard_urls.urlpatterns + fulfilment_coop_urls.urlpatterns, "coop-dashboard")),
    ),
    path("lot/<str:code>/", LotTraceView.as_view(), name="lot-trace"),
    path("dashboard/gie/", include("gie.dashboard_urls")),
    # Ahead of Oscar's `customer:logout`, at the same address: logout by POST only.
    path("accounts/logout/", LogoutView.as_view(), name="logout-post-only"),
    path("", include(apps.get_app_config("oscar").urls[0])),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "shop.security.errors.bad_request"
handler403 = "shop.security.errors.permission_denied"
handler404 = "shop.security.errors.page_not_found"
handler500 = "shop.security.errors.server_error"
