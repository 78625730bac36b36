from django.urls import path

from fulfilment import views

app_name = "fulfilment-dashboard"

urlpatterns = [
    path("", views.FulfilmentListView.as_view(), name="list"),
    path("<int:pk>/", views.FulfilmentDetailView.as_view(), name="detail"),
    path("<int:pk>/packing-slip.pdf", views.PackingSlipView.as_view(), name="packing-slip"),
    path("<int:pk>/<slug:action>/", views.FulfilmentActionView.as_view(), name="action"),
]
