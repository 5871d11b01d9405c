from __future__ import annotations

from django.urls import path

from registry.reports import download_views, views
from registry.views import SignInView

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", SignInView.as_view(), name="login"),
    path(
        "export/participations.<str:fmt>",
        download_views.export_participations,
        name="participations",
    ),
    path(
        "export/informe-indicadores.xlsx",
        download_views.export_indicator_report,
        name="indicator_report",
    ),
    path("export/<slug:name>.<str:fmt>", download_views.export_table, name="export"),
]
