from django.urls import path

from fulfilment import settlement_views as views

app_name = "settlements-dashboard"

urlpatterns = [
    path("", views.SettlementListView.as_view(), name="list"),
    path("<int:pk>.<str:fmt>", views.SettlementFileView.as_view(), name="file"),
    path("<int:pk>/paid/", views.SettlementPaidView.as_view(), name="paid"),
]
